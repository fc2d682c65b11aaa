"""The citizen's online reconsideration application, open without log-in (``public_views``), mounted at
``/reconsideration/apply/``."""

from django.urls import path

from fuyuan.reconsideration import public_views

app_name = "reconsideration_public"

urlpatterns = [
    path("", public_views.apply, name="apply"),
    path("done/", public_views.apply_done, name="apply_done"),
    path("follow/", public_views.follow, name="follow"),
    path("follow/amend/", public_views.amend, name="amend"),
    path("follow/correct/", public_views.correct, name="correct"),
    path("follow/leave/", public_views.leave, name="leave"),
]
