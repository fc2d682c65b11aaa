from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fuyuan.decisions"
    label = "decisions"
    verbose_name = "重大行政决策"

    def ready(self) -> None:
        from fuyuan.decisions import reminders
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        # The comment period and the legality review period (条例 第15条、第27条): reminded and chased by the sweep.
        register(reminders.PERIOD_KIND)
        register_part(
            Part("decisions", "重大决策", 59, reminders.PeriodSweep, of_obligations=reminders.period_sweep,
                 kinds=(reminders.PERIOD,))
        )  # fmt: skip
