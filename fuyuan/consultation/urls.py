from django.urls import path

from fuyuan.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("figures/", views.figures_page, name="figures"),
    path("case/<int:case_pk>/send/", views.notice_send, name="send"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/letter.docx", views.notice_letter, name="letter"),
]
