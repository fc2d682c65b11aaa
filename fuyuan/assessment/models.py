"""The yearly rule-of-law assessment (法治建设考核, SPEC §6.7): a scheme per prefecture and year whose indicators
carry a weight and a scoring rule, and the manual items (述法, 督察 findings) entered with their evidence.

The scores themselves are never stored: they are computed from the platform's records each time (``scoring``), so a
ranking is always reproducible from the records behind it. What is stored is what people decide: the scheme (and its
changes, each an Event on the scheme's timeline) and the manual entries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.core.models import Organisation, Region, User


class SchemeState(models.TextChoices):
    DRAFT = "draft", "编制中"
    IN_USE = "in_use", "已启用"


class RuleKind(models.TextChoices):
    # The value scores linearly between the floor (0 points) and the target (full points), clipped at both ends.
    LINEAR = "linear", "线性计分"
    # Full points when the value reaches the target, none otherwise.
    MET = "met", "达标得满分"


class Scheme(models.Model):
    """The assessment scheme of one prefecture for one year: at most one per (region, year)."""

    region = models.ForeignKey(Region, verbose_name="考核地区（州/市）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("考核年度")
    state = models.CharField("状态", max_length=12, choices=SchemeState.choices, default=SchemeState.DRAFT)
    copied_from = models.ForeignKey(
        "self", verbose_name="沿用自", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(User, verbose_name="编制人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("编制时间")

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="assessment_one_scheme_per_year")]

    def __str__(self) -> str:
        return f"{self.region.name}{self.year}年度法治建设考核方案"

    @property
    def window(self) -> tuple[datetime.date, datetime.date]:
        return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)


class Indicator(models.Model):
    """One indicator of a scheme: ``code`` names its source in the registry (``indicators.SOURCES``)."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("指标代码", max_length=40)
    name = models.CharField("指标名称", max_length=60)
    position = models.PositiveSmallIntegerField("排序")
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2)
    rule = models.CharField("计分规则", max_length=8, choices=RuleKind.choices, default=RuleKind.LINEAR)
    floor = models.DecimalField("下限（得0分）", max_digits=8, decimal_places=2, default=Decimal(0))
    target = models.DecimalField("目标值（得满分）", max_digits=8, decimal_places=2)
    lower_is_better = models.BooleanField("越低越好", default=False)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_indicator_once"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="assessment_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


@deconstructible
class EvidenceStorage(FileSystemStorage):
    """The manual items' evidence, under ``DATA_DIR/assessment`` (read when used, so a test's ``DATA_DIR`` holds)."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "assessment")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


def evidence_path(entry: ManualEntry, filename: str) -> str:
    return f"{entry.indicator.scheme.year}/{Path(filename).name}"


class ManualEntry(models.Model):
    """A manual item's value (0–100) for one unit — a county (``region``) or a department (``organisation``) — with
    the evidence it rests on and who entered it. Entered again, it is replaced and the change is an Event."""

    indicator = models.ForeignKey(Indicator, verbose_name="考核指标", on_delete=models.CASCADE, related_name="entries")
    region = models.ForeignKey(
        Region, verbose_name="县(市、区)", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField("得分率（0–100）", max_digits=5, decimal_places=2)
    note = models.TextField("说明")
    evidence = models.FileField("佐证材料", upload_to=evidence_path, storage=EvidenceStorage(), max_length=255)
    evidence_name = models.CharField("佐证材料文件名", max_length=255)
    entered_by = models.ForeignKey(User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "考核手工项"
        verbose_name_plural = "考核手工项"
        ordering = ["indicator", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True, organisation__isnull=False)
                | Q(region__isnull=False, organisation__isnull=True),
                name="assessment_entry_one_unit",
            ),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=100), name="assessment_entry_value_range"),
            models.UniqueConstraint(fields=["indicator", "region"], name="assessment_entry_once_per_county"),
            models.UniqueConstraint(fields=["indicator", "organisation"], name="assessment_entry_once_per_department"),
        ]

    def __str__(self) -> str:
        unit = self.region or self.organisation
        return f"{self.indicator.name} {unit}"
