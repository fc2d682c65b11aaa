"""Benchmarks (SPEC §4): the provincial and national averages of a rate for a year, entered by the 依法治办 with
their source, shown beside the region's own rate. They are the only figures typed in by hand, and none of the
platform's figures is computed from them."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from fuyuan.core.models import User

# The rates a benchmark may be entered for: SPEC §4's three rates and the appearance rate (the seeds publish
# 全省平均 for these: 纠错率 14.05%, 败诉率 22.33%, 出庭率 73.99% in 2021).
BENCHMARKED_RATES = {
    "loss_rate": "败诉率",
    "correction_rate": "被纠错率",
    "mediation_rate": "复议调解成功率",
    "appearance_rate": "负责人出庭应诉率",
}


class BenchmarkScope(models.TextChoices):
    PROVINCE = "province", "全省平均"
    NATION = "nation", "全国平均"


class Benchmark(models.Model):
    year = models.PositiveSmallIntegerField("年度")
    rate = models.CharField("比率", max_length=32, choices=list(BENCHMARKED_RATES.items()))
    scope = models.CharField("范围", max_length=10, choices=BenchmarkScope.choices)
    value = models.DecimalField("数值（%）", max_digits=5, decimal_places=2)
    source = models.CharField(
        "来源", max_length=300, help_text="如：省司法厅《2021年全省行政复议行政应诉工作情况通报》"
    )
    entered_by = models.ForeignKey(User, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "对标数据"
        verbose_name_plural = "对标数据"
        ordering = ["-year", "rate", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["year", "rate", "scope"], name="one_benchmark_per_year_rate_scope"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="benchmark_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_scope_display()}{self.get_rate_display()} {self.value}%"


def benchmarks_for(year: int) -> dict[str, dict[str, Benchmark]]:
    """rate key → scope → the benchmark entered for ``year`` (missing ones are simply absent)."""
    found: dict[str, dict[str, Benchmark]] = {}
    for b in Benchmark.objects.filter(year=year):
        found.setdefault(b.rate, {})[b.scope] = b
    return found


def as_percent(value: Decimal) -> str:
    return f"{value:.2f}%"


class FiguresGeneration(models.Model):
    """One row: a counter raised whenever the figures the dashboard caches may have changed (``stats.cache``).

    It lives in the database, not in the cache, so that every process (the web server, ``fuyuan worker``,
    ``fuyuan import-cases``) sees a change made by any other: each process has its own in-memory cache, and the
    counter is part of every cache key."""

    value = models.BigIntegerField("代次", default=0)
    changed_at = models.DateTimeField("变更时间", auto_now=True)

    class Meta:
        verbose_name = "统计数据代次"
        verbose_name_plural = "统计数据代次"

    def __str__(self) -> str:
        return f"{self.value}"


class FigureCount(models.Model):
    """How many cases a combination of counted values has in a month: the figures of SPEC §4/§9 read these rows
    (``stats.counts``) instead of the case table, and ``stats.counts.refresh`` keeps them current in the
    transaction of every case change.

    A row is a case's contribution under one date (``field``: 立案 ``filed_on``, 结案 ``concluded_on``, 开庭
    ``hearing_on``, 收案 ``received_on``) in one ``grain``: "county" (every row of the figures' total, the county
    table and the months), "agency" (with ``defendant``), "domain" (with ``domain``), "cause" (with ``cause``, 结案
    rows only: the losses by 案由). The other columns have the case's names and values, so that the figures'
    measures (``figures._measures``: outcome sets from settings, attendance) and the region scope filter these rows
    with the very conditions they put on cases; a column a date's measures never read is left blank.

    Two grains count the 败诉原因 (SPEC §6.3, the dashboard's section) of a first-instance case whose loss review
    has its 倒查 recorded and is not withdrawn, under the case's 结案日期 with its outcome (so that the loss sets
    from settings apply when reading, as for the losses): "review" (the review itself, ``cause`` blank) and
    "reason" (one row per cause it names, ``cause`` the ``LossCause`` code). In these two grains ``defendant`` is
    the review's losing agency (fixed when it opened) and ``domain`` the case's 领域.

    No unique key: two transactions adding the same new combination at once each insert a row, and the figures
    sum them. ``fuyuan stats --rebuild`` writes the rows afresh from the cases."""

    grain = models.CharField("粒度", max_length=8)
    field = models.CharField("日期字段", max_length=16)
    month = models.DateField("月份")
    region = models.ForeignKey(
        "core.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="所属地区"
    )
    county = models.ForeignKey(
        "core.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name="所属县"
    )
    defendant = models.ForeignKey(
        "core.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name="被告/被申请人",
    )
    domain = models.CharField("领域", max_length=32, blank=True)
    cause = models.CharField("案由", max_length=32, blank=True)
    kind = models.CharField("案件类别", max_length=20)
    instance = models.CharField("审级", max_length=10, blank=True)
    outcome = models.CharField("结案方式", max_length=32, blank=True)
    acceptance = models.CharField("受理情况", max_length=10, blank=True)
    head_appeared = models.BooleanField("负责人出庭", null=True)
    head_spoke = models.BooleanField("负责人出声", null=True)
    head_absence_reason = models.CharField("负责人未出庭事由", max_length=32, blank=True)
    n = models.IntegerField("件数")

    class Meta:
        verbose_name = "统计计数"
        verbose_name_plural = "统计计数"
        indexes = [models.Index(fields=["grain", "field", "month"], name="figurecount_grain_month")]

    def __str__(self) -> str:
        return f"{self.grain} {self.field} {self.month:%Y-%m}: {self.n}"


class CountedCase(models.Model):
    """A case's values as ``FigureCount`` last counted them: ``stats.counts.refresh`` takes these away and adds the
    case's values now, so a refresh needs no before-image from its caller, may run twice, and finds a deleted
    case's contribution after the case is gone (``case_id`` is a plain number, not a key to the case)."""

    case_id = models.BigIntegerField("案件", primary_key=True)
    kind = models.CharField("案件类别", max_length=20)
    instance = models.CharField("审级", max_length=10, blank=True)
    region_id = models.BigIntegerField("所属地区")
    county_id = models.BigIntegerField("所属县")
    defendant_id = models.BigIntegerField("被告/被申请人", null=True)
    domain = models.CharField("领域", max_length=32, blank=True)
    cause = models.CharField("案由", max_length=32, blank=True)
    filed_on = models.DateField("立案日期", null=True)
    concluded_on = models.DateField("结案日期", null=True)
    hearing_on = models.DateField("开庭日期", null=True)
    received_on = models.DateField("收案日期", null=True)
    outcome = models.CharField("结案方式", max_length=32, blank=True)
    acceptance = models.CharField("受理情况", max_length=10, blank=True)
    head_appeared = models.BooleanField("负责人出庭", null=True)
    head_spoke = models.BooleanField("负责人出声", null=True)
    head_absence_reason = models.CharField("负责人未出庭事由", max_length=32, blank=True)
    # The case's loss review as the 败诉原因 count it (grains "review" and "reason"): its losing agency while its 倒查
    # is recorded and it is not withdrawn (null otherwise), and the causes it names, codes of ``LossCause`` in
    # their order, comma-separated.
    review_agency_id = models.BigIntegerField("倒查的败诉机关", null=True)
    review_causes = models.CharField("倒查的败诉原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "已计数的案件"
        verbose_name_plural = "已计数的案件"

    def __str__(self) -> str:
        return str(self.case_id)
