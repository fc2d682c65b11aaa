"""Reconsideration handling speed (issue 14): the body's figures and the staff queue against hand-written SQL.

    .venv/bin/python bench/bench_reconsideration.py [--files 300000] [--reset]

Fills ``--files`` reconsideration files below the ORM (``core.bulk.insert_rows``: SQLite ``executemany``, PostgreSQL
``COPY``): for each, its registry case, its ``Application``, its derived deadlines (``reconsideration.acceptance``
and the decision period in force, computed by ``deadlines.rules`` from the file's dates) and, for about one accepted
file in twelve, a 听证 held. Nine bodies (a prefecture and eight counties, each its 司法局) and 99 respondents,
received 2024-01 to 2026-11, with a realistic mix: accepted 85 % (one in twenty of them 视为受理), refused 8 %,
still in review 7 %; simplified procedure 15 %, extended 10 % of the ordinary; concluded 92 % of the accepted, some
late, a quarter by 调解/和解. Then it times, in alternating rounds, the ORM path against one hand-written statement
returning the same numbers:

- the body's figures for 2025 as its staff see them (``reconsideration.figures.compute`` over ``visible_to``, by
  respondent);
- the 依法治办 of the prefecture's figures for 2025 over every body (by body) and by month;
- the staff queue as its page reads it: the body's files newest first, their number and the first page (50), each
  with its nearest open deadline.

It checks that both sides give the same numbers (and the same first page) and prints each time and **ORM / SQL,
goal ≤ 2**.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _setup import best_of, runs_to_fill, start_django

FROM, TO = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
START, END = datetime.date(2024, 1, 1), datetime.date(2026, 11, 30)
TODAY = datetime.date(2026, 12, 1)
PREFECTURE = "复议基准州"
COUNTIES = ["一区", "二县", "三县", "四县", "五县", "六县", "七县", "八市"]
AGENCIES = ["人民政府", "自然资源局", "公安局", "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局",
            "生态环境局", "林业局", "交通运输局", "教育局", "卫生健康局"]  # fmt: skip
OUTCOMES = {"upheld": 38, "rejected": 8, "mediated": 14, "settled": 11, "withdrawn": 8, "terminated": 3,
            "revoked": 10, "varied": 2, "confirmed_illegal": 4, "ordered_to_perform": 2}  # fmt: skip
PAGE = 50


def build_places() -> tuple[Any, list[tuple[Any, Any, list[Any]]]]:
    """Regions, bodies and respondents; returns the prefecture and (region, body, agencies) per place."""
    from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel

    prefecture = Region.objects.create(name=PREFECTURE, level=RegionLevel.PREFECTURE)
    regions = [prefecture] + [
        Region.objects.create(name=f"复议{name}", level=RegionLevel.COUNTY, parent=prefecture) for name in COUNTIES
    ]
    places = []
    for region in regions:
        body = Organisation.objects.create(
            name=f"{region.name}司法局", kind=OrganisationKind.JUSTICE_BUREAU, region=region
        )
        agencies = Organisation.objects.bulk_create(
            [Organisation(name=f"{region.name}{a}", region=region) for a in AGENCIES]
        )
        places.append((region, body, agencies))
    return prefecture, places


def fill_files(total: int, places: list[tuple[Any, Any, list[Any]]], seed: int = 1) -> None:
    """The files, their cases, deadlines and hearings, in one transaction below the ORM."""
    from django.db import connection, transaction
    from django.utils import timezone

    from fuyuan.cases.models import Case
    from fuyuan.core.bulk import insert_rows
    from fuyuan.core.queries import work_calendar
    from fuyuan.deadlines.models import Deadline
    from fuyuan.deadlines.rules import compute_due
    from fuyuan.reconsideration.models import Application, ReconsiderationHearing

    rng = random.Random(seed)
    cal = work_calendar()
    dues: dict[tuple[str, datetime.date], datetime.date] = {}

    def due(rule_id: str, start: datetime.date) -> datetime.date:
        if (rule_id, start) not in dues:
            dues[rule_id, start] = compute_due(rule_id, start, cal).due
        return dues[rule_id, start]

    def state(due_on: datetime.date, met_on: datetime.date | None) -> str:
        return "met" if met_on else ("overdue" if due_on < TODAY else "open")

    now = timezone.now()
    outcomes, weights = list(OUTCOMES), list(OUTCOMES.values())
    span = (END - START).days
    cases: list[tuple[Any, ...]] = []
    files: list[dict[str, Any]] = []
    for n in range(total):
        region, body, agencies = places[n % len(places)]
        respondent = agencies[rng.randrange(len(agencies))]
        received = START + datetime.timedelta(days=rng.randrange(span))
        review_due = due("reconsideration.acceptance", received)
        roll = rng.random()
        acceptance = "accepted" if roll < 0.85 else "rejected" if roll < 0.93 else "pending"
        deemed = acceptance == "accepted" and rng.random() < 0.05
        accepted_on = None
        if acceptance != "pending":
            accepted_on = (
                review_due if deemed else min(received + datetime.timedelta(days=rng.randint(1, 6)), review_due)
            )
        procedure = "simplified" if acceptance == "accepted" and not deemed and rng.random() < 0.15 else "ordinary"
        extended = acceptance == "accepted" and procedure == "ordinary" and rng.random() < 0.10
        concluded = outcome = None
        if acceptance == "accepted" and rng.random() < 0.92:
            assert accepted_on is not None
            concluded = accepted_on + datetime.timedelta(days=rng.randint(10, 100 if extended else 75))
            if concluded > END:
                concluded = None
            else:
                outcome = rng.choices(outcomes, weights)[0]
        stage = (
            "examining" if acceptance == "pending" else "rejected" if acceptance == "rejected"
            else ("served" if rng.random() < 0.8 else "decided") if concluded else "accepted"
        )  # fmt: skip
        number = f"复议基准〔{received.year}〕{n:07d}号"
        cases.append((
            "reconsideration", number, body.pk, respondent.pk, region.pk, region.pk, received, acceptance,
            accepted_on, concluded, outcome or "", now, now,
        ))  # fmt: skip
        files.append({
            "number": number, "body": body.pk, "respondent": respondent.pk, "received": received,
            "review_due": review_due, "accepted_on": accepted_on, "acceptance": acceptance, "deemed": deemed,
            "procedure": procedure, "extended": extended, "concluded": concluded, "stage": stage,
        })  # fmt: skip

    with transaction.atomic():
        insert_rows(
            Case,
            ("kind", "number", "reconsideration_body_id", "defendant_id", "region_id", "county_id", "received_on",
             "acceptance", "accepted_on", "concluded_on", "outcome", "created_at", "updated_at"),
            cases,
        )  # fmt: skip
        case_ids = dict(Case.objects.filter(kind="reconsideration").values_list("number", "pk"))
        insert_rows(
            Application,
            ("case_id", "receipt_number", "follow_code_hash", "channel", "body_id", "respondent_id", "applicant_name",
             "contested_act", "request", "stage", "procedure", "deemed_accepted", "extension_requested_on",
             "extension_days", "extension_approved_on", "created_at", "updated_at"),
            [
                (case_ids[f["number"]], f["number"], "-", "window", f["body"], f["respondent"], f"申请人{i}",
                 "行政处罚决定", "撤销", f["stage"], f["procedure"], f["deemed"],
                 f["accepted_on"] + datetime.timedelta(days=20) if f["extended"] else None,
                 30 if f["extended"] else None,
                 f["accepted_on"] + datetime.timedelta(days=21) if f["extended"] else None, now, now)
                for i, f in enumerate(files)
            ],
        )  # fmt: skip
        deadlines: list[tuple[Any, ...]] = []
        for f in files:
            case_id = case_ids[f["number"]]
            met = f["accepted_on"]
            deadlines.append((case_id, "reconsideration.acceptance", f["received"], f["review_due"], met, f["body"],
                              state(f["review_due"], met)))  # fmt: skip
            if f["acceptance"] == "accepted":
                rule_id = (
                    "reconsideration.simplified" if f["procedure"] == "simplified"
                    else "reconsideration.decision_extended" if f["extended"] else "reconsideration.decision"
                )  # fmt: skip
                decision_due = due(rule_id, f["accepted_on"])
                deadlines.append((case_id, rule_id, f["accepted_on"], decision_due, f["concluded"], f["body"],
                                  state(decision_due, f["concluded"])))  # fmt: skip
        insert_rows(Deadline, ("case_id", "rule_id", "start_on", "due_on", "met_on", "owner_id", "state"), deadlines)
        file_ids = dict(Application.objects.values_list("receipt_number", "pk"))
        hearings = []
        for f in files:
            if f["concluded"] and rng.random() < 0.08:
                held = f["accepted_on"] + datetime.timedelta(days=(f["concluded"] - f["accepted_on"]).days // 2)
                at = timezone.make_aware(datetime.datetime.combine(held, datetime.time(9, 30)))
                hearings.append((file_ids[f["number"]], at, "听证室", True, "局长", at))
        insert_rows(
            ReconsiderationHearing,
            ("application_id", "held_at", "place", "head_attended", "head_name", "recorded_at"),
            hearings,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- The hand-written statements ---

ACCEPTANCE_MET = """EXISTS (SELECT 1 FROM deadlines_deadline d WHERE d.case_id = c.id
    AND d.rule_id = 'reconsideration.acceptance' AND d.state = 'met' AND d.met_on <= d.due_on)"""
DECISION_MET = """EXISTS (SELECT 1 FROM deadlines_deadline d WHERE d.case_id = c.id AND d.state = 'met'
    AND d.rule_id IN ('reconsideration.decision', 'reconsideration.decision_extended', 'reconsideration.simplified')
    AND d.met_on <= d.due_on)"""
HEARD = """EXISTS (SELECT 1 FROM reconsideration_reconsiderationhearing h
    WHERE h.application_id = a.id AND h.recorded_at IS NOT NULL)"""
COUNT_COLUMNS = ("reviewed", "reviewed_on_time", "accepted", "simplified", "concluded", "concluded_on_time",
                 "mediated", "heard", "days")  # fmt: skip


def figures_sql(scope: str, group: str) -> str:
    """The body's figures in ONE statement: conditional sums over the files joined to their case, with the acceptance and
    decision deadlines met in time and the hearings held as EXISTS subqueries. ``scope`` bounds the files, ``group`` is the
    grouping column (a literal 0 for none)."""
    from django.db import connection

    days = (
        "c.concluded_on - c.received_on" if connection.vendor == "postgresql"
        else "CAST(julianday(c.concluded_on) - julianday(c.received_on) AS INTEGER)"
    )  # fmt: skip
    reviewed = "c.accepted_on BETWEEN %(f)s AND %(t)s AND c.acceptance IN ('accepted', 'rejected')"
    accepted = "c.accepted_on BETWEEN %(f)s AND %(t)s AND c.acceptance = 'accepted'"
    concluded = "c.concluded_on BETWEEN %(f)s AND %(t)s AND c.acceptance = 'accepted'"
    return f"""
        SELECT {group},
          SUM(CASE WHEN {reviewed} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {reviewed} AND NOT a.deemed_accepted AND {ACCEPTANCE_MET} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {accepted} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {accepted} AND a.procedure = 'simplified' THEN 1 ELSE 0 END),
          SUM(CASE WHEN {concluded} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {concluded} AND {DECISION_MET} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {concluded} AND c.outcome IN ('mediated', 'settled') THEN 1 ELSE 0 END),
          SUM(CASE WHEN {concluded} AND {HEARD} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {concluded} THEN {days} ELSE 0 END)
        FROM reconsideration_application a
        JOIN cases_case c ON c.id = a.case_id
        WHERE ({scope}) AND (c.accepted_on BETWEEN %(f)s AND %(t)s OR c.concluded_on BETWEEN %(f)s AND %(t)s)
        GROUP BY {group}
    """


def run_sql(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sql_counts(rows: list[tuple[Any, ...]]) -> dict[Any, dict[str, int]]:
    return {row[0]: dict(zip(COUNT_COLUMNS, (int(v or 0) for v in row[1:]), strict=True)) for row in rows}


def month_sql(scope: str) -> str:
    """By month, each file in the month of its own date: the review's measures and the conclusion's, one statement
    (a UNION ALL of the two placements)."""
    from django.db import connection

    month = "to_char({0}, 'YYYY-MM')" if connection.vendor == "postgresql" else "strftime('%%Y-%%m', {0})"
    days = (
        "c.concluded_on - c.received_on" if connection.vendor == "postgresql"
        else "CAST(julianday(c.concluded_on) - julianday(c.received_on) AS INTEGER)"
    )  # fmt: skip
    return f"""
        SELECT m, SUM(r1), SUM(r2), SUM(r3), SUM(r4), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(d) FROM (
          SELECT {month.format("c.accepted_on")} AS m,
            CASE WHEN c.acceptance IN ('accepted', 'rejected') THEN 1 ELSE 0 END AS r1,
            CASE WHEN c.acceptance IN ('accepted', 'rejected') AND NOT a.deemed_accepted
                 AND {ACCEPTANCE_MET} THEN 1 ELSE 0 END AS r2,
            CASE WHEN c.acceptance = 'accepted' THEN 1 ELSE 0 END AS r3,
            CASE WHEN c.acceptance = 'accepted' AND a.procedure = 'simplified' THEN 1 ELSE 0 END AS r4,
            0 AS c1, 0 AS c2, 0 AS c3, 0 AS c4, 0 AS d
          FROM reconsideration_application a JOIN cases_case c ON c.id = a.case_id
          WHERE ({scope}) AND c.accepted_on BETWEEN %(f)s AND %(t)s
          UNION ALL
          SELECT {month.format("c.concluded_on")}, 0, 0, 0, 0,
            CASE WHEN c.acceptance = 'accepted' THEN 1 ELSE 0 END,
            CASE WHEN c.acceptance = 'accepted' AND {DECISION_MET} THEN 1 ELSE 0 END,
            CASE WHEN c.acceptance = 'accepted' AND c.outcome IN ('mediated', 'settled') THEN 1 ELSE 0 END,
            CASE WHEN c.acceptance = 'accepted' AND {HEARD} THEN 1 ELSE 0 END,
            CASE WHEN c.acceptance = 'accepted' THEN {days} ELSE 0 END
          FROM reconsideration_application a JOIN cases_case c ON c.id = a.case_id
          WHERE ({scope}) AND c.concluded_on BETWEEN %(f)s AND %(t)s
        ) x GROUP BY m
    """


def sql_queue_page(body_id: int) -> tuple[int, list[tuple[Any, ...]]]:
    """The queue's first page in hand-written SQL, reading what the page shows: the body's files newest first, how
    many there are, each row's columns (receipt number, stage, procedure, late reply, applicant, received, respondent)
    and each file's nearest open deadline with its rule (the page names it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reconsideration_application WHERE body_id = %s", [body_id])
        (count,) = cursor.fetchone()
        cursor.execute(
            "SELECT a.id, a.receipt_number, c.received_on, o.name, a.stage, a.procedure, a.reply_late,"
            " a.applicant_name, a.case_id FROM reconsideration_application a"
            " JOIN cases_case c ON c.id = a.case_id JOIN core_organisation o ON o.id = a.respondent_id"
            f" WHERE a.body_id = %s ORDER BY a.id DESC LIMIT {PAGE}",
            [body_id],
        )
        rows = cursor.fetchall()
        marks = ", ".join(["%s"] * len(rows))
        cursor.execute(
            "SELECT case_id, rule_id, due_on FROM deadlines_deadline"
            f" WHERE state = 'open' AND case_id IN ({marks}) ORDER BY case_id, due_on, id",
            [row[8] for row in rows],
        )
        nearest: dict[int, tuple[str, Any]] = {}
        for case_id, rule_id, due_on in cursor.fetchall():
            nearest.setdefault(case_id, (rule_id, due_on))
    day = datetime.date.fromisoformat  # SQLite may give a date as text
    page = []
    for row in rows:
        rule_id, due_on = nearest.get(row[8], (None, None))
        page.append((*row[:8], rule_id, day(due_on) if isinstance(due_on, str) else due_on))
    return count, page


