from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "fuyuan.performance"
    label = "performance"
    verbose_name = "生效裁判履行"

    def ready(self) -> None:
        from fuyuan.obligations.registry import register
        from fuyuan.performance.workflow import ITEM_KIND

        register(ITEM_KIND)
