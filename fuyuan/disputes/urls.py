from django.urls import path

from fuyuan.disputes import views

app_name = "disputes"

urlpatterns = [
    # The figures page links to the queue with its GET parameters (state, due, coordinator, source, domain,
    # centre, outcome, closed_from, closed_to): keep them.
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    # Open without login (core.middleware.PUBLIC_PREFIXES).
    path("apply/", views.apply, name="apply"),
    path("apply/done/<str:token>/", views.apply_done, name="apply_done"),
    # Notifications link to this address (``workflow.assign_coordinators``): keep it.
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/release/<int:assignment_pk>/", views.release, name="release"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/mediated/", views.mediated, name="mediated"),
    path("<int:pk>/withdrawn/", views.withdrawn, name="withdrawn"),
    path("<int:pk>/handover/", views.handover, name="handover"),
]
