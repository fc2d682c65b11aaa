from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fuyuan.stats"
    label = "stats"
    verbose_name = "统计数据"
