"""Leader case-packaging (领导包案, "两包", SPEC §6.4).

Source: 黔南州司法局“三个加强” (法制生活报 2021-10-08): "“两包”，县(市)领导包案化解，州级领导包案督促 … 领导小组对
“两包”案件按月调度，督促跟踪到人。对领导包案化解不到位的，采取电话提醒、约谈等措施". A package gives a leader one case
or a group of cases (套案/群体性) with a goal and a due date; the leader reports progress monthly; the 依法治办
dispatches monthly and interviews (约谈) the leader of a package that falls behind (``is_lagging``).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from fuyuan.cases.models import Case
from fuyuan.core.models import Region, User


class PackageKind(models.TextChoices):
    # 县(市)领导包案化解: a county leader resolves the case(s) through a 专班.
    RESOLVE = "resolve", "包案化解"
    # 州级领导包案督促: a prefecture leader supervises large 套案 and 群体性 cases of their field.
    SUPERVISE = "supervise", "包案督促"


class PackageState(models.TextChoices):
    ACTIVE = "active", "进行中"
    RESOLVED = "resolved", "已化解"
    UNRESOLVED = "unresolved", "未化解结案"
    WITHDRAWN = "withdrawn", "撤销"


CLOSED_STATES = (PackageState.RESOLVED, PackageState.UNRESOLVED, PackageState.WITHDRAWN)


def month_before(day: datetime.date) -> datetime.date:
    """The same day one month earlier (the last day of that month when it is shorter: 3月31日 → 2月28日)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def lagging_condition(today: datetime.date) -> Q:
    """落后 as one filter: an active package past its due date, or with no progress (nor creation) within a month."""
    return Q(state=PackageState.ACTIVE) & (Q(due_on__lt=today) | Q(last_activity_on__lt=month_before(today)))


class CasePackage(models.Model):
    kind = models.CharField("包案类型", max_length=16, choices=PackageKind.choices)
    # The leader's region: a county for 包案化解, the prefecture for 包案督促; scoping is by its subtree.
    region = models.ForeignKey(Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(User, verbose_name="包案领导", on_delete=models.PROTECT, related_name="case_packages")
    cases = models.ManyToManyField(Case, verbose_name="包案案件", related_name="packages")
    goal = models.TextField("化解目标")
    due_on = models.DateField("完成期限")
    state = models.CharField("状态", max_length=16, choices=PackageState.choices, default=PackageState.ACTIVE)
    created_by = models.ForeignKey(User, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    # The last progress report's date (the creation date before any): 落后 is one indexed comparison.
    last_activity_on = models.DateField("最近进展日期")
    # The first day of the month whose dispatch reminder was sent: the sweep picks the others in one query.
    dispatch_reminded_for = models.DateField("已提醒调度月份", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    closing_note = models.TextField("结束说明", blank=True)

    class Meta:
        verbose_name = "领导包案"
        verbose_name_plural = "领导包案"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["state", "dispatch_reminded_for"], name="package_dispatch_due"),
            models.Index(fields=["state", "due_on"], name="package_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="active") | Q(closed_at__isnull=False), name="closed_package_has_closed_at"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader.display_name}{self.get_kind_display()}（{self.goal[:20]}）"

    @property
    def is_active(self) -> bool:
        return self.state == PackageState.ACTIVE

    def is_lagging(self, today: datetime.date) -> bool:
        return self.is_active and (self.due_on < today or self.last_activity_on < month_before(today))

    def lag_reason(self, today: datetime.date) -> str:
        if not self.is_active:
            return ""
        if self.due_on < today:
            return f"已超过完成期限（{self.due_on:%Y-%m-%d}）"
        if self.last_activity_on < month_before(today):
            return f"一个月内未报送进展（最近 {self.last_activity_on:%Y-%m-%d}）"
        return ""


class ProgressReport(models.Model):
    """A monthly progress report by the leader (or entered by the 依法治办 after the dispatch meeting)."""

    package = models.ForeignKey(CasePackage, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField("报送日期")
    text = models.TextField("进展情况")
    by = models.ForeignKey(User, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "包案进展"
        verbose_name_plural = "包案进展"
        ordering = ["reported_on", "id"]
        indexes = [models.Index(fields=["package", "reported_on"], name="progress_package_on")]

    def __str__(self) -> str:
        return f"{self.reported_on:%Y-%m-%d} {self.text[:20]}"


class PackageInterview(models.Model):
    """约谈 of the leader of a package that fell behind: who interviewed, when, and the conclusions."""

    package = models.ForeignKey(CasePackage, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField("约谈日期")
    interviewer = models.CharField("约谈人", max_length=100)
    interviewee = models.CharField("被约谈人", max_length=100)
    conclusions = models.TextField("约谈结论")
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "包案约谈"
        verbose_name_plural = "包案约谈"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.interviewer}约谈{self.interviewee}"
