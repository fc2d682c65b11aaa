"""Deadlines of cases, computed from their dates by the rules of ``deadlines.rules`` and never typed."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation
from fuyuan.deadlines.rules import RULES, Rule


class DeadlineState(models.TextChoices):
    OPEN = "open", "未到期"
    MET = "met", "已完成"
    OVERDUE = "overdue", "已逾期"
    CANCELLED = "cancelled", "已撤销"


class Deadline(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="deadlines")
    rule_id = models.CharField("期限规则", max_length=50, choices=[(r.id, r.label) for r in RULES.values()])
    start_on = models.DateField("起算日")
    due_on = models.DateField("届满日")
    met_on = models.DateField("完成日期", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    owner = models.ForeignKey(Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="deadlines")
    calendar_known = models.BooleanField("节假日已知", default=True)
    # What the sweep has sent about it (临期, 逾期) is its due obligation's (``obligations``, kind
    # ``deadlines.deadline``), kept current by ``deadlines.workflow.keep_obligations``.

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "rule_id"], name="one_deadline_per_rule_per_case")]
        indexes = [
            # The 临期/逾期 page selects open deadlines by due date in one indexed range.
            models.Index(fields=["state", "due_on"], name="deadline_state_due"),
            # The overdue deadlines alone, a few in a hundred: SQLite's statistics (``ANALYZE``) keep only the average
            # number of rows per state (a third of the table), and this index's own row count tells its planner how few
            # they are, so that the dashboard's overdue section starts from them instead of from every case of the
            # region (1,000,000 deadlines: 0.07 s instead of 1.5 s).
            models.Index(fields=["case"], condition=Q(state=DeadlineState.OVERDUE), name="deadline_overdue_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_rule_id_display()} {self.due_on}"

    @property
    def rule(self) -> Rule:
        return RULES[self.rule_id]

    def days_left(self, today: datetime.date) -> int:
        return (self.due_on - today).days

    @property
    def met_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due_on
