from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fuyuan.core.urls")),
    path("cases/", include("fuyuan.cases.urls")),
    path("stats/", include("fuyuan.stats.urls")),
    path("deadlines/", include("fuyuan.deadlines.urls")),
    path("notifications/", include("fuyuan.notifications.urls")),
    path("hearings/", include("fuyuan.hearings.urls")),
    path("disputes/", include("fuyuan.disputes.urls")),
    path("documents/", include("fuyuan.documents.urls")),
    path("accountability/", include("fuyuan.accountability.urls")),
    path("packaging/", include("fuyuan.packaging.urls")),
    path("rectification/", include("fuyuan.rectification.urls")),
    path("admin/", admin.site.urls),
]
