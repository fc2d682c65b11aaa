from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fuyuan.enforcement"
    label = "enforcement"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from fuyuan.enforcement import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        # A certificate's last day and a major decision's review and filing are due obligations, warned (临期) and
        # chased (逾期) by the one sweep step; these parts report what it did for them.
        register(workflow.CERTIFICATE_KIND)
        register(workflow.DECISION_KIND)
        register_part(
            Part("enforcement_certificates", "执法监督", 60, workflow.CertificateSweep,
                 of_obligations=workflow.certificate_sweep, kinds=(workflow.CERTIFICATE,))
        )  # fmt: skip
        register_part(
            Part("enforcement_decisions", "执法监督", 61, workflow.DecisionSweep,
                 of_obligations=workflow.decision_sweep, kinds=(workflow.DECISION,))
        )  # fmt: skip
