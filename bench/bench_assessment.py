"""Assessment speed: the yearly rule-of-law assessment of a province over ten years against hand-written SQL.

    .venv/bin/python bench/bench_assessment.py [--cases 1000000] [--officers 20000] [--decisions 20000]
        [--files 20000] [--sessions 10000] [--runs 3] [--reset]

Builds a province of four prefectures (eight counties and the 州本级 each, eleven agencies and a 司法局 in every
one) and fills, each through its real model: ``--cases`` cases over 2017–2026 below the ORM (SQLite
``executemany``, PostgreSQL ``COPY``) and then the figures' counts (``stats.counts.rebuild``, as after a restore),
20,000 rectification items, an ``enforcement.EnforcementBody`` for every agency with ``--officers`` officers and their
certificates and ``--decisions`` major enforcement decisions, a case-file review plan per prefecture and year with
``--files`` files, and ``--sessions`` court sessions attended by one to three units each.

Then for each prefecture and year (40 schemes) it times ``assessment.scoring.compute(scheme)`` — what the ranking
page, its .docx and .xlsx compute — over nine indicators for every county and department: 败诉率, 被纠错率,
负责人出庭应诉率, 出声率 (``stats`` sources), 销账按期率 (``own``), 执法证持证率, 重大执法决定审核备案率, 案卷评查平均分,
旁听庭审达标率 (``module`` sources of the enforcement, filereview and attendance apps) — against hand-written SQL
computing the same numerators and denominators per organisation of the prefecture from the records themselves (one
statement per source and scheme) with the same scoring in a few lines of Python. It checks that every unit's score
and every cell's value and points agree (and exits 1 if not), then prints both times, their ratio (goal: at most
2 ×), how many SQL queries the platform ran, and a table of each indicator's counting alone on both sides.
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
         "certificate_coverage", "major_decisions_in_order", "file_review_score", "attendance_compliance")  # fmt: skip
LITIGATION_OUTCOMES = {"claim_dismissed": 45, "suit_dismissed": 12, "withdrawn": 8, "withdrawn_after_change": 7,
                       "mediated": 3, "revoked": 12, "confirmed_illegal": 6, "ordered_to_perform": 4,
                       "partly_revoked": 2, "varied": 1}  # fmt: skip
RECONSIDERATION_OUTCOMES = {"upheld": 38, "rejected": 8, "mediated": 22, "settled": 16, "withdrawn": 4,
                            "terminated": 2, "revoked": 6, "confirmed_illegal": 2, "ordered_to_perform": 2}  # fmt: skip
COLUMNS = ("kind, number, instance, court_id, reconsideration_body_id, defendant_id, region_id, county_id, cause, "
           "domain, filed_on, hearing_on, head_appeared, head_spoke, received_on, acceptance, accepted_on, "
           "concluded_on, outcome")  # fmt: skip
CONSTANTS = {"plaintiffs": "", "third_parties": "", "request": "", "appeared_head": "", "rejection_reason": "",
             "note": "", "head_absence_reason": "", "summary": "", "version": 1}  # fmt: skip
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


def fill(args: argparse.Namespace, places: list[tuple[int, int, int, int, list[int]]]) -> dict[str, float]:
    """Every record the assessment reads, each through its real model: the cases below the ORM (then the figures'
    counts written afresh, ``stats.counts.rebuild``, as after a restore), the rectification items, and through
    ``core.bulk.insert_rows`` the enforcement bodies' officers and certificates, the major enforcement decisions, the
    case-file review's scored files and the court-attendance sessions. Returns the seconds each part took."""
    from django.db import connection, transaction
    from django.utils import timezone

    from fuyuan.stats.counts import rebuild

    took: dict[str, float] = {}
    now = timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    constants = {**CONSTANTS, "created_at": now, "updated_at": now}
    columns = COLUMNS + ", " + ", ".join(constants)
    extra = tuple(constants.values())
    rows = (row + extra for row in case_rows(args.cases, places))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY cases_case ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * (COLUMNS.count(",") + 1 + len(constants)))
            raw = connection.connection
            raw.execute("PRAGMA cache_size = -262144")
            while chunk := [row for _, row in zip(range(CHUNK), rows, strict=False)]:
                raw.executemany(f"INSERT INTO cases_case ({columns}) VALUES ({marks})", chunk)
        cursor.execute("ANALYZE")
    took["cases"] = time.perf_counter() - started
    started = time.perf_counter()
    rebuild()
    took["figure counts"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        fill_records(args, places)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    took["other records"] = time.perf_counter() - started
    return took


def fill_records(args: argparse.Namespace, places: list[tuple[int, int, int, int, list[int]]]) -> None:
    from django.utils import timezone

    from fuyuan.attendance.models import Session, SessionUnit
    from fuyuan.core.bulk import insert_rows
    from fuyuan.core.models import Organisation, User
    from fuyuan.enforcement.models import Certificate, EnforcementBody, MajorDecision, Officer
    from fuyuan.filereview.models import ReviewFile, ReviewPlan, ScoreSheet
    from fuyuan.rectification.models import Item, ItemState, Recommendation, RecommendationKind

    rng = random.Random(11)
    now = timezone.now()
    clerk = User.objects.create(username="bench", role="rule_of_law_office")
    agencies = [a for *_rest, ids in places for a in ids]
    courts = [court for _r, _c, court, _b, _a in places]

    # 销账本: 20,000 items over the ten years.
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(kind=RecommendationKind.JUDICIAL, number=f"司法建议{n}", issuer_id=courts[0],
                       recipient_id=agencies[n % len(agencies)], issued_on=START, document="x.pdf",
                       document_name="x.pdf", registered_at=now, registered_by=clerk)
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

    # 执法主体 (every agency and 司法局), 执法人员 and their 执法证 (renewals revoke the one before, one in twelve
    # lapses early, one officer in twenty leaves), as bench_enforcement.py writes them.
    bodies = EnforcementBody.objects.bulk_create(
        [EnforcementBody(organisation_id=o, legal_basis="法", scope="罚") for o in agencies]
    )
    officer_rows = []
    for n in range(args.officers):
        joined = datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randint(0, 5000))
        left = joined + datetime.timedelta(days=rng.randint(200, 3000)) if rng.random() < 0.05 else None
        officer_rows.append([bodies[n % len(bodies)].pk, f"人员{n}", joined, left, now])
    insert_rows(Officer, ["body_id", "name", "joined_on", "left_on", "created_at"], officer_rows)
    certificates = []
    for pk, joined in Officer.objects.order_by("pk").values_list("pk", "joined_on"):
        issued = joined
        for k in range(rng.randint(1, 3)):
            valid_to = issued + datetime.timedelta(days=6 * 365 if rng.random() > 1 / 12 else 2 * 365)
            following = valid_to - datetime.timedelta(days=rng.randint(0, 60))
            last = k == 2 or following > datetime.date(2026, 11, 30)
            certificates.append([pk, f"N{pk:07d}{k}", "enforcement", issued, valid_to, issued,
                                 None if last else following])  # fmt: skip
            if last:
                break
            issued = following
    insert_rows(Certificate, ["officer_id", "number", "kind", "issued_on", "valid_to", "review_due_on",
                              "revoked_on"], certificates)  # fmt: skip

    # 重大执法决定: one in ten without a 法制审核 before it, some refused, one in eight filed late or not at all.
    decisions = []
    for n in range(args.decisions):
        decided = START + datetime.timedelta(days=rng.randrange(DAYS))
        reviewed = None if rng.random() < 0.1 else decided - datetime.timedelta(days=rng.randint(-3, 10))
        filed = None if rng.random() < 0.03 else decided + datetime.timedelta(days=rng.randint(1, 18))
        conclusion = ("refused" if rng.random() < 0.02 else "agreed") if reviewed else ""
        decisions.append([rng.choice(bodies).pk, f"决定{n}", "penalty", "complex", clerk.pk,
                          clerk.pk if reviewed else None, conclusion, reviewed, decided,
                          decided + datetime.timedelta(days=15), filed, now])  # fmt: skip
    insert_rows(MajorDecision, ["body_id", "title", "kind", "ground", "registered_by_id", "reviewer_id",
                                "review_conclusion", "reviewed_on", "decided_on", "filing_due_on", "filed_on",
                                "created_at"], decisions)  # fmt: skip

    # 案卷评查: a plan per prefecture and year; the files of its agencies, nine in ten scored.
    files = []
    per_prefecture = len(places) // len(PREFECTURES)
    for p, prefecture in enumerate(PREFECTURES):
        region_id, _county, _court, bureau, _ids = places[p * per_prefecture]
        own = [a for *_rest, ids in places[p * per_prefecture : (p + 1) * per_prefecture] for a in ids]
        sheet = ScoreSheet.objects.create(year=YEARS[0], name=f"{prefecture}评查标准", region_id=region_id)
        for year in YEARS:
            plan = ReviewPlan.objects.create(year=year, name=f"{year}年度案卷评查", mode="sampled", region_id=region_id,
                                             organiser_id=bureau, sheet=sheet, created_by=clerk)  # fmt: skip
            for n in range(args.files // len(PREFECTURES) // len(YEARS)):
                score = Decimal(rng.randint(300, 1000)) / 10
                scored = rng.random() < 0.9
                files.append([plan.pk, f"{year}-{n}", rng.choice(own), "penalty",
                              datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
                              score if scored else None, score if scored else None, False,
                              (score >= 60) if scored else None, now if scored else None])  # fmt: skip
    insert_rows(ReviewFile, ["plan_id", "number", "body_id", "act_kind", "decided_on", "points", "score", "vetoed",
                             "passed", "scored_at"], files)  # fmt: skip

    # 旁听庭审: sessions at the courts, each attended by one to three units of the court's prefecture.
    sessions = []
    for n in range(args.sessions):
        place = rng.randrange(len(places))
        held = START + datetime.timedelta(days=rng.randrange(DAYS))
        sessions.append([f"（{held.year}）旁听{n}号", courts[place], held, "in_person", clerk.pk, now])
    insert_rows(Session, ["case_number", "court_id", "held_on", "mode", "recorded_by_id", "recorded_at"], sessions)
    units = []
    org_ids = set(Organisation.objects.values_list("pk", flat=True))
    assert set(agencies) <= org_ids
    for session, court, held in Session.objects.order_by("pk").values_list("pk", "court_id", "held_on"):
        place = courts.index(court)
        first = place - place % per_prefecture
        own = [a for *_rest, ids in places[first : first + per_prefecture] for a in ids]
        for org in rng.sample(own, rng.randint(1, 3)):
            units.append([session, org, held])
    insert_rows(SessionUnit, ["session_id", "organisation_id", "held_on"], units)


# --- the platform -------------------------------------------------------------------------------------------------


def make_schemes() -> list[Any]:
    from fuyuan.assessment.models import Indicator
    from fuyuan.assessment.workflow import create_scheme
    from fuyuan.core.models import Region, Role, User

    schemes = []
    for prefecture in Region.objects.filter(name__in=PREFECTURES).order_by("pk"):
        office = User.objects.create(username=f"office{prefecture.pk}", role=Role.RULE_OF_LAW_OFFICE, region=prefecture)
        for year in YEARS:
            scheme = create_scheme(prefecture, year, by=office)
            Indicator.objects.filter(scheme=scheme).exclude(code__in=CODES).delete()
            schemes.append(scheme)
    return schemes


Cells = dict[tuple[int, str, int, str], tuple[Decimal | None, Decimal | None]]


def run_platform(schemes: list[Any]) -> tuple[dict[tuple[int, str, int], Decimal | None], Cells]:
    """``scoring.compute`` of every scheme, as the ranking page and its exports call it: each unit's score, and
    each cell's (value, points)."""
    from fuyuan.assessment.scoring import compute

    scores: dict[tuple[int, str, int], Decimal | None] = {}
    cells: Cells = {}
    for scheme in schemes:
        result = compute(scheme)
        for row in result.rows():
            scores[(scheme.pk, row.kind, row.ref)] = row.score
            for c in row.cells:
                cells[(scheme.pk, row.kind, row.ref, c.indicator.code)] = (c.value, c.points)
    return scores, cells


def platform_parts(schemes: list[Any]) -> dict[str, float]:
    """Each indicator's own counting, as ``compute`` runs it, over every scheme: a stats rate through
    ``scoring._stats_counts`` alone, an own or module source through its registered path within the prefecture."""
    from fuyuan.assessment import scoring
    from fuyuan.assessment.indicators import SOURCES, resolve

    parts: dict[str, float] = {}
    started = time.perf_counter()
    for scheme in schemes:
        scoring._units(scheme)
    parts["units"] = time.perf_counter() - started
    for code in CODES:
        source = SOURCES[code]
        started = time.perf_counter()
        for scheme in schemes:
            if source.kind == "stats":
                scoring._stats_counts(scheme, [source])
            else:
                resolve(source.path)(scheme.year, within=scheme.region.path)
        parts[code] = time.perf_counter() - started
    return parts


# --- by hand ------------------------------------------------------------------------------------------------------


def _listed(values: frozenset[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def case_parts() -> dict[str, tuple[str, str, str]]:
    """Each stats indicator's (date column, numerator condition, denominator condition) over the cases."""
    from fuyuan.cases.choices import correction_outcomes, loss_outcomes

    first = "c.kind = 'litigation' AND c.instance = 'first'"
    recon = "c.kind = 'reconsideration'"
    return {
        "loss_rate": ("concluded_on", f"{first} AND c.outcome IN ({_listed(loss_outcomes())})", first),
        "correction_rate": ("concluded_on", f"{recon} AND c.outcome IN ({_listed(correction_outcomes())})", recon),
        "appearance_rate": ("hearing_on", f"{first} AND c.head_appeared", first),
        "speaking_rate": ("hearing_on", f"{first} AND c.head_appeared AND c.head_spoke",
                          f"{first} AND c.head_appeared AND c.head_spoke IS NOT NULL"),
    }  # fmt: skip


def hand_statements(codes: tuple[str, ...]) -> dict[str, str]:
    """The hand-written statements counting ``codes``: one over the cases for the stats rates among them (per
    defendant, over the prefecture's regions, the dates in the year), one per other source, each per organisation
    of the prefecture. Every statement yields (key, numerator, denominator[, …]) rows."""
    from django.db import connection

    w = "BETWEEN %(f)s AND %(t)s"
    in_prefecture = (
        "JOIN core_organisation o ON o.id = {0} JOIN core_region r ON r.id = o.region_id AND r.path LIKE %(p)s"
    )
    statements = {}
    stats = [code for code in codes if code in case_parts()]
    if stats:
        parts = case_parts()
        sums = ",\n".join(
            f"SUM(CASE WHEN c.{parts[code][0]} {w} AND {cond} THEN 1 ELSE 0 END)"
            for code in stats
            for cond in parts[code][1:]
        )
        dates = " OR ".join(f"c.{d} {w}" for d in sorted({parts[code][0] for code in stats}))
        statements["cases:" + ",".join(stats)] = f"""SELECT c.defendant_id, {sums}
            FROM cases_case c JOIN core_region r ON r.id = c.region_id
            WHERE r.path LIKE %(p)s AND ({dates}) GROUP BY c.defendant_id"""
    local_date = (
        "date(i.reported_at, 'localtime')"
        if connection.vendor == "sqlite"
        else "(i.reported_at AT TIME ZONE %(tz)s)::date"
    )
    valid = "EXISTS (SELECT 1 FROM enforcement_certificate x WHERE x.officer_id = e.id AND x.issued_on <= %(t)s " \
            "AND x.valid_to >= %(t)s AND (x.revoked_on IS NULL OR x.revoked_on > %(t)s))"  # fmt: skip
    others = {
        "rectification_on_time": f"""SELECT i.owner_id,
            SUM(CASE WHEN i.state = 'verified' AND {local_date} <= i.due_on THEN 1 ELSE 0 END), COUNT(*)
            FROM rectification_item i {in_prefecture.format("i.owner_id")}
            WHERE i.due_on {w} GROUP BY i.owner_id""",
        "certificate_coverage": f"""SELECT b.organisation_id, SUM(CASE WHEN {valid} THEN 1 ELSE 0 END), COUNT(*)
            FROM enforcement_officer e JOIN enforcement_enforcementbody b ON b.id = e.body_id
            {in_prefecture.format("b.organisation_id")}
            WHERE e.joined_on <= %(t)s AND (e.left_on IS NULL OR e.left_on > %(t)s) GROUP BY b.organisation_id""",
        "major_decisions_in_order": f"""SELECT b.organisation_id, SUM(CASE WHEN d.reviewed_on IS NOT NULL
              AND d.reviewed_on <= d.decided_on AND d.review_conclusion <> 'refused' AND d.filed_on IS NOT NULL
              AND d.filed_on <= d.filing_due_on THEN 1 ELSE 0 END), COUNT(*)
            FROM enforcement_majordecision d JOIN enforcement_enforcementbody b ON b.id = d.body_id
            {in_prefecture.format("b.organisation_id")}
            WHERE d.decided_on {w} GROUP BY b.organisation_id""",
        "file_review_score": f"""SELECT f.body_id, ROUND(SUM(f.score), 1), COUNT(*)
            FROM filereview_reviewfile f JOIN filereview_reviewplan p ON p.id = f.plan_id
            {in_prefecture.format("f.body_id")}
            WHERE p.year = %(y)s AND f.scored_at IS NOT NULL GROUP BY f.body_id""",
        "attendance_compliance": f"""SELECT u.organisation_id, COUNT(*), 0
            FROM attendance_sessionunit u {in_prefecture.format("u.organisation_id")}
            WHERE u.held_on {w} GROUP BY u.organisation_id""",
    }
    statements.update({code: sql for code, sql in others.items() if code in codes})
    return statements


def hand_counts(cursor: Any, scheme: Any, statements: dict[str, str]) -> dict[str, dict[int, tuple[Any, Any]]]:
    """Run ``statements`` for one scheme: (numerator, denominator) per organisation and indicator."""
    from django.conf import settings

    params = {"f": datetime.date(scheme.year, 1, 1), "t": datetime.date(scheme.year, 12, 31), "y": scheme.year,
              "p": scheme.region.path + "%", "tz": settings.TIME_ZONE}  # fmt: skip
    counts: dict[str, dict[int, tuple[Any, Any]]] = {}
    rule = int(settings.FUYUAN_ATTENDANCE_MIN_SESSIONS)
    for name, sql in statements.items():
        cursor.execute(sql, params)
        found = cursor.fetchall()
        if name.startswith("cases:"):
            for n, code in enumerate(name.removeprefix("cases:").split(",")):
                counts[code] = {org: (int(v[2 * n] or 0), int(v[2 * n + 1] or 0)) for org, *v in found}
        elif name == "attendance_compliance":
            counts[name] = {org: (min(int(n), rule), rule) for org, n, _zero in found}
        elif name == "file_review_score":
            counts[name] = {org: (Decimal(str(n)), int(d)) for org, n, d in found}
        else:
            counts[name] = {org: (int(n), int(d)) for org, n, d in found}
    return counts


def hand_written(schemes: list[Any]) -> tuple[dict[tuple[int, str, int], Decimal | None], Cells]:
    """The same scores from hand-written SQL (``hand_statements``, per scheme), with the same scoring in a few lines:
    the counties sum their organisations' counts; a rate in percent or an average, rounded half up to cents."""
    from django.db import connection

    statements = hand_statements(CODES)
    scores: dict[tuple[int, str, int], Decimal | None] = {}
    cells: Cells = {}
    with connection.cursor() as cursor:
        for scheme in schemes:
            region = scheme.region
            cursor.execute(
                "SELECT o.id, o.kind, o.region_id, r.parent_id, r.level FROM core_organisation o "
                "JOIN core_region r ON r.id = o.region_id WHERE r.path LIKE %(p)s",
                {"p": region.path + "%"},
            )
            county_of, departments = {}, []
            for org, kind, region_id, parent, level in cursor.fetchall():
                county_of[org] = region_id if level == 3 and parent == region.pk else None
                if region_id == region.pk and kind in ("agency", "justice_bureau"):
                    departments.append(org)
            counts = hand_counts(cursor, scheme, statements)
            rules = {i.code: i for i in scheme.indicators.all()}
            units: dict[tuple[str, int], list[int]] = {("department", d): [d] for d in departments}
            for org, county in county_of.items():
                if county is not None:
                    units.setdefault(("county", county), []).append(org)
            for (kind, ref), orgs in units.items():
                got = full = Decimal(0)
                for code, indicator in rules.items():
                    n: Any = sum(counts[code].get(o, (0, 0))[0] for o in orgs)
                    d: Any = sum(counts[code].get(o, (0, 0))[1] for o in orgs)
                    if not d:
                        cells[(scheme.pk, kind, ref, code)] = (None, None)
                        continue
                    if code == "file_review_score":
                        value = (n / Decimal(d)).quantize(CENT, rounding=ROUND_HALF_UP)
                    else:
                        value = (Decimal(n) * 100 / Decimal(d)).quantize(CENT, rounding=ROUND_HALF_UP)
                    lo, hi = indicator.floor, indicator.target
                    part = (lo - value) / (lo - hi) if indicator.lower_is_better else (value - lo) / (hi - lo)
                    earned = (indicator.weight * min(Decimal(1), max(Decimal(0), part))).quantize(CENT, ROUND_HALF_UP)
                    cells[(scheme.pk, kind, ref, code)] = (value, earned)
                    got += earned
                    full += indicator.weight
                scores[(scheme.pk, kind, ref)] = (got * 100 / full).quantize(CENT, ROUND_HALF_UP) if full else None
    return scores, cells


def hand_parts(schemes: list[Any]) -> dict[str, float]:
    """Each indicator's hand-written statement alone over every scheme (a stats rate: the case statement with only
    its two sums and its date)."""
    from django.db import connection

    parts: dict[str, float] = {}
    with connection.cursor() as cursor:
        for code in CODES:
            statements = hand_statements((code,))
            started = time.perf_counter()
            for scheme in schemes:
                hand_counts(cursor, scheme, statements)
            parts[code] = time.perf_counter() - started
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to insert (default 1000000)")
    parser.add_argument("--officers", type=int, default=20_000, help="officers to insert (default 20000)")
    parser.add_argument("--decisions", type=int, default=20_000, help="major enforcement decisions (default 20000)")
    parser.add_argument("--files", type=int, default=20_000, help="case files reviewed (default 20000)")
    parser.add_argument("--sessions", type=int, default=10_000, help="court sessions attended (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="timings of each side, the best kept (default 3)")
    parser.add_argument("--reset", action="store_true", help="empty the DATABASE_URL database first (flush)")
    parser.add_argument(
        "--reuse", action="store_true", help="time the DATABASE_URL database an earlier run filled, without filling it"
    )
    args = parser.parse_args()

    database = start_django(reset=args.reset, existing=args.reuse)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fuyuan.cases.models import Case

    print(f"数据库：{database}")
    if args.reuse:
        from fuyuan.assessment.models import Scheme

        schemes = list(Scheme.objects.filter(region__name__in=PREFECTURES).order_by("region__pk", "year"))
        print(f"沿用已写入的数据：{Case.objects.count()} 件案件")
    else:
        places = build_province()
        took = fill(args, places)
        schemes = make_schemes()
        print(f"写入 {args.cases} 件案件、{args.officers} 名执法人员、{args.decisions} 件重大执法决定、{args.files} 件评查案卷、"
              f"{args.sessions} 次旁听庭审、{ITEMS} 项整改事项：" + "，".join(f"{k} {v:.1f} 秒" for k, v in took.items()))  # fmt: skip

    expected, expected_cells = hand_written(schemes)
    with CaptureQueriesContext(connection) as queries:
        got, got_cells = run_platform(schemes)
    problems = [f"{key}: 平台 {got.get(key)} ≠ SQL {value}" for key, value in expected.items() if got.get(key) != value]
    problems += [f"{key}: 仅平台有此单位" for key in set(got) - set(expected)]
    problems += [
        f"{key}: 平台 (值, 得分) {got_cells.get(key)} ≠ SQL {value}"
        for key, value in expected_cells.items()
        if got_cells.get(key) != value
    ]
    if problems:
        print("结果不一致：", *problems[:20], sep="\n  ")
        sys.exit(1)
    print(f"结果一致：{len(expected)} 个（方案, 单位）得分，{len(expected_cells)} 个指标值和指标得分")

    platform_time = best_of(args.runs, lambda: run_platform(schemes))
    sql_time = best_of(args.runs, lambda: hand_written(schemes))
    mine = platform_parts(schemes)
    theirs = hand_parts(schemes)
    print(f"\n各指标（{len(schemes)} 个方案合计，单次）：")
    print(f"| {'指标':<26} | 平台 秒 | 手写 SQL 秒 | 比值 |")
    print("|---|---|---|---|")
    print(f"| {'units (_units)':<26} | {mine['units']:.3f} | | |")
    for code in CODES:
        print(f"| {code:<26} | {mine[code]:.3f} | {theirs[code]:.3f} | {mine[code] / theirs[code]:.2f} |")
    units = len(got) // len(schemes)
    print(f"\n平台考核（{len(schemes)} 个方案 = 4 个州 × 10 年，每方案 {units} 个县和部门，{len(CODES)} 项指标）："
          f"{platform_time:.3f} 秒，执行 SQL {len(queries)} 条（每方案 {len(queries) / len(schemes):.1f} 条）")  # fmt: skip
    print(f"手写 SQL：{sql_time:.3f} 秒")
    print(f"比值 平台 / SQL = {platform_time / sql_time:.2f}（目标 ≤ 2）")


if __name__ == "__main__":
    main()
