from django.urls import path

from fuyuan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("<int:pk>/", views.audit_record, name="record"),
    path("verify/", views.verify, name="verify"),
    path("export.xlsx", views.export, name="export"),
]
