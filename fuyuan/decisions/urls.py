from django.urls import path

from fuyuan.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("catalogues/new/", views.catalogue_create, name="catalogue_create"),
    path("catalogues/<int:pk>/", views.catalogue_detail, name="catalogue"),
    path("catalogues/<int:pk>/items/<int:item_pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/review-opinion/", views.review_opinion, name="review_opinion"),
]
