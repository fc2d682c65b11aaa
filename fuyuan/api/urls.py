from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from fuyuan.api import pages, views
from fuyuan.core.replica import reads_replica

app_name = "api"
urlpatterns = [
    path("v1/cases/", views.CaseCollection.as_view(), name="cases"),
    path("v1/cases/<str:pk>/", views.CaseItem.as_view(), name="case"),
    path("v1/hearings/", views.HearingCollection.as_view(), name="hearings"),
    path("v1/outcomes/", views.OutcomeCollection.as_view(), name="outcomes"),
    path("v1/figures/", reads_replica(views.FiguresView.as_view()), name="figures"),
    # Anything else under v1 answers in the API's error body, not with the site's HTML page.
    re_path(r"^v1/", views.Unknown.as_view(), name="unknown"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.docs, name="docs"),
    path("systems/", pages.systems, name="systems"),
    path("systems/<int:pk>/tokens/", pages.create_token, name="create_token"),
    path("tokens/<int:pk>/revoke/", pages.revoke, name="revoke_token"),
]
