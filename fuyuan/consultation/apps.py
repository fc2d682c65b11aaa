from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "fuyuan.consultation"
    label = "consultation"
    verbose_name = "诉前沟通、判前会商"

    def ready(self) -> None:
        from fuyuan.consultation import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        # The agency's answer is a due obligation, reminded (临期) and chased (逾期) by the one sweep step.
        register(workflow.ANSWER_KIND)
        register_part(
            Part("consultation", "败诉风险提示", 56, workflow.AnswerSweep, of_obligations=workflow.answer_sweep,
                 kinds=(workflow.ANSWER,))
        )  # fmt: skip
