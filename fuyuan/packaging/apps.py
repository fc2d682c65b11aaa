from django.apps import AppConfig


class PackagingConfig(AppConfig):
    name = "fuyuan.packaging"
    label = "packaging"
    verbose_name = "领导包案"
