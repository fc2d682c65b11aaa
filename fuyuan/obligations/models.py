"""One due obligation: something a workflow has put on someone to do by a date, reminded before (临期) and chased
after (逾期) by one sweep step (``obligations.workflow.sweep``), whatever the domain (STYLE.md "One mechanism for due
things"). The domain keeps it current by calling ``obligations.workflow`` by name, and says how it is worded and
to whom it goes through ``obligations.registry``; this app imports no domain app."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from fuyuan.core.models import Organisation, User


class ObligationState(models.TextChoices):
    OPEN = "open", "未完成"
    MET = "met", "已完成"
    CANCELLED = "cancelled", "已撤销"


class Obligation(models.Model):
    # What it is about: the registry's kind (``rectification.item``) and the id of the record in that kind's table.
    kind = models.CharField("事项类别", max_length=60)
    subject_id = models.BigIntegerField("所涉记录编号")
    # The rule of ``deadlines.rules`` the date comes from, where there is one (``centre.plan``); else empty.
    rule_id = models.CharField("期限规则", max_length=50, blank=True)
    due_on = models.DateField("届满日")
    # From this day on the owner is reminded once (临期); none: no reminder before the due date.
    warn_on = models.DateField("临期提醒日", null=True, blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name="责任单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        User, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How often ``keep`` has moved its due date (a case deadline recomputed for a new 放假安排): a kind names the
    # messages of a moved date apart from those of the first (their outbox keys), so the new reminder is sent.
    date_changes = models.PositiveSmallIntegerField("届满日变更次数", default=0, db_default=0)
    state = models.CharField("状态", max_length=10, choices=ObligationState.choices, default=ObligationState.OPEN)
    warned_at = models.DateTimeField("临期提醒时间", null=True, blank=True)
    chased_at = models.DateTimeField("逾期督办时间", null=True, blank=True)
    # When the sweep looks at it next: the start of the warn day, then of the day after the due date; none when
    # nothing is left to send. A failure moves it forward (``failures``, ``last_error``).
    next_check_at = models.DateTimeField("下次检查时间", null=True, blank=True)
    failures = models.PositiveSmallIntegerField("连续失败次数", default=0)
    last_error = models.CharField("最近一次错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "到期事项"
        verbose_name_plural = "到期事项"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id", "rule_id"], name="one_obligation_per_subject_rule")
        ]
        indexes = [
            # The sweep selects what is due in one indexed range over the open obligations with something left.
            models.Index(fields=["next_check_at"], condition=Q(state="open"), name="obligation_due"),
            models.Index(fields=["kind", "subject_id"], name="obligation_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.subject_id} {self.rule_id} {self.due_on}"

    def days_overdue(self, today: datetime.date) -> int:
        return (today - self.due_on).days
