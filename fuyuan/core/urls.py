from django.contrib.auth import views as auth_views
from django.urls import path

from fuyuan.core import health, personal_data_views, views
from fuyuan.core.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health.health, name="health"),
    path("personal-data/<str:key>/<int:pk>/reveal/", personal_data_views.reveal, name="reveal-personal-data"),
]
