from typing import Any

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fuyuan.stats"
    label = "stats"
    verbose_name = "统计数据"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from fuyuan.accountability.models import LossReview
        from fuyuan.cases.models import Case
        from fuyuan.stats import counts
        from fuyuan.stats.cache import connect

        connect()  # the dashboard cache's invalidation (stats.cache)

        # No workflow deletes a case; the admin or a shell may (a wrong import taken back): its counts go with it,
        # in the transaction of the delete (``counts.refresh`` finds the case gone and takes its snapshot away).
        def case_deleted(sender: object, instance: Case, **kwargs: Any) -> None:
            counts.refresh([instance.pk])

        post_delete.connect(case_deleted, sender=Case, weak=False, dispatch_uid="stats.counts.case_deleted")

        # Nor does any workflow delete a loss review (a wrong import's are deleted before its cases): its 败诉原因
        # leave the counts with it.
        def review_deleted(sender: object, instance: LossReview, **kwargs: Any) -> None:
            counts.refresh([instance.case_id])

        post_delete.connect(
            review_deleted, sender=LossReview, weak=False, dispatch_uid="stats.counts.loss_review_deleted"
        )
