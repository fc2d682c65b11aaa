from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "fuyuan.accountability"
    label = "accountability"
    verbose_name = "败诉问责"
