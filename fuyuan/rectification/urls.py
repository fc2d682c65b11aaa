from django.urls import path

from fuyuan.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.ledger, name="list"),
    path("new/", views.register, name="new"),
    # Notifications link to this address (``workflow.link``): keep it.
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/document/", views.download_document, name="document"),
    path("items/<int:item_pk>/report/", views.report, name="report"),
    path("items/<int:item_pk>/verify/", views.verify, name="verify"),
    path("items/<int:item_pk>/return/", views.return_, name="return"),
    path("items/<int:item_pk>/file/", views.download_report, name="report-file"),
]
