from django.urls import path

from fuyuan.filereview import views

app_name = "filereview"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("files/", views.file_list, name="files"),
    path("files/<int:pk>/", views.file_detail, name="file"),
    path("files/<int:pk>/preview/", views.score_preview, name="score_preview"),
    path("results/", views.results, name="results"),
    path("sheets/", views.sheet_list, name="sheets"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
]
