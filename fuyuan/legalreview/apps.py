from django.apps import AppConfig


class LegalReviewConfig(AppConfig):
    name = "fuyuan.legalreview"
    label = "legalreview"
    verbose_name = "法律事务合法性审查"

    def ready(self) -> None:
        from fuyuan.legalreview import workflow
        from fuyuan.notifications.sweep import Part, register_part
        from fuyuan.obligations.registry import register

        # The review period is a due obligation of the review body, reminded (临期) and chased (逾期) by the one sweep.
        register(workflow.REVIEW_KIND)
        register_part(
            Part("legalreview", "合法性审查", 58, workflow.ReviewSweep, of_obligations=workflow.review_sweep,
                 kinds=(workflow.REVIEW,))
        )  # fmt: skip
