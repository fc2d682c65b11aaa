"""The deadline part of the sweep: 临期 reminders and 逾期 marking (SPEC §5: each deadline has a state and an owner).

- 临期提醒: an open deadline due within ``FUYUAN_DEADLINE_WARN_DAYS`` days (a local setting, default 3) is told
  once to the users of its owner organisation, in-app and by email and SMS where they have an address.
- 逾期: a period includes its last day (民事诉讼法 第85条, applied by 行政诉讼法 第101条; 行政复议法 (2023) 第88条), so an
  open deadline is overdue from the day after its due date. The sweep marks it, writes the Event on the case's
  timeline and tells the owner's users and the 依法治办 of the case's county once.

Both are safe to run again and to run twice at once: a 逾期 deadline is claimed under
``select_for_update(skip_locked=True)`` and leaves the ``open`` state in the same transaction, and every message is
keyed in the outbox (``deadline:{id}:due_soon``, ``deadline:{id}:overdue``), whose constraints keep one row.
Emails and SMS are sent from ``FUYUAN_REMINDER_HOUR`` on, not in the night; the in-app message is there at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.core.models import Role, User
from fuyuan.core.timeline import Actor, PendingEvent, record_events
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.notifications.isolation import Rows
from fuyuan.notifications.workflow import OutboxRow, personal_rows, put

SYSTEM = Actor(label="系统定时任务")
# Deadlines handled per transaction: large enough for few statements, small enough for short row locks.
CHUNK = 2000
LOADED = ("id", "rule_id", "due_on", "calendar_known", "case_id", "owner_id", "case__id", "case__number",
          "case__county_id", "owner__id", "owner__name")  # fmt: skip
# Said in every message about a deadline computed on the weekend fallback (issue 3: "with a warning wherever a
# deadline depends on it"), as the 临期/逾期 page's 仅按周末 badge says it.
UNKNOWN_CALENDAR = "注意：所涉年份节假日安排尚未录入，届满日仅按周末计算，请核对。"


@dataclass
class DeadlineSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"临期提醒 {self.warned} 项期限，新标记逾期 {self.overdue} 项期限"


def remind_deadlines(now: datetime.datetime | None = None) -> DeadlineSweep:
    """Mark the deadlines that have passed as overdue and tell of them, then warn of those about to pass."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    report = DeadlineSweep()
    if not anything_due(today):
        return report
    rows = Rows("deadlines.deadline", now)
    report.overdue = _mark_overdue(today, now, rows)
    report.warned = _warn_due_soon(today, now, rows)
    report.failed = rows.failed
    return report


def send_from(now: datetime.datetime) -> datetime.datetime:
    """When the sweep's emails and SMS may go out: now, or today's ``FUYUAN_REMINDER_HOUR`` if that is later."""
    moment = datetime.datetime.combine(timezone.localdate(now), datetime.time(settings.FUYUAN_REMINDER_HOUR))
    return max(now, timezone.make_aware(moment))


def key(deadline_id: int, occasion: str) -> str:
    return f"deadline:{deadline_id}:{occasion}"


def _mark_overdue(today: datetime.date, now: datetime.datetime, rows: Rows) -> int:
    """Claim open deadlines past their day, a chunk per transaction, until none is left unclaimed.

    A row another sweep holds is skipped (it is that sweep's); once that sweep commits, the row is no longer
    open, so neither sweep writes its event or message twice, and none is missed. A deadline whose messages cannot
    be written is left open and held back (``notifications.isolation``); the rest of the chunk goes on.
    """
    marked = 0
    while True:
        with transaction.atomic():
            claimed = list(
                rows.exclude(Deadline.objects.select_for_update(skip_locked=True, of=("self",)))
                .filter(state=DeadlineState.OPEN, due_on__lt=today)
                .select_related("case", "owner")
                .only(*LOADED)
                .order_by("due_on", "id")[:CHUNK]
            )
            if not claimed:
                return marked
            people = _People(claimed, with_offices=True)
            events, messages, done = [], [], []
            for d in claimed:
                made = rows.guard(d.pk, partial(_overdue, d, people, today, now))
                if made is not None:
                    events.append(made[0])
                    messages += made[1]
                    done.append(d.pk)
            Deadline.objects.filter(pk__in=done).update(state=DeadlineState.OVERDUE)
            record_events(events, by=SYSTEM)
            put(messages)
        marked += len(done)
        if len(claimed) < CHUNK:
            return marked


