from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "fuyuan.disputes"
    label = "disputes"
    verbose_name = "争议协调化解"

    def ready(self) -> None:
        from fuyuan.disputes.obligations import PERIOD
        from fuyuan.obligations.registry import register

        register(PERIOD)
