from django.urls import path

from fuyuan.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.warning_list, name="list"),
    path("model/", views.model_page, name="model"),
    path("settings/", views.settings_page, name="settings"),
    path("case/<int:case_pk>/", views.case_risk, name="case"),
]
