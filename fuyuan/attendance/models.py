"""Court-attendance study (旁听庭审, SPEC §6.7 item 4): a hearing attended by state employees to learn the law from a
real case, the units and the people who attended, and each person's 心得/学习记录. Each unit's count for the year is
measured against the rule (``rules.min_sessions``). Only ``attendance.workflow`` changes these records."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, User


class Mode(models.TextChoices):
    # 黔西南州: "采取'线上+线下'模式".
    IN_PERSON = "in_person", "现场旁听"
    ONLINE = "online", "线上旁听"


class Session(models.Model):
    """One hearing attended: the case (a registered ``Case`` where there is one, else the court's case number)."""

    case = models.ForeignKey(
        Case, verbose_name="关联案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_number = models.CharField("案号", max_length=100)
    cause = models.CharField("案由", max_length=200, blank=True)
    court = models.ForeignKey(Organisation, verbose_name="审理法院", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("庭审日期")
    mode = models.CharField("旁听方式", max_length=12, choices=Mode.choices)
    recorded_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "旁听庭审"
        verbose_name_plural = "旁听庭审"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.case_number}"


class SessionUnit(models.Model):
    """A unit that attended the session: what the yearly count counts (once per session)."""

    session = models.ForeignKey(Session, verbose_name="旁听庭审", on_delete=models.CASCADE, related_name="units")
    organisation = models.ForeignKey(
        Organisation, verbose_name="组织单位", on_delete=models.PROTECT, related_name="attendance_units"
    )
    # The session's date, kept here so a unit's yearly count is one indexed aggregate.
    held_on = models.DateField("庭审日期")

    class Meta:
        verbose_name = "旁听单位"
        verbose_name_plural = "旁听单位"
        ordering = ["session", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["session", "organisation"], name="sessionunit_once")]
        indexes = [models.Index(fields=["organisation", "held_on"], name="sessionunit_org_held")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.held_on:%Y-%m-%d}"


class Attendee(models.Model):
    """A person who attended for a unit, with their 心得/学习记录."""

    unit = models.ForeignKey(SessionUnit, verbose_name="旁听单位", on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, blank=True)
    reflection = models.TextField("心得体会/学习记录", blank=True)

    class Meta:
        verbose_name = "旁听人员"
        verbose_name_plural = "旁听人员"
        ordering = ["unit", "id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="attendee_has_name")]

    def __str__(self) -> str:
        return self.name
