from django.urls import path

from fuyuan.similar import views

app_name = "similar"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("case/<int:pk>/", views.case_panel, name="panel"),
    path("case/<int:pk>/judgments/", views.judgment_upload, name="judgment_upload"),
]
