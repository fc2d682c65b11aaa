"""Loss-risk early warning (败诉风险预警, issue 18): each region's model as last trained, its level thresholds, and
the level of every pending first-instance case. The scores themselves are computed by ``model``; levels change only
through ``workflow`` (each change an Event on the case's timeline)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from fuyuan.cases.models import Case
from fuyuan.core.models import Region, User


class Level(models.TextChoices):
    RED = "red", "红色"
    ORANGE = "orange", "橙色"
    YELLOW = "yellow", "黄色"
    GREEN = "green", "绿色"


LEVEL_ORDER = (Level.RED, Level.ORANGE, Level.YELLOW, Level.GREEN)
# Bootstrap's colours of the levels on the pages.
LEVEL_CSS: dict[str, str] = {Level.RED: "danger", Level.ORANGE: "warning", Level.YELLOW: "info", Level.GREEN: "success"}


@dataclass(frozen=True)
class Thresholds:
    """A score at or above ``red`` is red, else at or above ``orange`` orange, else at or above ``yellow`` yellow,
    else green. The defaults sit around a region's usual loss rate (SPEC §8: about 22 %)."""

    red: float = 0.45
    orange: float = 0.30
    yellow: float = 0.20

    def level_of(self, score: float) -> str:
        if score >= self.red:
            return Level.RED
        if score >= self.orange:
            return Level.ORANGE
        if score >= self.yellow:
            return Level.YELLOW
        return Level.GREEN


DEFAULT_THRESHOLDS = Thresholds()


class RiskSettings(models.Model):
    """The level thresholds of a 州/市 (its subtree), set by its 依法治办 (``workflow.set_thresholds``)."""

    region = models.OneToOneField(Region, verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    red = models.FloatField("红色预警下限", default=DEFAULT_THRESHOLDS.red)
    orange = models.FloatField("橙色预警下限", default=DEFAULT_THRESHOLDS.orange)
    yellow = models.FloatField("黄色预警下限", default=DEFAULT_THRESHOLDS.yellow)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(User, verbose_name="修改人", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "预警阈值"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow__gt=0)
                & Q(orange__gt=models.F("yellow"))
                & Q(red__gt=models.F("orange"))
                & Q(red__lt=1),
                name="risk_thresholds_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region.name} 预警阈值"

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.red, self.orange, self.yellow)


class RiskModelRun(models.Model):
    """A region's model as last trained (``workflow.refresh_region``): what it learnt from, how it did on the
    back-test, and the data signature that tells the sweep whether anything changed since."""

    region = models.OneToOneField(Region, verbose_name="地区", on_delete=models.PROTECT, related_name="+")
    trained_at = models.DateTimeField("训练时间")
    as_of = models.DateField("截至日期")
    signature = models.CharField("数据签名", max_length=200)
    concluded = models.PositiveIntegerField("训练用已结案件数", default=0)
    losses = models.PositiveIntegerField("其中败诉", default=0)
    pending = models.PositiveIntegerField("在审案件数", default=0)
    shortfall = models.CharField("历史不足说明", max_length=300, blank=True)
    backtest = models.JSONField("回测", default=dict)
    weights = models.JSONField("特征权重", default=list)

    class Meta:
        verbose_name = "风险模型"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.region.name} 风险模型（{self.as_of:%Y-%m-%d}）"


class CaseRisk(models.Model):
    """The current level of one pending first-instance case; removed when the case is no longer pending."""

    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="risk")
    region = models.ForeignKey(Region, verbose_name="模型地区", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("预警等级", max_length=10, choices=Level.choices)
    score = models.FloatField("风险评分")
    reasons = models.JSONField("主要原因", default=list)
    as_of = models.DateField("评分日期")
    red_notified = models.BooleanField("已发红色预警通知", default=False)

    class Meta:
        verbose_name = "案件败诉风险"
        verbose_name_plural = verbose_name
        ordering = ["-score", "case_id"]
        indexes = [models.Index(fields=["level", "score"], name="caserisk_level_score")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_level_display()}"
