"""The public 亮证执法 look-up (``public_views``), open without log-in, mounted at ``/enforcement/check/``."""

from django.urls import path

from fuyuan.enforcement import public_views

app_name = "enforcement_public"

urlpatterns = [path("", public_views.lookup, name="lookup")]
