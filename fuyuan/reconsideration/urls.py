from django.urls import path

from fuyuan.reconsideration import views

app_name = "reconsideration"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("replies/", views.replies, name="replies"),
    path("replies/<int:pk>/", views.reply, name="reply"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/materials/<int:material_pk>/", views.material, name="material"),
    path("<int:pk>/documents/<str:key>/", views.document, name="document"),
    path("<int:pk>/archive/", views.archive, name="archive"),
]
