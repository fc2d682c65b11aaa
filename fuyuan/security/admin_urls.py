"""The system and security administrators' pages, mounted at ``/security/admins/`` (namespace ``admins``)."""

from django.urls import path

from fuyuan.security import admin_views

app_name = "admins"
urlpatterns = [
    path("users/", admin_views.user_list, name="users"),
    path("users/new/", admin_views.user_create, name="create"),
    path("users/<int:pk>/", admin_views.user_detail, name="detail"),
    path("users/<int:pk>/password/", admin_views.reset_password, name="reset_password"),
    path("users/<int:pk>/deactivate/", admin_views.deactivate, name="deactivate"),
    path("users/<int:pk>/activate/", admin_views.activate, name="activate"),
    path("users/<int:pk>/role/", admin_views.assign_role, name="assign_role"),
    path("users/<int:pk>/second-factor/reset/", admin_views.reset_second_factor, name="reset_second_factor"),
    path("system/", admin_views.system, name="system"),
    path("policy/", admin_views.policy, name="policy"),
    path("lockouts/", admin_views.lockouts, name="lockouts"),
    path("lockouts/unlock/", admin_views.unlock, name="unlock"),
]
