"""The public comment page of a draft (``public_views``), mounted at ``/decisions/comment/``."""

from django.urls import path

from fuyuan.decisions import public_views

app_name = "decisions_public"

urlpatterns = [path("<int:pk>/", public_views.comment, name="comment")]
