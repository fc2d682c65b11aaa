from django.urls import path

from fuyuan.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("mine/", views.my_tasks, name="mine"),
    path("offices/open/", views.open_office, name="open-office"),
    path("offices/<int:pk>/", views.office, name="office"),
    path("offices/<int:pk>/new/", views.new_meeting, name="new"),
    # Notifications link to this address (``workflow.link``): keep it.
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pack/", views.download_pack, name="pack"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("decisions/<int:pk>/report/", views.report, name="report"),
    path("decisions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("decisions/<int:pk>/return/", views.return_, name="return"),
    path("decisions/<int:pk>/file/", views.download_report, name="report-file"),
]
