"""The public pages (``public_views``), open without log-in, mounted at ``/decisions/public/``."""

from django.urls import path

from fuyuan.decisions import public_views

app_name = "decisions_public"

urlpatterns = [
    path("<int:pk>/", public_views.comment, name="comment"),
    path("catalogues/<int:pk>/", public_views.catalogue, name="catalogue"),
]
