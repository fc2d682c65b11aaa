"""Entering the benchmarks (对标数据, SPEC §4): the one state change of ``stats``, since every other figure is computed.

``record_benchmark`` checks the actor's right, validates, saves the entry and writes its Event (who, when, old →
new) in one transaction; nothing else writes a Benchmark. The dashboard's cache follows the save on its own
(``stats.cache`` listens to Benchmark saves).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from fuyuan.core.models import RegionLevel, Role, User
from fuyuan.core.timeline import record_event
from fuyuan.stats.models import BENCHMARKED_RATES, Benchmark, BenchmarkScope


class BenchmarkError(Exception):
    """An entry that cannot be saved, with the reason in Chinese for the person who tried."""


def can_enter(user: User) -> bool:
    """The 依法治办 of a prefecture (州/市) or a province: the averages are published above the county."""
    region = user.scope_region
    return user.role == Role.RULE_OF_LAW_OFFICE and region is not None and region.level <= RegionLevel.PREFECTURE


def described(benchmark: Benchmark) -> dict[str, str]:
    """The entry as its timeline shows it (label → value)."""
    return {
        "年度": str(benchmark.year),
        "比率": benchmark.get_rate_display(),
        "范围": benchmark.get_scope_display(),
        "数值": f"{benchmark.value:.2f}%",
        "来源": benchmark.source,
    }


def _check(rate: str, scope: str, value: Decimal, source: str) -> None:
    if rate not in BENCHMARKED_RATES:
        raise BenchmarkError("请选择比率")
    if scope not in BenchmarkScope.values:
        raise BenchmarkError("请选择范围（全省平均或全国平均）")
    if not Decimal("0") <= value <= Decimal("100"):
        raise BenchmarkError("数值应在 0 到 100 之间")
    if not source.strip():
        raise BenchmarkError("请填写来源（发布单位与文件名称）")


def record_benchmark(
    benchmark: Benchmark | None,
    *,
    year: int,
    rate: str,
    scope: str,
    value: Decimal,
    source: str,
    by: User,
) -> Benchmark:
    """Enter a benchmark (``benchmark`` is None) or change one, and write ``benchmark_entered`` or
    ``benchmark_changed`` with old → new (a save that changes nothing writes no Event). A second entry for the same
    (year, rate, scope) is refused with what to do instead: the database constraint decides, so two people saving
    at once leave one entry."""
    if not can_enter(by):
        raise BenchmarkError("对标数据由州（市）级以上依法治办录入")
    _check(rate, scope, value, source)
    try:
        with transaction.atomic():
            # Re-read what is stored: the old values of the Event are the database's, not a form's copy.
            entry = Benchmark.objects.select_for_update().get(pk=benchmark.pk) if benchmark else Benchmark()
            before = described(entry) if benchmark else {}
            entry.year, entry.rate, entry.scope, entry.value = year, rate, scope, value
            entry.source = source.strip()
            entry.entered_by = by
            entry.save()
            after = described(entry)
            changes = {label: [before.get(label, ""), now] for label, now in after.items() if before.get(label) != now}
            if benchmark is None:
                record_event(entry, by=by, action="benchmark_entered", summary=f"录入{entry}", changes=changes)
            elif changes:
                record_event(entry, by=by, action="benchmark_changed", summary=f"修改{entry}", changes=changes)
    except IntegrityError:
        raise BenchmarkError("该年度、比率和范围的对标数据刚刚已被录入，请返回列表修改该条") from None
    return entry
