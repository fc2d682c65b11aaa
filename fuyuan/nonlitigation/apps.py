from django.apps import AppConfig


class NonlitigationConfig(AppConfig):
    name = "fuyuan.nonlitigation"
    label = "nonlitigation"
    verbose_name = "非诉执行"

    def ready(self) -> None:
        from fuyuan.nonlitigation import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        # The application, acceptance and ruling periods (行政强制法 第53、56-58条): reminded and chased by the sweep.
        register(workflow.PERIOD_KIND)
        register_part(
            Part("nonlitigation", "非诉执行", 57, workflow.PeriodSweep, of_obligations=workflow.period_sweep,
                 kinds=(workflow.PERIOD,))
        )  # fmt: skip
