from django.urls import path

from fuyuan.nonlitigation import views

app_name = "nonlitigation"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("new/", views.new_file, name="new"),
    path("figures/", views.figures_page, name="figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:name>/", views.step, name="step"),
]
