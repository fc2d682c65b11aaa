from django.urls import path

from fuyuan.security import views

app_name = "security"
urlpatterns = [
    path("", views.home, name="home"),
    path("password/", views.change_password, name="password"),
    path("otp/", views.verify_code, name="otp"),
    path("otp/setup/", views.setup_code, name="otp_setup"),
]
