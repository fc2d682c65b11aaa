"""Assessment speed: the yearly rule-of-law assessment of a province over ten years against hand-written SQL.

    .venv/bin/python bench/bench_assessment.py [--cases 1000000] [--officers 20000] [--reset]

Builds a province of four prefectures (eight counties and the 州本级 each, eleven agencies and a 司法局 in every
one), fills ``--cases`` cases over 2017–2026 below the ORM (SQLite ``executemany``, PostgreSQL ``COPY``), 20,000
rectification items, and ``--officers`` enforcement officers with their certificates. The enforcement module
(``fuyuan.enforcement``) is built in another branch and absent here, so the officers go into a throwaway table
(``bench_officer``) and the 执法证持证率 indicator is a fake registered for the run (``indicators.register``),
counting that table exactly as the enforcement module's ``certificate_coverage(year)`` is specified to.

Then for each prefecture and year (40 schemes) it times ``scoring.compute(scheme)`` — the platform's assessment
of every county and department: 败诉率, 被纠错率, 负责人出庭应诉率, 出声率 (from ``fuyuan.stats``), 销账按期率 and
执法证持证率 — against hand-written SQL computing the same numerators and denominators per unit (one statement per
source and scheme, as the platform does) with the same scoring in a few lines of Python; checks that every score is
the same and prints both times, their ratio (goal: at most 2 ×) and how many SQL queries the platform ran.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from _setup import best_of, start_django

YEARS = range(2017, 2027)
START = datetime.date(2017, 1, 1)
DAYS = (datetime.date(2026, 12, 31) - START).days
PREFECTURES = ["甲州", "乙州", "丙州", "丁州"]
COUNTIES = ["一区", "二县", "三县", "四县", "五县", "六县", "七县", "八市"]
AGENCIES = ["人民政府", "自然资源局", "公安局", "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局",
            "生态环境局", "林业局", "交通运输局", "教育局", "卫生健康局"]  # fmt: skip
CODES = ("loss_rate", "correction_rate", "appearance_rate", "speaking_rate", "rectification_on_time",
         "certificate_coverage")  # fmt: skip
LITIGATION_OUTCOMES = {"claim_dismissed": 45, "suit_dismissed": 12, "withdrawn": 8, "withdrawn_after_change": 7,
                       "mediated": 3, "revoked": 12, "confirmed_illegal": 6, "ordered_to_perform": 4,
                       "partly_revoked": 2, "varied": 1}  # fmt: skip
RECONSIDERATION_OUTCOMES = {"upheld": 38, "rejected": 8, "mediated": 22, "settled": 16, "withdrawn": 4,
                            "terminated": 2, "revoked": 6, "confirmed_illegal": 2, "ordered_to_perform": 2}  # fmt: skip
COLUMNS = ("kind, number, instance, court_id, reconsideration_body_id, defendant_id, region_id, county_id, cause, "
           "domain, filed_on, hearing_on, head_appeared, head_spoke, received_on, acceptance, accepted_on, "
           "concluded_on, outcome")  # fmt: skip
CONSTANTS = {"plaintiffs": "", "third_parties": "", "request": "", "appeared_head": "", "rejection_reason": "",
             "note": "", "head_absence_reason": "", "version": 1}  # fmt: skip
CHUNK = 10_000
ITEMS = 20_000
CENT = Decimal("0.01")


# --- the province ---------------------------------------------------------------------------------------------


def build_province() -> list[tuple[int, int, int, int, list[int]]]:
    """Regions and organisations; (region id, county id, court id, justice bureau id, agency ids) per place."""
    from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel

    province = Region.objects.create(name="基准省", level=RegionLevel.PROVINCE)
    places = []
    for pref_name in PREFECTURES:
        prefecture = Region.objects.create(name=pref_name, level=RegionLevel.PREFECTURE, parent=province)
        counties = [
            Region.objects.create(name=f"{pref_name}{c}", level=RegionLevel.COUNTY, parent=prefecture) for c in COUNTIES
        ]
        for region in [prefecture, *counties]:
            court = Organisation.objects.create(name=f"{region.name}法院", kind=OrganisationKind.COURT, region=region)
            bureau = Organisation.objects.create(
                name=f"{region.name}司法局", kind=OrganisationKind.JUSTICE_BUREAU, region=region
            )
            agencies = Organisation.objects.bulk_create(
                [Organisation(name=f"{region.name}{a}", region=region) for a in AGENCIES]
            )
            places.append((region.pk, region.pk, court.pk, bureau.pk, [a.pk for a in agencies] + [bureau.pk]))
    return places


def case_rows(total: int, places: list[tuple[int, int, int, int, list[int]]]) -> Iterator[tuple[Any, ...]]:
    """30 % litigation (85 % of it first instance), 70 % reconsideration, spread over ten years."""
    rng = random.Random(7)
    dates = [(START + datetime.timedelta(days=d)).isoformat() for d in range(DAYS + 400)]
    lit_outcomes, lit_weights = list(LITIGATION_OUTCOMES), list(LITIGATION_OUTCOMES.values())
    rec_outcomes, rec_weights = list(RECONSIDERATION_OUTCOMES), list(RECONSIDERATION_OUTCOMES.values())
    for n in range(total):
        region, county, court, bureau, agencies = places[n % len(places)]
        agency = agencies[rng.randrange(len(agencies))]
        start = rng.randrange(DAYS)
        if rng.random() < 0.3:
            hearing = start + rng.randint(30, 120) if rng.random() < 0.85 else None
            concluded = (hearing or start) + rng.randint(5, 60) if rng.random() < 0.9 else None
            appeared = (rng.random() < 0.8) if hearing else None
            spoke = (rng.random() < 0.7 if rng.random() < 0.9 else None) if appeared else None
            yield (
                "litigation", f"L{n}", "first" if rng.random() < 0.85 else "second", court, None, agency,
                region, county, "penalty", "market", dates[start], dates[hearing] if hearing else None,
                appeared, spoke, None, "", None, dates[concluded] if concluded else None,
                rng.choices(lit_outcomes, lit_weights)[0] if concluded else "",
            )  # fmt: skip
        else:
            accepted = start + rng.randint(1, 7)
            concluded = accepted + rng.randint(20, 60) if rng.random() < 0.9 else None
            yield (
                "reconsideration", f"R{n}", "", None, bureau, agency, region, county, "penalty", "market", None,
                None, None, None, dates[start], "accepted", dates[accepted], dates[concluded] if concluded else None,
                rng.choices(rec_outcomes, rec_weights)[0] if concluded else "",
            )  # fmt: skip


def fill(cases: int, officers: int, places: list[tuple[int, int, int, int, list[int]]]) -> None:
    """Cases and officers below the ORM; the rectification items through ``bulk_create``."""
    from django.db import connection, transaction
    from django.utils import timezone

    from fuyuan.core.models import User
    from fuyuan.rectification.models import Item, ItemState, Recommendation, RecommendationKind

    now = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    constants = {**CONSTANTS, "created_at": now, "updated_at": now}
    columns = COLUMNS + ", " + ", ".join(constants)
    extra = tuple(constants.values())
    rows = (row + extra for row in case_rows(cases, places))
    rng = random.Random(11)
    agencies = [a for *_rest, ids in places for a in ids]
    officer_rows = []
    for n in range(officers):
        issued = START + datetime.timedelta(days=rng.randrange(DAYS) - 700)
        officer_rows.append((n + 1, agencies[n % len(agencies)], issued.isoformat(),
                             (issued + datetime.timedelta(days=rng.choice([730, 1460, 2920]))).isoformat()))  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_officer (id integer PRIMARY KEY, organisation_id integer NOT NULL, "
            "issued_on date NOT NULL, valid_to date NOT NULL)"
        )
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cursor.cursor.copy("COPY bench_officer FROM STDIN") as copy:
                for row in officer_rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * (COLUMNS.count(",") + 1 + len(constants)))
            raw = connection.connection
            raw.execute("PRAGMA cache_size = -262144")
            while chunk := [row for _, row in zip(range(CHUNK), rows, strict=False)]:
                raw.executemany(f"INSERT INTO cases_case ({columns}) VALUES ({marks})", chunk)
            raw.executemany("INSERT INTO bench_officer VALUES (?, ?, ?, ?)", officer_rows)
        clerk = User.objects.create(username="bench", role="rule_of_law_office")
        court = places[0][2]
        recommendations = Recommendation.objects.bulk_create(
            Recommendation(kind=RecommendationKind.JUDICIAL, number=f"司法建议{n}", issuer_id=court,
                           recipient_id=agencies[n % len(agencies)], issued_on=START, document="x.pdf",
                           document_name="x.pdf", registered_at=timezone.now(), registered_by=clerk)
            for n in range(ITEMS)
        )  # fmt: skip
        items = []
        for rec in recommendations:
            due = START + datetime.timedelta(days=rng.randrange(DAYS))
            reported = due + datetime.timedelta(days=rng.randint(-20, 10))
            verified = rng.random() < 0.8
            items.append(Item(
                recommendation=rec, position=1, text="整改", owner_id=rec.recipient_id, due_on=due, due_rule="两个月",
                state=ItemState.VERIFIED if verified else ItemState.IN_PROGRESS,
                reported_at=timezone.make_aware(datetime.datetime.combine(reported, datetime.time(9))) if verified else None,
            ))  # fmt: skip
        Item.objects.bulk_create(items, batch_size=5000)
        cursor.execute("ANALYZE")


# --- the fake enforcement indicator (the module is in another branch) ---------------------------------------------


def certificate_coverage(year: int) -> dict[int, tuple[int, int]]:
    """As ``fuyuan.enforcement.indicators.certificate_coverage`` is specified: per organisation, (officers with a
    valid certificate at year end, officers), over the throwaway officers' table."""
    from django.db import connection

    end = datetime.date(year, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organisation_id, SUM(CASE WHEN valid_to >= %s THEN 1 ELSE 0 END), COUNT(*) "
            "FROM bench_officer WHERE issued_on <= %s GROUP BY organisation_id",
            [end, end],
        )
        return {org: (int(n), int(d)) for org, n, d in cursor.fetchall()}


