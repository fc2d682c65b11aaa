from django.urls import path

from fuyuan.accountability import views

app_name = "accountability"
urlpatterns = [
    path("", views.duty_list, name="list"),
    # Notifications link to this address (``workflow.link``): keep it.
    path("<int:pk>/", views.duty_detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/report/", views.download_report, name="report"),
]
