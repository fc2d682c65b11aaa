from django.urls import path

from fuyuan.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("figures/", views.figures, name="figures"),
    path("open/<int:case_pk>/", views.open_item, name="open"),
    # Notifications link to this address (``workflow.link``): keep it.
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/terms/", views.terms, name="terms"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/measure/", views.measure, name="measure"),
    path("<int:pk>/proof/", views.proof, name="proof"),
]
