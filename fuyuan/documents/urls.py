from django.urls import path

from fuyuan.documents import views

app_name = "documents"

urlpatterns = [
    path("disputes/<int:pk>/agreement.docx", views.agreement, name="agreement"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletin.docx", views.bulletin, name="bulletin"),
    path("bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
]
