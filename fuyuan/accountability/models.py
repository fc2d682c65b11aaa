"""Written-report duties (书面报告并作出检查, SPEC §4): a county whose first-instance loss rate for the year exceeds
the threshold reports in writing to the prefecture and examines its conduct. A duty is opened by the sweep
(``workflow.open_report_duties``), answered by the county with an uploaded report, and accepted or returned by the
prefecture's 依法治办."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.core.models import Organisation, Region, User


@deconstructible
class ReportStorage(FileSystemStorage):
    """The uploaded reports, under ``DATA_DIR/reports`` (read when used, so a test's ``DATA_DIR`` is honoured)."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "reports")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class DutyState(models.TextChoices):
    OPEN = "open", "待报告"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "退回补充"
    CLOSED = "closed", "已办结"


# The states in which the county still owes a report.
AWAITING_REPORT = (DutyState.OPEN, DutyState.RETURNED)


def report_path(duty: ReportDuty, filename: str) -> str:
    return f"{duty.year}/{duty.county_id}/{filename}"


class ReportDuty(models.Model):
    """One county's duty to report in writing for one year: at most one per (county, year), a DB constraint."""

    county = models.ForeignKey(Region, verbose_name="县(市、区)", on_delete=models.PROTECT, related_name="+")
    government = models.ForeignKey(
        Organisation,
        verbose_name="报告单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="该县(市、区)人民政府；未在单位中登记时为空",
    )
    year = models.PositiveSmallIntegerField("年度")
    window_from = models.DateField("统计起始日期")
    window_to = models.DateField("统计截止日期")
    # The figures at opening, kept as they were: later cases change the county's rate, not why the duty exists.
    lost = models.PositiveIntegerField("一审败诉")
    concluded = models.PositiveIntegerField("一审结案")
    loss_rate = models.DecimalField("败诉率（%）", max_digits=5, decimal_places=2)
    threshold = models.DecimalField("阈值（%）", max_digits=5, decimal_places=2)
    opened_at = models.DateTimeField("启动时间")
    due_on = models.DateField("报告期限")
    state = models.CharField("状态", max_length=16, choices=DutyState.choices, default=DutyState.OPEN)
    report = models.FileField("书面报告", upload_to=report_path, storage=ReportStorage(), blank=True, max_length=255)
    report_name = models.CharField("报告文件名", max_length=255, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name="报送人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "书面报告事项"
        verbose_name_plural = "书面报告事项"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_report_duty_per_county_year"),
            models.CheckConstraint(condition=Q(loss_rate__gt=models.F("threshold")), name="duty_rate_exceeds"),
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "closed"]) | ~Q(report=""), name="duty_report_when_submitted"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="report_duty_state_due")]

    def __str__(self) -> str:
        return f"{self.county.name}{self.year}年败诉率超过{self.threshold:.0f}%书面报告"

    @property
    def reporter(self) -> str:
        return self.government.name if self.government_id and self.government else f"{self.county.name}人民政府"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state in AWAITING_REPORT and today > self.due_on


class ThresholdCheck(models.Model):
    """When the sweep last compared the counties' loss rates for a year with the threshold: once a day is enough
    (the sweep runs every minute), so a day's later sweeps cost one indexed read."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    checked_on = models.DateField("检查日期")

    class Meta:
        verbose_name = "败诉率阈值检查"
        verbose_name_plural = "败诉率阈值检查"

    def __str__(self) -> str:
        return f"{self.year}年败诉率阈值检查（{self.checked_on}）"
