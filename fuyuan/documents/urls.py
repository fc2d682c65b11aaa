from django.urls import path

from fuyuan.documents import views

app_name = "documents"

urlpatterns = [
    path("disputes/<int:pk>/agreement.docx", views.agreement, name="agreement"),
]
