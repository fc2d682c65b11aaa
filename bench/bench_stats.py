"""Figures speed: ``fuyuan stats --by county`` against one hand-written SQL statement over the same cases.

    .venv/bin/python bench/bench_stats.py [--cases 1000000] [--reset]

Fills the case table with ``--cases`` cases below the ORM (SQLite ``executemany``, PostgreSQL ``COPY``) (9 counties incl. 州本级, about 100
agencies, 2024–2026, a realistic outcome mix, the check constraints respected), then times
``stats --by county --from 2025-01-01 --to 2025-12-31 --format json`` against a single GROUP BY statement with
conditional sums that produces the same figures (SPEC §9), checks that both give the same numbers, and prints
both times, their ratio (goal: at most 2 ×) and how many SQL queries the command ran.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import random
import sys
import time
from collections.abc import Iterator
from typing import Any

from _setup import best_of, start_django

FROM, TO = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
START = datetime.date(2024, 1, 1)
DAYS = (datetime.date(2026, 12, 31) - START).days
PREFECTURE = "基准州"
COUNTIES = ["一区", "二县", "三县", "四县", "五县", "六县", "七县", "八市"]
AGENCIES = ["人民政府", "自然资源局", "公安局", "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局",
            "生态环境局", "林业局", "交通运输局", "教育局", "卫生健康局"]  # fmt: skip
DOMAINS = ["natural_resources", "forestry", "land_expropriation", "housing", "labour", "market", "public_security"]
CAUSES = ["penalty", "coercion", "licensing", "levy", "confirmation", "registration", "nonperformance"]
LITIGATION_OUTCOMES = {"claim_dismissed": 45, "suit_dismissed": 12, "withdrawn": 8, "withdrawn_after_change": 7,
                       "mediated": 3, "revoked": 12, "confirmed_illegal": 6, "ordered_to_perform": 4,
                       "partly_revoked": 2, "varied": 1}  # fmt: skip
RECONSIDERATION_OUTCOMES = {"upheld": 38, "rejected": 8, "mediated": 22, "settled": 16, "withdrawn": 4,
                            "terminated": 2, "revoked": 6, "confirmed_illegal": 2, "ordered_to_perform": 2}  # fmt: skip
COLUMNS = ("kind, number, instance, court_id, reconsideration_body_id, defendant_id, region_id, county_id, cause, "
           "domain, filed_on, hearing_on, head_appeared, received_on, acceptance, accepted_on, concluded_on, outcome")  # fmt: skip
CONSTANTS = {"plaintiffs": "", "third_parties": "", "request": "", "appeared_head": "", "rejection_reason": "",
             "note": "", "head_absence_reason": "", "summary": "", "version": 1}  # fmt: skip
CHUNK = 10_000


def build_places() -> list[tuple[int, int, int, list[int]]]:
    """Regions and organisations; returns (county id, court id, justice bureau id, agency ids) per place."""
    from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel

    prefecture = Region.objects.create(name=PREFECTURE, level=RegionLevel.PREFECTURE)
    regions = [prefecture] + [
        Region.objects.create(name=name, level=RegionLevel.COUNTY, parent=prefecture) for name in COUNTIES
    ]
    places = []
    for region in regions:
        court = Organisation.objects.create(name=f"{region.name}法院", kind=OrganisationKind.COURT, region=region)
        bureau = Organisation.objects.create(
            name=f"{region.name}司法局", kind=OrganisationKind.JUSTICE_BUREAU, region=region
        )
        agencies = Organisation.objects.bulk_create(
            [Organisation(name=f"{region.name}{a}", region=region) for a in AGENCIES]
        )
        places.append((region.pk, court.pk, bureau.pk, [a.pk for a in agencies]))
    return places


def case_rows(total: int, places: list[tuple[int, int, int, list[int]]], seed: int = 1) -> Iterator[tuple[Any, ...]]:
    """Yield ``total`` rows for COLUMNS: 30 % litigation (85 % of it first instance), 70 % reconsideration."""
    rng = random.Random(seed)
    dates = [(START + datetime.timedelta(days=d)).isoformat() for d in range(DAYS + 400)]
    lit_outcomes, lit_weights = list(LITIGATION_OUTCOMES), list(LITIGATION_OUTCOMES.values())
    rec_outcomes, rec_weights = list(RECONSIDERATION_OUTCOMES), list(RECONSIDERATION_OUTCOMES.values())
    for n in range(total):
        county, court, bureau, agencies = places[n % len(places)]
        agency = agencies[rng.randrange(len(agencies))]
        cause, domain = CAUSES[n % len(CAUSES)], DOMAINS[n % len(DOMAINS)]
        start = rng.randrange(DAYS)
        if rng.random() < 0.3:
            hearing = start + rng.randint(30, 120) if rng.random() < 0.85 else None
            concluded = (hearing or start) + rng.randint(5, 60) if rng.random() < 0.9 else None
            yield (
                "litigation", f"L{n}", "first" if rng.random() < 0.85 else "second", court, None, agency,
                county, county, cause, domain, dates[start], dates[hearing] if hearing else None,
                (rng.random() < 0.8) if hearing else None, None, "", None,
                dates[concluded] if concluded else None,
                rng.choices(lit_outcomes, lit_weights)[0] if concluded else "",
            )  # fmt: skip
        else:
            roll = rng.random()
            acceptance = "accepted" if roll < 0.85 else "rejected" if roll < 0.93 else "pending"
            accepted = start + rng.randint(1, 7) if acceptance != "pending" else None
            concluded = accepted + rng.randint(20, 60) if accepted and acceptance == "accepted" else None
            if concluded and rng.random() < 0.08:
                concluded = None
            yield (
                "reconsideration", f"R{n}", "", None, bureau, agency, county, county, cause, domain, None, None,
                None, dates[start], acceptance, dates[accepted] if accepted else None,
                dates[concluded] if concluded else None,
                rng.choices(rec_outcomes, rec_weights)[0] if concluded else "",
            )  # fmt: skip


def fill_cases(total: int, count: bool = True) -> float:
    """Insert the cases as fast as each database allows, below the ORM: SQLite's own ``executemany`` (one
    prepared statement, rows bound in C) and PostgreSQL's ``COPY … FROM STDIN``. Written past every workflow, as a
    restored backup is, so the figures' counts are then written afresh as an operator does after a restore
    (``fuyuan stats --rebuild``, ``rebuild_counts``); returns the seconds that took (0 with ``count`` false: the
    caller writes more rows past the workflows first, then calls ``rebuild_counts``)."""
    from django.db import connection, transaction
    from django.utils import timezone

    places = build_places()
    now = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    constants = {**CONSTANTS, "created_at": now, "updated_at": now}
    columns = COLUMNS + ", " + ", ".join(constants)
    extra = tuple(constants.values())
    rows = (row + extra for row in case_rows(total, places))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("ANALYZE cases_case")
        else:
            marks = ", ".join(["?"] * (COLUMNS.count(",") + 1 + len(constants)))
            raw = connection.connection
            raw.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache: the indexes stay in memory
            while chunk := [row for _, row in zip(range(CHUNK), rows, strict=False)]:
                raw.executemany(f"INSERT INTO cases_case ({columns}) VALUES ({marks})", chunk)
            cursor.execute("ANALYZE")
    return rebuild_counts() if count else 0.0


def rebuild_counts() -> float:
    """``fuyuan stats --rebuild`` (``stats.counts.rebuild``) and the statistics of its table; returns the seconds."""
    from django.db import connection

    from fuyuan.stats.counts import rebuild

    started = time.perf_counter()
    rebuild()
    with connection.cursor() as cursor:
        # Every table, the few regions included: PostgreSQL's autovacuum never analyses a table of ten rows written
        # once (below autovacuum_analyze_threshold), and without statistics it takes a region's subtree for one row
        # and joins the counts to it in a nested loop, once per region (bench_dashboard: 0.25 s instead of 0.04 s).
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def hand_written_sql() -> dict[str, dict[str, Any]]:
    """SPEC §9's figures by county in ONE statement: conditional sums over the case table."""
    from django.db import connection

    from fuyuan.cases.choices import correction_outcomes, loss_outcomes, mediated_outcomes

    def listed(values: frozenset[str]) -> str:
        return ", ".join(f"'{v}'" for v in sorted(values))

    first = "c.kind = 'litigation' AND c.instance = 'first'"
    recon = "c.kind = 'reconsideration'"
    window = "BETWEEN %(f)s AND %(t)s"
    sql = f"""
        SELECT r.name,
          SUM(CASE WHEN {first} AND c.filed_on {window} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.concluded_on {window} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.concluded_on {window} AND c.outcome IN ({listed(loss_outcomes())}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.hearing_on {window} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.hearing_on {window} AND c.head_appeared THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.received_on {window} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.received_on {window} AND c.acceptance = 'accepted' THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.received_on {window} AND c.acceptance = 'rejected' THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.concluded_on {window} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.concluded_on {window} AND c.outcome IN ({listed(correction_outcomes())}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.concluded_on {window} AND c.outcome IN ({listed(mediated_outcomes())}) THEN 1 ELSE 0 END)
        FROM cases_case c JOIN core_region r ON r.id = c.county_id
        WHERE c.filed_on {window} OR c.hearing_on {window} OR c.concluded_on {window} OR c.received_on {window}
        GROUP BY r.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"f": FROM, "t": TO})
        result = cursor.fetchall()
    names = ("filed", "concluded", "lost", "hearings", "head_appeared",
             "received", "accepted", "rejected", "r_concluded", "corrected", "mediated")  # fmt: skip
    return {row[0]: dict(zip(names, (int(v or 0) for v in row[1:]), strict=True)) for row in result}


def command_counts(figures: dict[str, Any]) -> dict[str, int]:
    lit, rec = figures["litigation"], figures["reconsideration"]
    return {
        **{k: lit[k] for k in ("filed", "concluded", "lost", "hearings", "head_appeared")},
        **{k: rec[k] for k in ("received", "accepted", "rejected", "corrected", "mediated")},
        "r_concluded": rec["concluded"],
    }


def run_stats() -> dict[str, Any]:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("stats", "--by", "county", "--from", str(FROM), "--to", str(TO), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def compare(report: dict[str, Any], expected: dict[str, dict[str, int]]) -> list[str]:
    """Differences between the command's rows and the hand-written figures (a county absent means all zero)."""
    zero = dict.fromkeys(next(iter(expected.values())), 0) if expected else {}
    got = {str(row["key"]): command_counts(row) for row in report["rows"]}
    problems = []
    for key in sorted(set(got) | set(expected)):
        mine, theirs = expected.get(key, zero), got.get(key, zero)
        if mine != theirs:
            problems.append(f"{key}: stats {theirs} ≠ SQL {mine}")
    totals = {k: sum(row[k] for row in expected.values()) for k in zero}
    if command_counts(report["total"]) != totals:
        problems.append(f"合计: stats {command_counts(report['total'])} ≠ SQL {totals}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to insert (default 1000000)")
    parser.add_argument("--reset", action="store_true", help="empty the DATABASE_URL database first (flush)")
    args = parser.parse_args()

    database = start_django(reset=args.reset)
    from django.core.management.base import CommandError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"数据库：{database}")
    started = time.perf_counter()
    fill_cases(args.cases)
    print(f"写入 {args.cases} 件案件：{time.perf_counter() - started:.1f} 秒")

    expected = hand_written_sql()
    try:
        with CaptureQueriesContext(connection) as queries:
            report = run_stats()
    except CommandError as error:
        sys.exit(f"stats 失败：{error}")
    problems = compare(report, expected)
    command_time = best_of(3, run_stats)
    sql_time = best_of(3, hand_written_sql)
    print(f"stats --by county（2025 年）：{command_time:.3f} 秒，执行 SQL {len(queries)} 条")
    print(f"手写单条 SQL：{sql_time:.3f} 秒")
    print(f"比值 stats / SQL = {command_time / sql_time:.2f}（目标 ≤ 2）")
    if problems:
        print("数字不一致：", *problems, sep="\n  ")
        sys.exit(1)
    total = report["total"]
    print(f"数字一致：{len(expected)} 个县（含州本级），一审结案 {total['litigation']['concluded']}，"
          f"败诉率 {total['litigation']['loss_rate']}%，复议办结 {total['reconsideration']['concluded']}")  # fmt: skip


if __name__ == "__main__":
    main()
