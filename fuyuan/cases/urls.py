from django.urls import path

from fuyuan.cases import ledger_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/<str:kind>/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/timeline/", views.case_timeline, name="timeline"),
    path("export.xlsx", ledger_views.case_export, name="export"),
    path("import/", ledger_views.ledger_import, name="import"),
    path("import/template.xlsx", ledger_views.ledger_template, name="import_template"),
    path("import/<str:token>/", ledger_views.import_job, name="import_job"),
    path("import/<str:token>/progress/", ledger_views.import_progress, name="import_progress"),
]