def queue_page(user: Any) -> tuple[int, list[tuple[Any, ...]]]:
    """The staff queue's first page as the queue page reads it (``reconsideration.views.queue``: the files of
    ``queries.queue_files`` paged by Django's paginator, the page's rows read by ``queries.queue_rows``): the body's
    files newest first, their number, each with its nearest open deadline."""
    from django.core.paginator import Paginator

    from fuyuan.reconsideration.queries import queue_files, queue_rows

    page = Paginator(queue_files(user), PAGE).get_page(1)
    rows = [
        (r.pk, r.receipt_number, r.received, r.respondent_name, r.stage, r.procedure, r.reply_late,
         r.applicant_name, r.next_rule_id, r.next_due_on)
        for r in queue_rows(page.object_list)
    ]  # fmt: skip
    return page.paginator.count, rows


def explain(label: str, run: Callable[[], Any]) -> None:
    """Print the plan of every statement ``run`` sends (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
    PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    print(f"--- {label}: {len(queries)} 条 SQL")
    for query in queries:
        sql = query["sql"]
        print("  SQL:", sql[:600] + ("…" if len(sql) > 600 else ""))
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    ", row[-1])


def orm_counts(result: dict[str, Any], key: Callable[[Any], Any]) -> dict[Any, dict[str, int]]:
    return {key(row["ref"]): {k: row["counts"][k] for k in COUNT_COLUMNS} for row in result["rows"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300_000, help="files to insert (default 300000)")
    parser.add_argument("--reset", action="store_true", help="empty the DATABASE_URL database first (flush)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of best-of-three per measure (default 5)")
    parser.add_argument(
        "--existing", action="store_true", help="DATABASE_URL already holds an earlier run's files: time them again"
    )
    parser.add_argument("--explain", action="store_true", help="print each statement's query plan")
    args = parser.parse_args()

    database = start_django(reset=args.reset, existing=args.existing)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fuyuan.core.models import Role, User
    from fuyuan.reconsideration import figures as fig
    from fuyuan.reconsideration.models import Application
    from fuyuan.reconsideration.queries import visible_to

    print(f"数据库：{database}")
    if args.existing:
        staff, office = User.objects.get(username="bench_recon"), User.objects.get(username="bench_office")
        body, prefecture = staff.organisation, office.region
        print(f"沿用已有的 {Application.objects.count()} 件行政复议案件")
    else:
        started = time.perf_counter()
        prefecture, places = build_places()
        fill_files(args.files, places)
        print(f"写入 {args.files} 件行政复议案件（含登记案件、期限、听证）：{time.perf_counter() - started:.1f} 秒")
        body = places[1][1]
        staff = User.objects.create_user("bench_recon", role=Role.RECONSIDERATION_BODY, organisation=body)
        office = User.objects.create_user("bench_office", role=Role.RULE_OF_LAW_OFFICE, region=prefecture)
    window = {"f": FROM, "t": TO}
    body_scope = f"c.kind = 'reconsideration' AND c.reconsideration_body_id = {body.pk}"
    region_scope = f"c.region_id IN (SELECT id FROM core_region WHERE path LIKE '{prefecture.path}%%')"

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], list[str]]]] = []

    def check_grouped(orm: dict[str, Any], sql: list[tuple[Any, ...]], key: Callable[[Any], Any]) -> list[str]:
        mine, theirs = orm_counts(orm, key), sql_counts(sql)
        problems = [f"{k}: ORM {mine.get(k)} ≠ SQL {theirs.get(k)}" for k in set(mine) | set(theirs)
                    if mine.get(k) != theirs.get(k)]  # fmt: skip
        return problems

    cases.append((
        "本机构办案指标（按被申请人）",
        lambda: fig.compute(visible_to(staff), FROM, TO, by="respondent"),
        lambda: run_sql(figures_sql(body_scope, "a.respondent_id"), window),
        lambda orm, sql: check_grouped(orm, sql, lambda ref: ref),
    ))  # fmt: skip
    cases.append((
        "依法治办：各复议机构（按机构）",
        lambda: fig.compute(visible_to(office), FROM, TO, by="body"),
        lambda: run_sql(figures_sql(region_scope, "a.body_id"), window),
        lambda orm, sql: check_grouped(orm, sql, lambda ref: ref),
    ))  # fmt: skip
    cases.append((
        "依法治办：按月份",
        lambda: fig.compute(visible_to(office), FROM, TO, by="month"),
        lambda: run_sql(month_sql(region_scope), window),
        lambda orm, sql: check_grouped(orm, sql, lambda ref: ref.strftime("%Y-%m")),
    ))  # fmt: skip
    cases.append((
        f"承办人案件台账（本机构案件新收在前，首页 {PAGE} 件及各自最近期限、总数）",
        lambda: queue_page(staff),
        lambda: sql_queue_page(body.pk),
        lambda orm, sql: [] if orm == sql and len(orm[1]) == PAGE
        else [f"首页不同：ORM {orm[0]} 件 {orm[1][:2]}… SQL {sql[0]} 件 {sql[1][:2]}…"],
    ))  # fmt: skip

    failed = False
    table = []
    for label, orm, sql, check in cases:
        with CaptureQueriesContext(connection) as queries:
            orm_result = orm()
        problems = check(orm_result, sql())
        if args.explain:
            explain(f"{label}（ORM）", orm)
            explain(f"{label}（手写 SQL）", sql)
        # Rounds alternate the two sides, so that both meet the same load; each round is the best of as many calls of
        # each side as fill a quarter of a second of the slower one (three for the figures, a hundred or so for the
        # queue's few milliseconds).
        runs = min(runs_to_fill(orm), runs_to_fill(sql))
        rounds = [(best_of(runs, orm), best_of(runs, sql)) for _ in range(args.repeat)]
        ratios = sorted(o / q for o, q in rounds)
        orm_times, sql_times = sorted(o for o, _ in rounds), sorted(q for _, q in rounds)
        print(f"{label}：ORM {orm_times[0]:.3f}–{orm_times[-1]:.3f} 秒（SQL {len(queries)} 条），"
              f"手写 SQL {sql_times[0]:.3f}–{sql_times[-1]:.3f} 秒，比值 最小 {ratios[0]:.2f} "
              f"中位 {statistics.median(ratios):.2f} 最大 {ratios[-1]:.2f}（{args.repeat} 轮，每轮各取 {runs} 次中最快，目标 ≤ 2）")  # fmt: skip
        table.append((label, statistics.median(orm_times), statistics.median(sql_times), ratios[0],
                      statistics.median(ratios)))  # fmt: skip
        if problems:
            failed = True
            print("  数字不一致：", *problems[:10], sep="\n    ")
    print("\n| measure | ORM (median) | hand SQL (median) | ratio min | ratio median |\n|---|---|---|---|---|")
    for label, o, q, low, mid in table:
        print(f"| {label} | {o * 1000:.1f} ms | {q * 1000:.1f} ms | {low:.2f} | {mid:.2f} |")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    total = fig.compute(visible_to(office), FROM, TO)["total"]
    print("2025 年合计：", "，".join(f"{f.label} {total['figures'][f.name]}" for f in fig.FIGURES))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
