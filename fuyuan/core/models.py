"""Regions, organisations with their heads rosters, users with roles, and the Event timeline (SPEC §2–3)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from fuyuan.core.fields import EncryptedCharField


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省"
    PREFECTURE = 2, "州/市"
    COUNTY = 3, "县/市/区"
    TOWNSHIP = 4, "乡镇/街道"


class Region(models.Model):
    """A node of the region tree (省 → 州/市 → 县/市/区 → 乡镇).

    ``path`` is a materialised path (``/1/7/23/``): a subtree is ``path LIKE '/1/7/%'``, one indexed range scan,
    which is all the tree needs to answer (scoping and "a region includes its whole subtree").
    """

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.IntegerField("层级", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级地区", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Region.objects.filter(pk=self.pk).update(path=path)

    def subtree(self) -> models.QuerySet[Region]:
        return Region.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Region]:
        """From the root down to this region, inclusive."""
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = Region.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def county(self) -> Region:
        """The county-level region this region belongs to; a region above county level is its own "本级"."""
        if self.level <= RegionLevel.COUNTY:
            return self
        for region in reversed(self.ancestors()):
            if region.level == RegionLevel.COUNTY:
                return region
        return self

    @classmethod
    def child_level(cls, parent: Region | None) -> int:
        if parent is None:
            return RegionLevel.PREFECTURE
        return min(parent.level + 1, RegionLevel.TOWNSHIP)


class OrganisationKind(models.TextChoices):
    AGENCY = "agency", "行政机关"
    COURT = "court", "法院"
    PROCURATORATE = "procuratorate", "检察院"
    JUSTICE_BUREAU = "justice_bureau", "司法局"
    RULE_OF_LAW_OFFICE = "rule_of_law_office", "依法治办"
    COORDINATION_CENTRE = "coordination_centre", "协调化解中心"
    DISCIPLINE = "discipline", "纪委监委"
    OTHER = "other", "其他"


class Organisation(models.Model):
    name = models.CharField("名称", max_length=200, unique=True)
    kind = models.CharField("类别", max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.AGENCY)
    region = models.ForeignKey(Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="organisations")

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name

    def heads_on(self, day: datetime.date) -> models.QuerySet[OrganisationHead]:
        """The heads roster valid on ``day`` (who may appear in court as the agency's 负责人)."""
        return self.heads.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class HeadPost(models.TextChoices):
    # 最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》(法释〔2020〕3号) 第2条: 行政机关负责人 means
    # the 正职、副职负责人、参与分管被诉行政行为实施工作的副职级别的负责人以及其他参与分管的负责人.
    PRINCIPAL = "principal", "正职"
    DEPUTY = "deputy", "副职"
    DEPUTY_IN_CHARGE = "deputy_in_charge", "分管副职"
    OTHER_IN_CHARGE = "other_in_charge", "其他分管负责人"


class OrganisationHead(models.Model):
    """One line of an organisation's heads roster, valid over a period."""

    organisation = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="heads")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务类别", max_length=32, choices=HeadPost.choices)
    title = models.CharField("职务", max_length=100, blank=True)
    valid_from = models.DateField("任职起")
    valid_to = models.DateField("任职止", null=True, blank=True)

    class Meta:
        verbose_name = "单位负责人"
        verbose_name_plural = "单位负责人名册"
        ordering = ["organisation", "post", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="head_valid_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_post_display()} {self.name}"


class Role(models.TextChoices):
    RULE_OF_LAW_OFFICE = "rule_of_law_office", "依法治办"
    RECONSIDERATION_BODY = "reconsideration_body", "复议机构"
    COURT_LIAISON = "court_liaison", "法院联络员"
    AGENCY_LIAISON = "agency_liaison", "机关联络员"
    CENTRE_STAFF = "centre_staff", "中心工作人员"
    COORDINATOR = "coordinator", "协调员"
    LEADER = "leader", "领导"
    DISCIPLINE_LIAISON = "discipline_liaison", "纪委监委联络员"
    # 行政执法监督条例 (2026): the 司法行政部门's enforcement supervision staff, and the 特邀行政执法监督员 who review
    # the files they are given (SPEC §6.7).
    ENFORCEMENT_SUPERVISION = "enforcement_supervision", "执法监督人员"
    INVITED_SUPERVISOR = "invited_supervisor", "特邀执法监督员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 等保 三员管理: the three administrators never see case contents.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class User(AbstractUser):
    """A person who logs in. What they see is decided by ``role`` with ``region`` and ``organisation``."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name="所属地区", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # The head of the user's office (依法治办主任) or of the region (县长、州长 as 领导): escalations (一直达) go to them.
    is_head = models.BooleanField("负责人", default=False, help_text="本级依法治办负责人或本级政府负责人，接收督办升级")
    # 个人信息保护法 第51条: encrypted at rest (fuyuan.core.crypto).
    mobile = EncryptedCharField("手机号码", max_length=20, blank=True, help_text="用于短信提醒")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def scope_region(self) -> Region | None:
        """The region whose subtree bounds this user: their own, or their organisation's."""
        if self.region_id:
            return self.region
        return self.organisation.region if self.organisation_id and self.organisation else None


class Event(models.Model):
    """One line of a record's timeline: who did what, when. Events are never changed or deleted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField("操作来源", max_length=100, blank=True)
    action = models.CharField("动作", max_length=50)
    summary = models.CharField("摘要", max_length=500)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "事件"
        verbose_name_plural = "事件"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="event_record_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("事件记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("事件记录不可删除")

    @property
    def who(self) -> str:
        if self.actor_id and self.actor:
            return self.actor.display_name
        return self.actor_label or "系统"


class CalendarYear(models.Model):
    """An administrator's entry of one year's 放假安排, for a year the chinese-calendar package does not know."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """One day of an entered arrangement: a holiday, or a 调休 working day on a weekend."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False, help_text="勾选：周末调休上班；不勾选：放假")
    note = models.CharField("说明", max_length=50, blank=True)

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '放假'}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.calendar_year_id and self.day.year != self.calendar_year.year:
            raise ValidationError({"day": f"日期不在{self.calendar_year.year}年内"})
