from django.apps import AppConfig


class ReconsiderationConfig(AppConfig):
    name = "fuyuan.reconsideration"
    label = "reconsideration"
    verbose_name = "行政复议办案"

    def ready(self) -> None:
        from fuyuan.deadlines.workflow import register_terms
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.reconsideration import sweep

        # The handled file's own periods (补正 pauses the review, simplified procedure, extension): read by the case
        # deadlines' sync whenever a reconsideration case changes.
        register_terms(sweep.terms_of_cases)
        # 第30条第3款 (deemed acceptance) and 第31条第2款 (silence = withdrawn): applied by the sweep, by name.
        register_part(
            Part(
                "reconsideration", "行政复议", 15, sweep.ApplicationSweep, run=lambda now: sweep.sweep_applications(now)
            )
        )
