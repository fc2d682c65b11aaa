from django.apps import AppConfig


class PackagingConfig(AppConfig):
    name = "fuyuan.packaging"
    label = "packaging"
    verbose_name = "领导包案"

    def ready(self) -> None:
        from fuyuan.obligations.registry import register
        from fuyuan.packaging.workflow import DISPATCH_KIND

        register(DISPATCH_KIND)