def _overdue(
    d: Deadline, people: _People, today: datetime.date, now: datetime.datetime
) -> tuple[PendingEvent, list[OutboxRow]]:
    label, due = d.rule.label, d.due_on.isoformat()
    event = PendingEvent(
        d.case,
        "deadline_overdue",
        f"期限逾期：{label}（届满日 {due}）",
        {label: [DeadlineState.OPEN.label, DeadlineState.OVERDUE.label]},
    )
    late = (today - d.due_on).days
    body = (
        f"{d.case.number} 的“{label}”已于 {due} 届满，尚未完成，已逾期 {late} 日。"
        f"责任单位：{d.owner.name}。依据：{d.rule.source}。"
    ) + _calendar_warning(d)
    return event, _messages(
        d, people.staff[d.owner_id] + people.office[d.case.county_id], "overdue", "逾期提醒", body, now
    )


def _warn_due_soon(today: datetime.date, now: datetime.datetime, rows: Rows) -> int:
    """Warn of the open deadlines due from today to ``FUYUAN_DEADLINE_WARN_DAYS`` days on, not yet warned of.

    Claimed like the overdue ones: under ``select_for_update(skip_locked=True)`` a chunk at a time, its
    ``warned_at`` set in the same transaction, so two sweeps at once warn of each deadline once.
    """
    until = today + datetime.timedelta(days=settings.FUYUAN_DEADLINE_WARN_DAYS)
    warned = 0
    while True:
        with transaction.atomic():
            claimed = list(
                rows.exclude(Deadline.objects.select_for_update(skip_locked=True, of=("self",)))
                .filter(state=DeadlineState.OPEN, due_on__range=(today, until), warned_at__isnull=True)
                .select_related("case", "owner")
                .only(*LOADED)
                .order_by("due_on", "id")[:CHUNK]
            )
            if not claimed:
                return warned
            people = _People(claimed, with_offices=False)
            messages, done = [], []
            for d in claimed:
                made = rows.guard(d.pk, partial(_due_soon, d, people, today, now))
                if made is not None:
                    messages += made
                    done.append(d.pk)
            Deadline.objects.filter(pk__in=done).update(warned_at=now)
            put(messages)
        warned += len(done)
        if len(claimed) < CHUNK:
            return warned


def _due_soon(d: Deadline, people: _People, today: datetime.date, now: datetime.datetime) -> list[OutboxRow]:
    left = (d.due_on - today).days
    when = "今日届满" if left == 0 else f"将于 {d.due_on.isoformat()} 届满（还剩 {left} 日）"
    body = f"{d.case.number} 的“{d.rule.label}”{when}。责任单位：{d.owner.name}。依据：{d.rule.source}。"
    body += _calendar_warning(d)
    return _messages(d, people.staff[d.owner_id], "due_soon", "临期提醒", body, now)


def anything_due(today: datetime.date) -> bool:
    """Is any deadline to be marked overdue or warned of? (A sweep every minute is idle almost always; this keeps
    the idle run to two index probes.) Two queries, not one with OR: given the OR, PostgreSQL's planner scans the
    whole table looking for a first row that, on an idle run, is not there (``bench/bench_sweep.py``)."""
    until = today + datetime.timedelta(days=settings.FUYUAN_DEADLINE_WARN_DAYS)
    open_deadlines = Deadline.objects.filter(state=DeadlineState.OPEN)
    return (
        open_deadlines.filter(due_on__lt=today).exists()
        or open_deadlines.filter(warned_at__isnull=True, due_on__range=(today, until)).exists()
    )


def _calendar_warning(deadline: Deadline) -> str:
    return "" if deadline.calendar_known else UNKNOWN_CALENDAR


def _messages(
    deadline: Deadline, users: list[User], occasion: str, label: str, body: str, now: datetime.datetime
) -> list[OutboxRow]:
    unique = list({u.pk: u for u in users}.values())
    rows = personal_rows(
        unique,
        subject=f"【{label}】{deadline.case.number} {deadline.rule.label}",
        body=body,
        link=reverse("cases:detail", args=[deadline.case_id]),
        dedup_key=key(deadline.pk, occasion),
        now=now,
    )
    moment = send_from(now)
    for row in rows:
        row.next_attempt_at = moment
    return rows


class _People:
    """The users a batch of deadlines concerns, read in two queries however large the batch."""

    def __init__(self, deadlines: Iterable[Deadline], *, with_offices: bool) -> None:
        deadlines = list(deadlines)
        active = User.objects.filter(is_active=True)
        self.staff: dict[int, list[User]] = defaultdict(list)
        self.office: dict[int, list[User]] = defaultdict(list)
        for user in active.filter(organisation_id__in={d.owner_id for d in deadlines}):
            self.staff[user.organisation_id].append(user)  # type: ignore[index]
        if not with_offices:
            return
        counties = {d.case.county_id for d in deadlines}
        offices = active.filter(
            Q(region_id__in=counties) | Q(region__isnull=True, organisation__region_id__in=counties),
            role=Role.RULE_OF_LAW_OFFICE,
        ).select_related("organisation")
        for user in offices:
            self.office[user.region_id or user.organisation.region_id].append(user)  # type: ignore[union-attr]
