"""Hearings and the appearance of the agency's head (出庭应诉, SPEC §6.1). Only ``hearings.workflow`` writes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q

from fuyuan.cases.choices import AbsenceReason
from fuyuan.cases.models import Case
from fuyuan.core.fields import EncryptedCharField
from fuyuan.core.models import Organisation, OrganisationHead, Region, User


class HearingState(models.TextChoices):
    NOTIFIED = "notified", "待指定出庭负责人"
    ESCALATED = "escalated", "已督办（未按时指定）"
    DESIGNATED = "designated", "已指定出庭负责人"
    EXCUSED = "excused", "书面说明·委托出庭"
    ATTENDED = "attended", "负责人已出庭"
    ABSENT = "absent", "负责人未出庭"
    CANCELLED = "cancelled", "已取消"


# Hearings still waiting for their day: reminders, escalation and designation apply to these.
UPCOMING_STATES = (HearingState.NOTIFIED, HearingState.ESCALATED, HearingState.DESIGNATED, HearingState.EXCUSED)


class Hearing(models.Model):
    """One court session of a litigation case for which the court has sent a notice (开庭通知)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="hearings")
    # The court and the defendant agency at the time of the notice, kept with the hearing for the agency's and
    # the court's task lists; the region is the case's county, whose 依法治办 supervises the appearance.
    court = models.ForeignKey(Organisation, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organisation, verbose_name="被告机关", on_delete=models.PROTECT, related_name="hearings")
    county = models.ForeignKey(Region, verbose_name="所属县(市、区)", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("开庭日期")
    starts_at = models.TimeField("开庭时间", null=True, blank=True)
    courtroom = models.CharField("法庭", max_length=100, blank=True)
    state = models.CharField("状态", max_length=12, choices=HearingState.choices, default=HearingState.NOTIFIED)

    designated_head = models.ForeignKey(
        OrganisationHead,
        verbose_name="指定出庭负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    designee_phone = EncryptedCharField("出庭负责人手机", max_length=20, blank=True)  # 个人信息保护法 第51条
    designated_at = models.DateTimeField("指定时间", null=True, blank=True)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    # When the two reminders (两提, T-7 and T-1) went out; the sweep claims a reminder by setting its time, so
    # two sweeps at once send it once. A notice registered after a reminder's moment counts as that reminder.
    reminded_t7_at = models.DateTimeField("开庭前7日提醒时间", null=True, blank=True)
    reminded_t1_at = models.DateTimeField("开庭前1日提醒时间", null=True, blank=True)

    # 法释〔2020〕3号 第8-10条: a head who cannot appear files a written explanation with a lawful reason and
    # delegates a staff member of the agency who exercises the power in question.
    absence_reason = models.CharField("不能出庭事由", max_length=32, choices=AbsenceReason.choices, blank=True)
    explanation = models.TextField("书面说明", blank=True)
    delegate_name = models.CharField("委托出庭工作人员", max_length=50, blank=True)
    delegate_title = models.CharField("委托人员职务", max_length=100, blank=True)

    appeared_head_name = models.CharField("实际出庭负责人", max_length=50, blank=True)
    # 法释〔2020〕3号 第11条第3款: the head speaks to the substantive resolution of the dispute (出声).
    spoke = models.BooleanField("负责人出声", null=True, blank=True)
    speech = models.TextField("发言要点", blank=True)
    attendance_recorded_at = models.DateTimeField("出庭情况登记时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)

    registered_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "开庭"
        verbose_name_plural = "开庭"
        ordering = ["held_on", "starts_at", "id"]
        constraints = [
            # One notice per case and day: registering the same notice twice would notify everyone twice.
            models.UniqueConstraint(
                fields=["case", "held_on"], condition=~Q(state="cancelled"), name="one_hearing_per_case_per_day"
            )
        ]
        indexes = [
            # The sweep and the weekly page select upcoming hearings by state and date in one indexed range.
            models.Index(fields=["state", "held_on"], name="hearing_state_day"),
            models.Index(fields=["county", "held_on"], name="hearing_county_day"),
            models.Index(fields=["agency", "held_on"], name="hearing_agency_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.held_on}"

    @classmethod
    def of_case(cls, case: Case, **fields: Any) -> Hearing:
        """A new hearing of ``case``, with the court, the defendant agency and the county taken from it."""
        return cls(case=case, court=case.court, agency_id=case.defendant_id, county_id=case.county_id, **fields)

    @property
    def is_upcoming(self) -> bool:
        return self.state in UPCOMING_STATES

    def designation_due(self) -> datetime.date:
        """SPEC §6.1: the head is designated before the first reminder (T-7)."""
        return self.held_on - datetime.timedelta(days=7)
