"""Loss-risk model: the back-test and the speed of ``fuyuan risk``, each against the plain baseline.

    .venv/bin/python bench/bench_risk.py [--demo-cases 20000] [--ledger-cases 20000] [--province-cases 100000] [--reset]

1. The back-test (time split: learn on the earlier three quarters of the concluded cases, measure on the cases
   concluded after the training window) on the demo prefecture (``fuyuan demo``'s 云岭州) and on a generated ledger
   with a known pattern (``_risk_ledger``): AUC and Brier for the model and for the baseline (each agency's past
   loss rate as of the day), side by side; then each feature left out in turn (what it adds to the AUC).
2. ``fuyuan risk --format json`` over a province's pending cases (the generated ledger at ``--province-cases``),
   timed, against the baseline's scoring of the same cases in the same run.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import time

from _setup import start_django


def _fmt(x: float | None) -> str:
    return "  —  " if x is None else f"{x:.3f}"


def backtest_table(title: str, region_name: str, as_of: datetime.date) -> None:
    from fuyuan.core.models import Region
    from fuyuan.risk.features import CANDIDATES, FEATURES, load_region
    from fuyuan.risk.model import backtest

    region = Region.objects.get(name=region_name)
    records = load_region(region)
    concluded = [c for c in records.cases if c.concluded_on is not None and c.concluded_on < as_of]
    started = time.perf_counter()
    full = backtest(records, concluded)
    took = time.perf_counter() - started
    print(f"\n== {title}: {len(records.cases)} first-instance cases, {len(concluded)} concluded before {as_of}")
    print(
        f"   trained on {full.train_cases} concluded before {full.train_until}, tested on {full.cases} after ({took:.1f} s)"
    )
    print(f"   {'':28} {'AUC':>7} {'Brier':>7}")
    print(f"   {'model (LR + Platt)':28} {_fmt(full.model.auc):>7} {_fmt(full.model.brier):>7}")
    print(f"   {'baseline (agency loss rate)':28} {_fmt(full.baseline.auc):>7} {_fmt(full.baseline.brier):>7}")
    print("   leaving one feature out (AUC; lower than the full model's = the feature helps):")
    for feature in FEATURES:
        others = [f for f in FEATURES if f is not feature]
        without = backtest(records, concluded, others)
        delta = None if without.model.auc is None or full.model.auc is None else full.model.auc - without.model.auc
        print(f"     - {feature.name:18} AUC {_fmt(without.model.auc)}  (feature adds {_fmt(delta)})")
    print("   adding one candidate feature (not used by the model):")
    for feature in CANDIDATES:
        more = backtest(records, concluded, [*FEATURES, feature])
        delta = None if more.model.auc is None or full.model.auc is None else more.model.auc - full.model.auc
        print(f"     + {feature.name:18} AUC {_fmt(more.model.auc)}  (feature adds {_fmt(delta)})")


def time_command(region_name: str, as_of: datetime.date) -> None:
    from django.core.management import call_command

    from fuyuan.core.models import Region
    from fuyuan.risk.features import load_region
    from fuyuan.risk.model import baseline_scores

    out = io.StringIO()
    started = time.perf_counter()
    call_command("risk", region=region_name, as_of=as_of.isoformat(), format="json", stdout=out)
    took = time.perf_counter() - started
    payload = json.loads(out.getvalue())
    started = time.perf_counter()
    records = load_region(Region.objects.get(name=region_name))
    pending = [c for c in records.cases if c.pending_on(as_of)]
    order = sorted(
        zip(baseline_scores(records, pending, [as_of] * len(pending)), (c.number for c in pending), strict=False),
        reverse=True,
    )
    base = time.perf_counter() - started
    print(f"\n== fuyuan risk --region {region_name} --as-of {as_of}: {len(records.cases)} first-instance cases")
    print(f"   pending scored: {len(payload['cases'])} (baseline ranked {len(order)})")
    print(f"   fuyuan risk (load, back-test, train, score, explain): {took:7.2f} s")
    print(f"   baseline (load, agency rate as of the day, sort):     {base:7.2f} s   ratio {took / base:.1f} ×")
    print(f"   back-test in the same run: {payload['backtest']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-cases", type=int, default=20000, help="fuyuan demo --cases (0: skip the demo)")
    parser.add_argument("--ledger-cases", type=int, default=20000)
    parser.add_argument("--province-cases", type=int, default=100000)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    print("database:", start_django(reset=args.reset))
    from _risk_ledger import generate
    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    if args.demo_cases:
        call_command("demo", cases=args.demo_cases, verbosity=0)
        backtest_table("demo prefecture 云岭州", "云岭州", today)
    start, end = datetime.date(2020, 1, 1), datetime.date(2025, 12, 31)
    generate("样本州", counties=6, agencies=60, cases=args.ledger_cases, start=start, end=end)
    backtest_table("generated ledger 样本州 (known pattern)", "样本州", end)
    if args.province_cases:
        generate("全省样本", counties=80, agencies=900, cases=args.province_cases, start=start, end=end, seed=11)
        time_command("全省样本", end)


if __name__ == "__main__":
    main()
