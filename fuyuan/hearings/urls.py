from django.urls import path

from fuyuan.hearings import views

app_name = "hearings"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("week/", views.week, name="week"),
    path("court/", views.court, name="court"),
    path("new/", views.new, name="new"),
    # Notifications link to this address (``workflow.link``): keep it.
    path("<int:pk>/", views.hearing_detail, name="detail"),
    path("<int:pk>/designate/", views.designate, name="designate"),
    path("<int:pk>/explain/", views.explain_absence, name="explain"),
    path("<int:pk>/attendance/", views.record_attendance, name="attendance"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
