from django.urls import path

from fuyuan.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/requeue/", views.requeue, name="requeue"),
    path("outbox/requeue-failed/", views.requeue_all, name="requeue_all"),
]
