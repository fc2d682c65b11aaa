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
