from django.urls import path

from fuyuan.legalreview import views

app_name = "legalreview"
urlpatterns = [
    path("", views.matter_list, name="list"),
    path("new/", views.matter_submit, name="submit"),
    path("queue/", views.review_queue_page, name="queue"),
    path("figures/", views.figures_page, name="figures"),
    path("<int:pk>/", views.matter_detail, name="detail"),
    path("<int:pk>/attachment/", views.matter_attachment, name="attachment"),
    path("<int:pk>/opinion.docx", views.matter_opinion, name="opinion"),
]
