from django.urls import path

from fuyuan.reconsideration import figures_views

app_name = "reconsideration_figures"
urlpatterns = [
    path("", figures_views.figures, name="figures"),
    path("files/", figures_views.files, name="files"),
]
