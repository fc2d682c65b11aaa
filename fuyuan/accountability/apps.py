from typing import Any

from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "fuyuan.accountability"
    label = "accountability"
    verbose_name = "败诉问责"

    def ready(self) -> None:
        from fuyuan.accountability.losses import sync_loss_reviews
        from fuyuan.cases.signals import cases_changed

        def on_cases_changed(sender: object, case_ids: list[int], **kwargs: Any) -> None:
            sync_loss_reviews(case_ids)

        cases_changed.connect(on_cases_changed, weak=False, dispatch_uid="accountability.sync_loss_reviews")

        from fuyuan.accountability.workflow import DUTY_KIND
        from fuyuan.obligations.registry import register

        register(DUTY_KIND)
