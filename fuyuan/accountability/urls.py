from django.urls import path

from fuyuan.accountability import loss_views, transfer_views, typical_views, views

app_name = "accountability"
urlpatterns = [
    path("", views.duty_list, name="list"),
    # Notifications link to this address (``workflow.link``): keep it.
    path("<int:pk>/", views.duty_detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/report/", views.download_report, name="report"),
    # 败诉问责 (SPEC §6.3); notifications link to the detail address (``losses.link``): keep it.
    path("losses/", loss_views.loss_list, name="loss_list"),
    path("losses/<int:pk>/", loss_views.loss_detail, name="loss_detail"),
    path("losses/<int:pk>/notice/", loss_views.notice, name="loss_notice"),
    path("losses/<int:pk>/analysis/", loss_views.analysis, name="loss_analysis"),
    path("losses/<int:pk>/interview/", loss_views.interview, name="loss_interview"),
    path("losses/<int:pk>/decision/", loss_views.decision, name="loss_decision"),
    path("losses/<int:pk>/comment/", loss_views.comment, name="loss_comment"),
]

# 典型案例 (以案释法, SPEC §6.3); notifications link to the detail address (``typical.link``): keep it.
urlpatterns += [
    path("typical/", typical_views.compilation_list, name="typical_list"),
    path("typical/<int:pk>/", typical_views.compilation_detail, name="typical_detail"),
    path("typical/<int:pk>/select/", typical_views.select, name="typical_select"),
    path("typical/<int:pk>/issue/", typical_views.issue, name="typical_issue"),
    path("typical/<int:pk>/download/", typical_views.download, name="typical_download"),
    path("typical/cases/<int:item>/edit/", typical_views.edit, name="typical_edit"),
    path("typical/cases/<int:item>/move/", typical_views.move, name="typical_move"),
    path("typical/cases/<int:item>/remove/", typical_views.remove, name="typical_remove"),
]

# 移送纪委监委 (SPEC §6.3; issue 6 §4); notifications link to the detail address (``transfers.link``): keep it.
urlpatterns += [
    path("transfers/", transfer_views.transfer_list, name="transfer_list"),
    path("transfers/review/", transfer_views.candidate_list, name="transfer_candidates"),
    path("transfers/review/<int:review>/propose/", transfer_views.propose, name="transfer_propose"),
    path("transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/<str:step>/", transfer_views.step, name="transfer_step"),
]
