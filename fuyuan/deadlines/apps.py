from typing import Any

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fuyuan.deadlines"
    label = "deadlines"
    verbose_name = "期限"

    def ready(self) -> None:
        from fuyuan.cases.signals import cases_changed
        from fuyuan.deadlines.workflow import sync_case_deadlines

        def on_cases_changed(sender: object, case_ids: list[int], **kwargs: Any) -> None:
            sync_case_deadlines(case_ids, cases=kwargs.get("cases"), new=kwargs.get("new", False))

        cases_changed.connect(on_cases_changed, weak=False, dispatch_uid="deadlines.sync_case_deadlines")
