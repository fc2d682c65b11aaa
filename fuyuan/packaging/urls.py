from django.urls import path, re_path

from fuyuan.packaging import views

app_name = "packaging"
urlpatterns = [
    path("", views.package_list, name="list"),
    path("new/", views.package_new, name="new"),
    path("dispatch/", views.dispatch, name="dispatch"),
    re_path(r"^dispatch\.(?P<fmt>xlsx|docx)$", views.dispatch_download, name="dispatch_download"),
    path("<int:pk>/", views.package_detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/interview/", views.interview, name="interview"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
