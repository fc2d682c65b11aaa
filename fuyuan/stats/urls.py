from django.urls import path

from fuyuan.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.figures, name="figures"),
]
