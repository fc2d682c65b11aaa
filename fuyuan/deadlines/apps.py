from typing import Any

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fuyuan.deadlines"
    label = "deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from fuyuan.cases.signals import cases_changed, touches
        from fuyuan.core.signals import calendar_changed
        from fuyuan.deadlines.workflow import CASE_FIELDS, recompute_for_calendar_year, sync_case_deadlines

        def on_cases_changed(sender: object, case_ids: list[int], **kwargs: Any) -> None:
            if touches(kwargs, CASE_FIELDS):
                sync_case_deadlines(case_ids, cases=kwargs.get("cases"), new=kwargs.get("new", False))

        def on_calendar_changed(sender: object, year: int, by: Any = None, **kwargs: Any) -> None:
            recompute_for_calendar_year(year, by=by)

        cases_changed.connect(on_cases_changed, weak=False, dispatch_uid="deadlines.sync_case_deadlines")
        calendar_changed.connect(on_calendar_changed, weak=False, dispatch_uid="deadlines.recompute_for_calendar_year")

        from fuyuan.deadlines import reminders
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        register(reminders.DEADLINE_KIND)
        register_part(
            Part("deadlines", "期限", 10, reminders.DeadlineSweep, of_obligations=reminders.deadline_sweep,
                 kinds=(reminders.OBLIGATION,))
        )  # fmt: skip
