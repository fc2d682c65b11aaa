from django.urls import path

from fuyuan.stats import benchmark_views, dashboard_views, views, weekly_views

app_name = "stats"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("benchmarks/", benchmark_views.benchmark_list, name="benchmarks"),
    path("benchmarks/new/", benchmark_views.benchmark_edit, name="benchmark_new"),
    path("benchmarks/<int:pk>/", benchmark_views.benchmark_edit, name="benchmark_edit"),
    path("weekly/", weekly_views.weekly, name="weekly"),
    path("weekly.xlsx", weekly_views.weekly_export, name="weekly_export"),
]
