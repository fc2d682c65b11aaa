from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "fuyuan.risk"
    label = "risk"
    verbose_name = "败诉风险预警"

    def ready(self) -> None:
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.risk import workflow

        # Order 66: after the day's deadlines and duties; it trains a region again only when its data changed.
        register_part(Part("risk", "败诉风险预警", 66, workflow.RiskSweep, run=lambda now: workflow.sweep_risk(now)))