# --- the platform -------------------------------------------------------------------------------------------------


def make_schemes() -> list[Any]:
    from fuyuan.assessment import indicators
    from fuyuan.assessment.indicators import Source
    from fuyuan.assessment.models import Indicator
    from fuyuan.assessment.workflow import create_scheme
    from fuyuan.core.models import Region, Role, User

    indicators.register(
        Source("certificate_coverage", "执法证持证率", "module", "bench_assessment.certificate_coverage",
               weight=Decimal(5), floor=Decimal(80))
    )  # fmt: skip
    schemes = []
    for prefecture in Region.objects.filter(name__in=PREFECTURES).order_by("pk"):
        office = User.objects.create(username=f"office{prefecture.pk}", role=Role.RULE_OF_LAW_OFFICE, region=prefecture)
        for year in YEARS:
            scheme = create_scheme(prefecture, year, by=office)
            Indicator.objects.filter(scheme=scheme).exclude(code__in=CODES).delete()
            schemes.append(scheme)
    return schemes


def run_platform(schemes: list[Any]) -> dict[tuple[int, str, int], Decimal | None]:
    from fuyuan.assessment.scoring import compute

    scores: dict[tuple[int, str, int], Decimal | None] = {}
    for scheme in schemes:
        result = compute(scheme)
        for row in result.rows():
            scores[(scheme.pk, row.kind, row.ref)] = row.score
    return scores


