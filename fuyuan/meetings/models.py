"""Joint meetings of government and court (府院联席会议, SPEC §6.9): the office of a region (府院联席会议办公室) and
its members, the meetings it holds (agenda, participants, minutes) and what they decide (议定事项), each decision a
task with an owner unit, a due date and a report, tracked to done. Only ``meetings.workflow`` changes these
records."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.core.models import Organisation, Region, User
from fuyuan.core.uploads import upload_dir


@deconstructible
class MeetingStorage(FileSystemStorage):
    """The reports' attachments, under ``DATA_DIR/meetings`` (read when used, so a test's ``DATA_DIR`` is
    honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("meetings"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class JointOffice(models.Model):
    """The 府院联席会议办公室 of one region, run by the region's 依法治办."""

    region = models.OneToOneField(Region, verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200)
    created_at = models.DateTimeField("设立时间")
    created_by = models.ForeignKey(User, verbose_name="设立人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "府院联席会议办公室"
        verbose_name_plural = "府院联席会议办公室"
        ordering = ["region__path"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CONVENOR = "convenor", "召集人"
    DEPUTY = "deputy", "副召集人"
    MEMBER = "member", "成员单位"


class OfficeMember(models.Model):
    """One member of the joint meeting for a period: a convenor or deputy (a person, with their post and unit), or
    a member unit with its liaison person."""

    office = models.ForeignKey(JointOffice, verbose_name="联席办", on_delete=models.CASCADE, related_name="members")
    role = models.CharField("身份", max_length=16, choices=MemberRole.choices)
    organisation = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    person = models.CharField("姓名", max_length=100, blank=True)
    post = models.CharField("职务", max_length=100, blank=True)
    liaison = models.ForeignKey(
        User, verbose_name="联络员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField("任职起始日")
    valid_to = models.DateField("任职截止日", null=True, blank=True)

    class Meta:
        verbose_name = "联席会议成员"
        verbose_name_plural = "联席会议成员"
        ordering = ["office", "role", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="office_member_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person or self.organisation.name}"

    def is_current(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class MeetingKind(models.TextChoices):
    ANNUAL = "annual", "年度联席会议"
    SPECIAL = "special", "专题会议"
    # 安阳 (seed): 败诉案件分析研判会 — the losses of a period studied with the losing agencies.
    LOSS_ANALYSIS = "loss_analysis", "败诉分析研判会"


class Meeting(models.Model):
    office = models.ForeignKey(JointOffice, verbose_name="联席办", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("会议类别", max_length=16, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=200)
    minutes = models.TextField("会议纪要", blank=True)
    # The window of the figures pack (会议材料：府院联动工作数据) prepared for the meeting.
    period_from = models.DateField("材料统计起始日")
    period_to = models.DateField("材料统计截止日")
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=models.F("period_from")), name="meeting_period_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("议题", max_length=500)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Participant(models.Model):
    """Who attended, for which unit."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="participants")
    name = models.CharField("姓名", max_length=100)
    post = models.CharField("职务", max_length=100, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name="代表单位", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation.name}）"


def report_path(decision: Decision, filename: str) -> str:
    return f"reports/{decision.meeting_id}/{filename}"


class DecisionState(models.TextChoices):
    ASSIGNED = "assigned", "办理中"
    REPORTED = "reported", "已报告办结"
    DONE = "done", "已确认办结"


class Decision(models.Model):
    """One 议定事项 of a meeting: a task for its owner unit, due on the date the meeting set; the owner reports
    completion, the office confirms it (done) or sends it back."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField("序号")
    text = models.TextField("议定事项")
    owner = models.ForeignKey(Organisation, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("办结期限", db_index=True)
    state = models.CharField("状态", max_length=16, choices=DecisionState.choices, default=DecisionState.ASSIGNED)
    report_text = models.TextField("办理情况", blank=True)
    report_file = models.FileField(
        "办理材料", upload_to=report_path, storage=MeetingStorage(), blank=True, max_length=255
    )
    report_name = models.CharField("办理材料文件名", max_length=255, blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        User, verbose_name="报告人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_note = models.TextField("退回意见", blank=True)
    confirmed_at = models.DateTimeField("确认办结时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="decision_position")]

    def __str__(self) -> str:
        return f"{self.meeting.title} 第{self.position}项"

    def is_overdue(self, today: datetime.date) -> bool:
        """Overdue: still being worked on (not reported, or sent back) after its due date."""
        return self.state == DecisionState.ASSIGNED and self.due_on < today
