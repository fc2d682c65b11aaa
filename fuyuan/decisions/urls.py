from django.urls import path

from fuyuan.decisions import source_views, views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("figures/", source_views.decision_figures, name="figures"),
    path("figures/comments/", source_views.figure_comments, name="figure_comments"),
    path("sources/", source_views.sources, name="sources"),
    path("sources/cases/", source_views.source_cases, name="source_cases"),
    path("link/", source_views.link_case, name="link"),
    path("catalogues/new/", views.catalogue_create, name="catalogue_create"),
    path("catalogues/<int:pk>/", views.catalogue_detail, name="catalogue"),
    path("catalogues/<int:pk>/items/<int:item_pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/documents/", source_views.upload_document, name="upload"),
    path("<int:pk>/documents/<int:doc_pk>/", source_views.document_file, name="document"),
    path("<int:pk>/review-opinion/", views.review_opinion, name="review_opinion"),
]
