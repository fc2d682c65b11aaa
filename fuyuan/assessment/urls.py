from django.urls import path

from fuyuan.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_create, name="create"),
    path("<int:pk>/", views.ranking, name="ranking"),
    path("<int:pk>/scheme/", views.scheme_detail, name="scheme"),
    path("<int:pk>/manual/", views.manual_entry, name="manual"),
    path("<int:pk>/records/<str:code>/", views.records, name="records"),
    path("<int:pk>/report.docx", views.report_docx, name="docx"),
    path("<int:pk>/ranking.xlsx", views.ranking_xlsx, name="xlsx"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
