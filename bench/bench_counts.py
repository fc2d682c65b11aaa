"""The cost of keeping the figures' counts current for one case written (``stats.counts.refresh``, issue 19 §1).

    .venv/bin/python bench/bench_counts.py [--cases 20000] [--writes 300] [--reset]

Fills ``--cases`` concluded first-instance cases over 8 counties, 2 agencies each and three years, counts them
(``counts.rebuild``), then writes ``--writes`` more cases one at a time as a user's save does and times the
``refresh`` of each: once with the rows of a case's counts found by the condition ``counts._by_keys`` writes, once
with the ORM's ``Q(**key) | Q(**key) …`` it replaced. Prints the milliseconds per case written of each, their ratio
(goal: at most 0.5) and checks that both leave the counts equal to a recount.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import operator
import random
import sys
import time
from collections.abc import Iterable
from typing import Any

from _setup import start_django

OUTCOMES = ["claim_dismissed", "revoked", "confirmed_illegal", "withdrawn", "mediated", "suit_dismissed"]


def orm_condition(keys: Iterable[Any]) -> Any:
    """The condition as it was: one ``Q`` per key, OR'ed."""
    from django.db.models import Q

    from fuyuan.stats.counts import KEY

    return functools.reduce(operator.or_, (Q(**dict(zip(KEY, key, strict=True))) for key in keys))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    where = start_django(reset=args.reset)

    from django.db import transaction

    from fuyuan.cases.models import Case
    from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel
    from fuyuan.stats import counts

    rng = random.Random(7)
    prefecture = Region.objects.create(name="基准州", level=RegionLevel.PREFECTURE)
    court = Organisation.objects.create(name="基准州中级人民法院", region=prefecture, kind=OrganisationKind.COURT)
    agencies = []
    for i in range(8):
        county = Region.objects.create(name=f"基准{i + 1}县", level=RegionLevel.COUNTY, parent=prefecture)
        agencies += [Organisation.objects.create(name=f"基准{i + 1}县{n}", region=county) for n in ("公安局", "林业局")]
    numbers = iter(range(1, 10**9))

    def case(**values: Any) -> Case:
        defendant = rng.choice(agencies)
        filed = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900))
        return Case(
            kind="litigation",
            number=f"（2024）黔27行初{next(numbers)}号",
            instance="first",
            court=court,
            defendant=defendant,
            region_id=defendant.region_id,
            county_id=defendant.region_id,
            cause=rng.choice(["penalty", "coercion", "licensing"]),
            domain=rng.choice(["forestry", "public_security", "housing"]),
            filed_on=filed,
            hearing_on=filed + datetime.timedelta(days=40),
            concluded_on=filed + datetime.timedelta(days=90),
            outcome=rng.choice(OUTCOMES),
            head_appeared=rng.random() < 0.8,
            **values,
        )

    Case.objects.bulk_create([case() for _ in range(args.cases)], batch_size=2000)
    counts.rebuild()
    print(f"数据库：{where}；已有 {args.cases:,} 件案件，计数 {counts.FigureCount.objects.count():,} 行")

    def writes(label: str) -> float:
        spent = 0.0
        for _ in range(args.writes):
            with transaction.atomic():
                written = case()
                written.save()
                started = time.perf_counter()
                counts.refresh([written.pk])
                spent += time.perf_counter() - started
        problems = counts.verify()
        if problems:
            sys.exit(f"{label}：计数与重新统计不一致：{problems[:5]}")
        per_case = spent / args.writes * 1000
        print(f"{label}：每写一件案件更新计数 {per_case:.2f} ms（{args.writes} 件）")
        return per_case

    raw = writes("按键写出的条件 (counts._by_keys)")
    written_by_hand = counts._by_keys
    counts._by_keys = orm_condition  # type: ignore[assignment]
    try:
        orm = writes("ORM 的 Q(**key) | …（原写法）")
    finally:
        counts._by_keys = written_by_hand  # type: ignore[assignment]
    print(f"比值 {raw / orm:.2f}（目标 ≤ 0.5）")


if __name__ == "__main__":
    main()
