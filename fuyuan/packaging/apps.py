from django.apps import AppConfig


class PackagingConfig(AppConfig):
    name = "fuyuan.packaging"
    label = "packaging"
    verbose_name = "领导包案"

    def ready(self) -> None:
        from fuyuan.obligations.registry import register
        from fuyuan.packaging.workflow import DISPATCH_KIND

        register(DISPATCH_KIND)

        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.packaging import workflow

        register_part(
            Part("packages", "领导包案", 40, workflow.PackageSweep, of_obligations=workflow.package_sweep,
                 kinds=(workflow.DISPATCH,))
        )  # fmt: skip
