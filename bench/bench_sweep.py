"""Sweep speed: ``run_sweep``'s deadline and hearing part against one hand-written SQL selecting the due rows.

Case deadlines are due obligations (``obligations``): the deadline part is the one obligation step for the kind
``deadlines.deadline`` (``remind_deadlines``), which claims and tells of them a chunk at a time.

    .venv/bin/python bench/bench_sweep.py [--deadlines 100000] [--hearings 10000] [--reset]

Fills the database (ORM ``bulk_create``) with ``--deadlines`` open deadlines and their obligations, one per case (30 % litigation, 70 %
reconsideration, over 8 counties and 州本级 with about 100 agencies, their liaisons and the 依法治办), due from the
day before "now" to half a year on, and ``--hearings`` upcoming hearings over the next 60 days, in the state a
sweep every minute leaves them in: earlier days' reminders sent, 30 % still without a designated head. "Now" is
2026-06-10 10:00, after the reminder hour, so the day's work is due: yesterday's deadlines become overdue, the
next days' get their 临期 warning, the hearings of T-7 and T-1 their reminders, the undesignated of T-1 escalate.

It times (best of three where the run can be repeated)

- the hand-written SQL: one statement selecting the due rows (the deadlines of the open obligations whose next check
  has come, hearings due for a T-7 or T-1 reminder or an escalation);
- the working sweep: ``remind_deadlines`` + ``sweep_hearings`` at "now" (once: it changes what it finds),
  which claims, marks, writes the events and puts every message in the outbox;
- the write floor: the same SQL, then what the working sweep wrote written again in bulk, nothing computed;
- the steady sweep: the same a minute later, when everything is done — what the worker costs every minute;
- sending (``send_all_due``, at most ``SEND_LIMIT`` messages per sweep), reported on its own and not in a ratio,

and prints the times and the ratios: the steady sweep to the SQL and the working sweep to the write floor (goal: at
most 3 × each; see ``bench/README.md``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import time
from typing import Any

from _setup import best_of, start_django

TODAY = datetime.date(2026, 6, 10)
COUNTIES = ["一区", "二县", "三县", "四县", "五县", "六县", "七县", "八市"]
AGENCIES = ["人民政府", "自然资源局", "公安局", "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局",
            "生态环境局", "林业局", "交通运输局", "教育局", "卫生健康局"]  # fmt: skip
RULES = {"litigation": ["litigation.defence", "litigation.first_instance"],
         "reconsideration": ["reconsideration.acceptance", "reconsideration.decision"]}  # fmt: skip
BATCH = 5000


class NullGateway:
    """An SMS gateway that accepts everything: the benchmark times Fuyuan, not a network."""

    def send(self, phone: str, text: str) -> None:
        pass


def now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10)))


def build_places() -> list[dict[str, Any]]:
    """Regions, organisations and users: per county a court, a 司法局, 11 agencies with two liaisons each (email and
    mobile), a court liaison, a reconsideration clerk, the 依法治办 (its head and a staff member) and the county head."""
    from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, Role, User

    prefecture = Region.objects.create(name="基准州", level=RegionLevel.PREFECTURE)
    regions = [prefecture] + [
        Region.objects.create(name=name, level=RegionLevel.COUNTY, parent=prefecture) for name in COUNTIES
    ]
    places, users = [], []
    for region in regions:
        court = Organisation.objects.create(name=f"{region.name}法院", kind=OrganisationKind.COURT, region=region)
        bureau = Organisation.objects.create(
            name=f"{region.name}司法局", kind=OrganisationKind.JUSTICE_BUREAU, region=region
        )
        agencies = Organisation.objects.bulk_create(
            [Organisation(name=f"{region.name}{a}", region=region) for a in AGENCIES]
        )

        for i, agency in enumerate(agencies):
            users += [user(f"{region.pk}-a{i}-{n}", Role.AGENCY_LIAISON, organisation=agency) for n in (1, 2)]
        users += [
            user(f"{region.pk}-court", Role.COURT_LIAISON, organisation=court),
            user(f"{region.pk}-recon", Role.RECONSIDERATION_BODY, organisation=bureau),
            user(f"{region.pk}-rol-head", Role.RULE_OF_LAW_OFFICE, region=region, is_head=True),
            user(f"{region.pk}-rol", Role.RULE_OF_LAW_OFFICE, region=region),
            user(f"{region.pk}-leader", Role.LEADER, region=region, is_head=True),
        ]
        places.append(
            {"county": region.pk, "court": court.pk, "bureau": bureau.pk, "agencies": [a.pk for a in agencies]}
        )
    User.objects.bulk_create(users)
    clerks = dict(User.objects.filter(role=Role.COURT_LIAISON).values_list("organisation_id", "pk"))
    for place in places:
        place["clerk"] = clerks[place["court"]]
    return places


def user(username: str, role: str, **kw: Any) -> Any:
    """A user reachable on every channel (no usable password: nobody logs in to a benchmark)."""
    from fuyuan.core.models import User

    return User(username=username, full_name=username, role=role, email=f"{username}@example.com",
                mobile="13800000000", password="!", **kw)  # fmt: skip


def fill(deadlines: int, hearings: int) -> None:
    """Cases, one open deadline each, and hearings of litigation cases, in ``BATCH``-row statements."""
    from django.db import connection, transaction

    from fuyuan.cases.models import Case
    from fuyuan.deadlines.models import Deadline
    from fuyuan.deadlines.workflow import keep_obligations
    from fuyuan.hearings.models import Hearing, HearingState

    rng = random.Random(1)
    places = build_places()
    started = TODAY - datetime.timedelta(days=30)
    hearing_days = 0
    with transaction.atomic():
        for first in range(0, deadlines, BATCH):
            cases, rows, sessions = [], [], []
            for n in range(first, min(first + BATCH, deadlines)):
                place = places[n % len(places)]
                agency = place["agencies"][rng.randrange(len(place["agencies"]))]
                litigation = rng.random() < 0.3
                kind = "litigation" if litigation else "reconsideration"
                cases.append(
                    Case(kind=kind, number=f"B{n}", instance="first" if litigation else "",
                         court_id=place["court"] if litigation else None,
                         reconsideration_body_id=None if litigation else place["bureau"], defendant_id=agency,
                         region_id=place["county"], county_id=place["county"],
                         filed_on=started if litigation else None, received_on=None if litigation else started)
                )  # fmt: skip
            Case.objects.bulk_create(cases, batch_size=BATCH)
            for case in cases:
                rule = rng.choice(RULES[case.kind])
                owner = (
                    case.defendant_id
                    if rule in ("litigation.defence",)
                    else (case.court_id or case.reconsideration_body_id)
                )
                # Due from yesterday (today's sweep finds those overdue) to half a year on, evenly.
                due = TODAY + datetime.timedelta(days=rng.randint(-1, 180))
                rows.append(Deadline(case=case, rule_id=rule, start_on=started, due_on=due, owner_id=owner))
                if case.kind == "litigation" and hearing_days < hearings:
                    hearing_days += 1
                    sessions.append(hearing(case, rng, places))
            Deadline.objects.bulk_create(rows, batch_size=BATCH)
            keep_obligations(rows)
            Hearing.objects.bulk_create(sessions, batch_size=BATCH)
        assert Hearing.objects.filter(state__in=[HearingState.NOTIFIED, HearingState.DESIGNATED]).count() == hearings, (
            "--hearings 超过了诉讼案件数（约为期限数的 30%）"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def hearing(case: Any, rng: random.Random, places: list[dict[str, Any]]) -> Any:
    """An upcoming hearing in the next 60 days, in the state the sweeps of earlier days left it."""
    from django.utils import timezone

    from fuyuan.hearings.models import Hearing, HearingState

    held_on = TODAY + datetime.timedelta(days=rng.randint(1, 60))
    clerk = next(p["clerk"] for p in places if p["court"] == case.court_id)
    designated = rng.random() < 0.7
    earlier = timezone.make_aware(datetime.datetime.combine(held_on - datetime.timedelta(days=7), datetime.time(9)))
    return Hearing(
        case=case, court_id=case.court_id, agency_id=case.defendant_id, county_id=case.county_id, held_on=held_on,
        state=HearingState.DESIGNATED if designated else HearingState.NOTIFIED, registered_by_id=clerk,
        # The T-7 reminder of a hearing less than 7 days away went out on an earlier day.
        reminded_t7_at=earlier if held_on < TODAY + datetime.timedelta(days=7) else None,
    )  # fmt: skip


def due_rows_sql() -> int:
    """The rows a sweep at "now" must act on, in ONE statement over the ``obligation_due`` and (state, held_on)
    indexes: the deadlines whose obligation's next check has come, and the hearings."""
    from django.db import connection

    from fuyuan.hearings.workflow import _due_days

    t7_first, t7_last = _due_days(now(), 7)
    t1_first, t1_last = _due_days(now(), 1)
    sql = """
        SELECT 'deadline', d.id, d.case_id, d.owner_id, d.rule_id, d.due_on FROM obligations_obligation o
          JOIN deadlines_deadline d ON d.id = o.subject_id
         WHERE o.state = 'open' AND o.next_check_at <= %(now)s AND o.kind = 'deadlines.deadline'
        UNION ALL
        SELECT 'hearing', h.id, h.case_id, h.agency_id, h.state, h.held_on FROM hearings_hearing h
         WHERE h.state IN ('notified', 'escalated', 'designated', 'excused')
           AND ((h.reminded_t7_at IS NULL AND h.held_on BETWEEN %(t7_first)s AND %(t7_last)s)
             OR (h.reminded_t1_at IS NULL AND h.held_on BETWEEN %(t1_first)s AND %(t1_last)s)
             OR (h.state = 'notified' AND h.held_on BETWEEN %(t1_first)s AND %(t1_last)s))
    """
    params = {
        "now": now(),
        "t7_first": t7_first, "t7_last": t7_last, "t1_first": t1_first, "t1_last": t1_last,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


class Undo(Exception):
    """Raised to roll back what a timing wrote."""


def write_floor(at: datetime.datetime) -> float:
    """The least any sweep must do for this day: the due rows selected (the SQL above), then what the working sweep
    wrote written again in bulk with nothing computed — its outbox rows and events inserted by ``COPY`` or
    ``executemany``, the claimed deadlines, obligations (warned, chased) and hearings marked by one ``UPDATE`` each.
    Timed inside a transaction
    that first removes the working sweep's rows (not timed) and is rolled back afterwards."""
    from django.db import transaction
    from django.db.models import Q

    from fuyuan.core.bulk import insert_rows
    from fuyuan.core.models import Event
    from fuyuan.deadlines.models import Deadline, DeadlineState
    from fuyuan.hearings.models import Hearing
    from fuyuan.notifications.models import Notification
    from fuyuan.notifications.workflow import OUTBOX_FIELDS
    from fuyuan.obligations.models import Obligation

    event_fields = [f.attname for f in Event._meta.concrete_fields if not f.primary_key]
    outbox = list(Notification.objects.values_list(*OUTBOX_FIELDS))
    events = list(Event.objects.filter(at__gte=at - datetime.timedelta(seconds=1)).values_list(*event_fields))
    overdue = list(Deadline.objects.filter(state=DeadlineState.OVERDUE).values_list("id", flat=True))
    warned = list(Obligation.objects.filter(warned_at=at).values_list("id", flat=True))
    chased = list(Obligation.objects.filter(chased_at=at).values_list("id", flat=True))
    touched = Q(reminded_t7_at=at) | Q(reminded_t1_at=at) | Q(escalated_at=at)
    hearings = list(Hearing.objects.filter(touched).values_list("id", flat=True))
    taken = 0.0
    try:
        with transaction.atomic():
            Notification.objects.all().delete()
            Event.objects.filter(at__gte=at - datetime.timedelta(seconds=1)).delete()
            started = time.perf_counter()
            due_rows_sql()
            insert_rows(Notification, OUTBOX_FIELDS, outbox)
            insert_rows(Event, event_fields, events)
            Deadline.objects.filter(pk__in=overdue).update(state=DeadlineState.OVERDUE)
            Obligation.objects.filter(pk__in=warned).update(warned_at=at)
            Obligation.objects.filter(pk__in=chased).update(chased_at=at)
            Hearing.objects.filter(pk__in=hearings).update(reminded_t1_at=at)
            taken = time.perf_counter() - started
            raise Undo
    except Undo:
        return taken


def sweep(at: datetime.datetime) -> tuple[Any, Any]:
    from fuyuan.deadlines.reminders import remind_deadlines
    from fuyuan.hearings.workflow import sweep_hearings

    return remind_deadlines(at), sweep_hearings(at)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=100_000, help="open deadlines (default 100000)")
    parser.add_argument("--hearings", type=int, default=10_000, help="upcoming hearings (default 10000)")
    parser.add_argument("--reset", action="store_true", help="empty the DATABASE_URL database first (flush)")
    args = parser.parse_args()

    os.environ.setdefault("FUYUAN_DEBUG", "0")  # DEBUG keeps every query's text: not what a deployment times
    database = start_django(reset=args.reset)
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from fuyuan.core.models import Event
    from fuyuan.deadlines.reminders import remind_deadlines
    from fuyuan.hearings.workflow import sweep_hearings
    from fuyuan.notifications.models import Notification
    from fuyuan.notifications.sweep import SEND_LIMIT, send_all_due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FUYUAN_SMS_BACKEND = f"{__name__}.NullGateway"
    print(f"数据库：{database}")
    started = time.perf_counter()
    fill(args.deadlines, args.hearings)
    print(f"写入 {args.deadlines} 项未到期期限、{args.hearings} 件待开庭：{time.perf_counter() - started:.1f} 秒")

    # A running worker has its modules loaded and has swept before: the same sweep once, rolled back, untimed.
    try:
        with transaction.atomic():
            sweep(now())
            raise Undo
    except Undo:
        pass
    due = due_rows_sql()
    sql_time = best_of(3, due_rows_sql)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        deadlines, hearings = sweep(now())
    working = time.perf_counter() - started
    floor = write_floor(now())
    written = Notification.objects.count()
    events = Event.objects.filter(actor_label="系统定时任务").count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after the working sweep's inserts
    steady = best_of(3, lambda: sweep(now() + datetime.timedelta(minutes=1)))
    steady_deadlines = best_of(3, lambda: remind_deadlines(now() + datetime.timedelta(minutes=1)))
    steady_hearings = best_of(3, lambda: sweep_hearings(now() + datetime.timedelta(minutes=1)))
    with CaptureQueriesContext(connection) as steady_queries:
        again = sweep(now() + datetime.timedelta(minutes=2))
    assert (again[0].overdue, again[0].warned, again[1].reminded_t7, again[1].reminded_t1) == (0, 0, 0, 0)
    started = time.perf_counter()
    sent = send_all_due(now())
    sending = time.perf_counter() - started

    print(f"手写单条 SQL（选出到期的 {due} 行）：{sql_time * 1000:.1f} 毫秒")
    print(f"工作中的 sweep：{working * 1000:.1f} 毫秒，执行 SQL {len(queries)} 条——{deadlines.summary()}；"
          f"{hearings.summary()}；写入通知 {written} 条、事件 {events} 条")  # fmt: skip
    print(f"空闲的 sweep（一分钟后再跑，无事可做）：{steady * 1000:.1f} 毫秒，执行 SQL {len(steady_queries)} 条"
          f"（其中期限 {steady_deadlines * 1000:.1f} 毫秒，开庭 {steady_hearings * 1000:.1f} 毫秒）")  # fmt: skip
    print(
        f"下限（同一条 SQL，再把工作中的 sweep 写下的通知和事件批量写入、标记所选期限和开庭）：{floor * 1000:.1f} 毫秒"
    )
    print(f"比值 工作中的 sweep / SQL = {working / sql_time:.1f}")
    print(f"比值 工作中的 sweep / 下限 = {working / floor:.1f}（目标 ≤ 3）")
    print(f"比值 空闲的 sweep / SQL = {steady / sql_time:.1f}（目标 ≤ 3）")
    print(f"发送（不计入比值，每次 sweep 至多 {SEND_LIMIT} 条）：{sent.summary()}，{sending:.2f} 秒，"
          f"{(sent.sent + sent.retrying + sent.failed) / sending:.0f} 条/秒")  # fmt: skip


if __name__ == "__main__":
    main()
