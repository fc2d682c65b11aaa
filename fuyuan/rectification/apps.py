from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "fuyuan.rectification"
    label = "rectification"
    verbose_name = "整改销账"
