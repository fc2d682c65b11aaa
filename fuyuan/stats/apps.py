from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fuyuan.stats"
    label = "stats"
    verbose_name = "统计数据"

    def ready(self) -> None:
        from fuyuan.stats.cache import connect

        connect()  # the dashboard cache's invalidation (stats.cache)
