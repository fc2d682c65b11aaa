from typing import Any

from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "fuyuan.accountability"
    label = "accountability"
    verbose_name = "败诉问责"

    def ready(self) -> None:
        from fuyuan.accountability.losses import LOSS_FIELDS, sync_loss_reviews
        from fuyuan.cases.signals import cases_changed, touches

        def on_cases_changed(sender: object, case_ids: list[int], **kwargs: Any) -> None:
            if touches(kwargs, LOSS_FIELDS):
                sync_loss_reviews(case_ids)

        cases_changed.connect(on_cases_changed, weak=False, dispatch_uid="accountability.sync_loss_reviews")

        # The sweep: the daily check that opens duties is a step of its own; the reports owed are due obligations.
        from fuyuan.accountability import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        register(workflow.DUTY_KIND)
        register_part(
            Part("report_duties", "书面报告", 30, workflow.DutySweep, run=lambda now: workflow.sweep_report_duties(now))
        )
        register_part(
            Part("report_deadlines", "书面报告", 31, workflow.DutyChase, of_obligations=workflow.duty_chase,
                 kinds=(workflow.DUTY,))
        )  # fmt: skip
