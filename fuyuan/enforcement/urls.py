from django.urls import path

from fuyuan.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("officers/", views.officer_list, name="officers"),
    path("officers/<int:pk>/", views.officer_detail, name="officer"),
    path("alerts/", views.alert_list, name="alerts"),
    path("bodies/", views.body_list, name="bodies"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("import/", views.import_page, name="import"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
]