# --- by hand ------------------------------------------------------------------------------------------------------


def hand_written(schemes: list[Any]) -> dict[tuple[int, str, int], Decimal | None]:
    """The same scores from hand-written SQL: per scheme one statement over the cases (per defendant), one over the
    rectification items, one over the officers; the counties sum their organisations; the same rules."""
    from django.db import connection

    from fuyuan.cases.choices import correction_outcomes, loss_outcomes

    def listed(values: frozenset[str]) -> str:
        return ", ".join(f"'{v}'" for v in sorted(values))

    first = "c.kind = 'litigation' AND c.instance = 'first'"
    recon = "c.kind = 'reconsideration'"
    w = "BETWEEN %(f)s AND %(t)s"
    cases_sql = f"""
        SELECT c.defendant_id,
          SUM(CASE WHEN {first} AND c.concluded_on {w} AND c.outcome IN ({listed(loss_outcomes())}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.concluded_on {w} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.concluded_on {w} AND c.outcome IN ({listed(correction_outcomes())}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {recon} AND c.concluded_on {w} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.hearing_on {w} AND c.head_appeared THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.hearing_on {w} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.hearing_on {w} AND c.head_appeared AND c.head_spoke THEN 1 ELSE 0 END),
          SUM(CASE WHEN {first} AND c.hearing_on {w} AND c.head_appeared AND c.head_spoke IS NOT NULL THEN 1 ELSE 0 END)
        FROM cases_case c JOIN core_region r ON r.id = c.region_id
        WHERE r.path LIKE %(p)s AND (c.filed_on {w} OR c.hearing_on {w} OR c.concluded_on {w} OR c.received_on {w})
        GROUP BY c.defendant_id
    """
    local_date = (
        "date(i.reported_at, 'localtime')"
        if connection.vendor == "sqlite"
        else "(i.reported_at AT TIME ZONE %(tz)s)::date"
    )
    items_sql = f"""
        SELECT i.owner_id, SUM(CASE WHEN i.state = 'verified' AND {local_date} <= i.due_on THEN 1 ELSE 0 END), COUNT(*)
        FROM rectification_item i WHERE i.due_on {w} GROUP BY i.owner_id
    """
    officers_sql = """SELECT organisation_id, SUM(CASE WHEN valid_to >= %(t)s THEN 1 ELSE 0 END), COUNT(*)
        FROM bench_officer WHERE issued_on <= %(t)s GROUP BY organisation_id"""
    scores: dict[tuple[int, str, int], Decimal | None] = {}
    with connection.cursor() as cursor:
        for scheme in schemes:
            region = scheme.region
            params = {"f": datetime.date(scheme.year, 1, 1), "t": datetime.date(scheme.year, 12, 31),
                      "p": region.path + "%", "tz": "Asia/Shanghai"}  # fmt: skip
            cursor.execute(
                "SELECT o.id, o.kind, o.region_id, r.parent_id, r.level FROM core_organisation o "
                "JOIN core_region r ON r.id = o.region_id WHERE r.path LIKE %(p)s",
                params,
            )
            county_of, departments = {}, []
            for org, kind, region_id, parent, level in cursor.fetchall():
                county_of[org] = region_id if level == 3 and parent == region.pk else None
                if region_id == region.pk and kind in ("agency", "justice_bureau"):
                    departments.append(org)
            counts: dict[str, dict[int, tuple[int, int]]] = {code: {} for code in CODES}
            cursor.execute(cases_sql, params)
            for org, *v in cursor.fetchall():
                for n, code in enumerate(CODES[:4]):
                    counts[code][org] = (int(v[2 * n] or 0), int(v[2 * n + 1] or 0))
            cursor.execute(items_sql, params)
            counts["rectification_on_time"] = {o: (int(n), int(d)) for o, n, d in cursor.fetchall()}
            cursor.execute(officers_sql, params)
            counts["certificate_coverage"] = {o: (int(n), int(d)) for o, n, d in cursor.fetchall()}
            rules = {i.code: i for i in scheme.indicators.all()}
            units: dict[tuple[str, int], list[int]] = {("department", d): [d] for d in departments}
            for org, county in county_of.items():
                if county is not None:
                    units.setdefault(("county", county), []).append(org)
            for (kind, ref), orgs in units.items():
                got = full = Decimal(0)
                for code, indicator in rules.items():
                    n = sum(counts[code].get(o, (0, 0))[0] for o in orgs)
                    d = sum(counts[code].get(o, (0, 0))[1] for o in orgs)
                    if not d:
                        continue
                    value = (Decimal(n) * 100 / Decimal(d)).quantize(CENT, rounding=ROUND_HALF_UP)
                    lo, hi = indicator.floor, indicator.target
                    part = (lo - value) / (lo - hi) if indicator.lower_is_better else (value - lo) / (hi - lo)
                    got += (indicator.weight * min(Decimal(1), max(Decimal(0), part))).quantize(CENT, ROUND_HALF_UP)
                    full += indicator.weight
                scores[(scheme.pk, kind, ref)] = (got * 100 / full).quantize(CENT, ROUND_HALF_UP) if full else None
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to insert (default 1000000)")
    parser.add_argument("--officers", type=int, default=20_000, help="officers to insert (default 20000)")
    parser.add_argument("--reset", action="store_true", help="empty the DATABASE_URL database first (flush)")
    args = parser.parse_args()

    database = start_django(reset=args.reset)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"数据库：{database}")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_officer")
    places = build_province()
    fill(args.cases, args.officers, places)
    schemes = make_schemes()
    print(f"写入 {args.cases} 件案件、{args.officers} 名执法人员（临时表 bench_officer，执法模块不在本分支）、"
          f"{ITEMS} 项整改事项：{time.perf_counter() - started:.1f} 秒")  # fmt: skip

    expected = hand_written(schemes)
    with CaptureQueriesContext(connection) as queries:
        got = run_platform(schemes)
    problems = [f"{key}: 平台 {got.get(key)} ≠ SQL {value}" for key, value in expected.items() if got.get(key) != value]
    problems += [f"{key}: 仅平台有此单位" for key in set(got) - set(expected)]
    platform_time = best_of(3, lambda: run_platform(schemes))
    sql_time = best_of(3, lambda: hand_written(schemes))
    units = len(got) // len(schemes)
    print(f"平台考核（{len(schemes)} 个方案 = 4 个州 × 10 年，每方案 {units} 个县和部门）：{platform_time:.3f} 秒，"
          f"执行 SQL {len(queries)} 条（每方案 {len(queries) / len(schemes):.1f} 条）")  # fmt: skip
    print(f"手写 SQL：{sql_time:.3f} 秒")
    print(f"比值 平台 / SQL = {platform_time / sql_time:.2f}（目标 ≤ 2）")
    if problems:
        print("得分不一致：", *problems[:20], sep="\n  ")
        sys.exit(1)
    print(f"得分一致：{len(expected)} 个（方案, 单位）")


if __name__ == "__main__":
    main()
