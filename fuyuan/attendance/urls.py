from django.urls import path

from fuyuan.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_new, name="new"),
    path("compliance/", views.compliance, name="compliance"),
    path("<int:pk>/", views.session_detail, name="detail"),
]
