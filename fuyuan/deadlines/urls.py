from django.urls import path

from fuyuan.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("calculator/", views.calculator, name="calculator"),
]
