from django.urls import path

from fuyuan.disputes import pool_views, views

app_name = "disputes"

urlpatterns = [
    # The figures page links to the queue with its GET parameters (state, due, coordinator, source, domain,
    # centre, outcome, closed_from, closed_to): keep them.
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    # Open without login (@login_not_required on the views).
    path("apply/", views.apply, name="apply"),
    path("apply/done/<str:token>/", views.apply_done, name="apply_done"),
    # Notifications link to this address (``workflow.assign_coordinators``): keep it.
    # 专业协调员库 (pool_views): centre staff keep it; 依法治办 and leaders read it.
    path("coordinators/", pool_views.pool, name="pool"),
    path("coordinators/new/", pool_views.coordinator_new, name="coordinator_new"),
    path("coordinators/<int:pk>/", pool_views.coordinator_detail, name="coordinator"),
    path("coordinators/<int:pk>/edit/", pool_views.coordinator_edit, name="coordinator_edit"),
    path("coordinators/<int:pk>/remove/", pool_views.coordinator_remove, name="coordinator_remove"),
    path("coordinators/<int:pk>/restore/", pool_views.coordinator_restore, name="coordinator_restore"),
    path("coordinators/<int:pk>/conflicts/", pool_views.conflict_declare, name="conflict_declare"),
    path(
        "coordinators/<int:pk>/conflicts/<int:conflict_pk>/withdraw/",
        pool_views.conflict_withdraw,
        name="conflict_withdraw",
    ),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/release/<int:assignment_pk>/", views.release, name="release"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/mediated/", views.mediated, name="mediated"),
    path("<int:pk>/withdrawn/", views.withdrawn, name="withdrawn"),
    path("<int:pk>/handover/", views.handover, name="handover"),
]
