from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "fuyuan.obligations"
    label = "obligations"
    verbose_name = "到期事项"
