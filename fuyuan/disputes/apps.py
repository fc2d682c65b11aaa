from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "fuyuan.disputes"
    label = "disputes"
    verbose_name = "争议协调化解"
