from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "fuyuan.rectification"
    label = "rectification"
    verbose_name = "整改销账"

    def ready(self) -> None:
        from fuyuan.obligations.registry import register
        from fuyuan.rectification.workflow import ITEM_KIND

        register(ITEM_KIND)

        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.rectification import workflow

        register_part(
            Part("rectification", "整改销账", 50, workflow.ItemSweep, of_obligations=workflow.item_sweep,
                 kinds=(workflow.ITEM,))
        )  # fmt: skip
