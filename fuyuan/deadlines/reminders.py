"""Case deadlines as due obligations (``obligations``): the 临期 reminder and the 逾期 marking of SPEC §5 (each deadline
has a state and an owner), told by the one sweep step for due things (``obligations.workflow.sweep``).

- 临期提醒: an open deadline is told once to the users of its owner organisation, in-app and by email and SMS where
  they have an address, from ``FUYUAN_DEADLINE_WARN_DAYS`` days (a local setting, default 3) before its due date.
- 逾期: a period includes its last day (民事诉讼法 第85条, applied by 行政诉讼法 第101条; 行政复议法 (2023) 第88条), so an
  open deadline is overdue from the day after its due date. The sweep marks it, writes the Event on the case's
  timeline and tells the owner's users and the 依法治办 of the case's county once.

``deadlines.workflow`` keeps each deadline's obligation current (``keep_obligations``); the sweep claims the due
ones a chunk at a time (``CHUNK``) and hands them to ``tell_of_deadlines``, which reads their deadlines and people
in three queries and writes the chunk's marks, events and messages in bulk. Every message is keyed in the outbox
(``deadline:{id}:due_soon``, ``deadline:{id}:overdue``, the new due date appended once it has moved), whose
constraints keep one row. Emails and SMS are sent from ``FUYUAN_REMINDER_HOUR`` on, not in the night; the in-app
message is there at once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.core.models import Role, User
from fuyuan.core.timeline import Actor, PendingEvent, record_events
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.workflow import OBLIGATION
from fuyuan.notifications.workflow import OutboxRow, personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind, Outcomes

SYSTEM = Actor(label="系统定时任务")
# Deadlines the sweep claims and tells of per transaction: large enough for few statements, small enough for short
# row locks.
CHUNK = 2000
LOADED = ("id", "rule_id", "due_on", "state", "calendar_known", "case_id", "owner_id", "case__id", "case__number",
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


def deadline_sweep(report: obligations.ObligationSweep) -> DeadlineSweep:
    """The case deadlines' part of what the obligation step did (the sweep's 期限 summary)."""
    warned, overdue, failed = report.of(OBLIGATION)
    return DeadlineSweep(warned=warned, overdue=overdue, failed=failed)


def remind_deadlines(now: datetime.datetime | None = None) -> DeadlineSweep:
    """The sweep's step for case deadlines alone: mark those that have passed overdue and tell of them, and warn of
    those about to pass (``run_sweep`` does this with every other kind of due obligation)."""
    return deadline_sweep(obligations.sweep(now, kinds=[OBLIGATION]))


def send_from(now: datetime.datetime) -> datetime.datetime:
    """When the sweep's emails and SMS may go out: now, or today's ``FUYUAN_REMINDER_HOUR`` if that is later."""
    moment = datetime.datetime.combine(timezone.localdate(now), datetime.time(settings.FUYUAN_REMINDER_HOUR))
    return max(now, timezone.make_aware(moment))


def key(deadline_id: int, occasion: str) -> str:
    return f"deadline:{deadline_id}:{occasion}"


def occasion_of(name: str, deadline: Deadline, ob: Obligation) -> str:
    """``due_soon`` or ``overdue``; for a deadline whose due date has moved since it was first computed (a new
    放假安排), with the date it is now about, so its messages are not taken for those of the old date."""
    return name if ob.date_changes == 0 else f"{name}:{deadline.due_on.isoformat()}"


def tell_of_deadlines(due: list[tuple[Obligation, str]], now: datetime.datetime) -> Outcomes:
    """A chunk of due deadline obligations: the overdue ones marked 逾期 with their event and messages, the others
    warned of. Deadlines and people are read in three queries for the chunk; a deadline no longer open (met or
    cancelled meanwhile) is no longer due; one whose messages cannot be worded fails alone and writes nothing."""
    today = now.date()
    outcomes = Outcomes()
    ids = [ob.subject_id for ob, _ in due]
    deadlines: dict[int, Deadline] = {}
    for i in range(0, len(ids), CHUNK):
        deadlines.update(
            Deadline.objects.filter(pk__in=ids[i : i + CHUNK]).select_related("case", "owner").only(*LOADED).in_bulk()
        )
    live = []
    for ob, what in due:
        d = deadlines.get(ob.subject_id)
        if d is None or d.state != DeadlineState.OPEN:
            outcomes.done[ob.pk] = False
        else:
            live.append((ob, what, d))
    chasing = any(what == obligations.CHASE for _, what, _ in live)
    people = _People([d for _, _, d in live], with_offices=chasing)
    events: list[PendingEvent] = []
    messages: list[OutboxRow] = []
    overdue: list[int] = []
    for ob, what, d in live:
        try:
            if what == obligations.CHASE:
                event, rows = _overdue(d, people, today, now, occasion_of("overdue", d, ob))
                events.append(event)
                overdue.append(d.pk)
            else:
                rows = _due_soon(d, people, today, now, occasion_of("due_soon", d, ob))
        except Exception as error:
            outcomes.failed[ob.pk] = error
            continue
        messages += rows
        outcomes.done[ob.pk] = True
    if overdue:
        Deadline.objects.filter(pk__in=overdue, state=DeadlineState.OPEN).update(state=DeadlineState.OVERDUE)
        record_events(events, by=SYSTEM)
    put(messages)
    return outcomes


def _tell_of_one(what: str, ob: Obligation, now: datetime.datetime) -> bool:
    """One deadline's reminder or chase alone (the sweep's way when a chunk's bulk writes failed)."""
    outcomes = tell_of_deadlines([(ob, what)], now)
    if ob.pk in outcomes.failed:
        raise outcomes.failed[ob.pk]
    return outcomes.done[ob.pk]


def remind_deadline(ob: Obligation, now: datetime.datetime) -> bool:
    return _tell_of_one(obligations.REMIND, ob, now)


def chase_deadline(ob: Obligation, now: datetime.datetime) -> bool:
    return _tell_of_one(obligations.CHASE, ob, now)


def _overdue(
    d: Deadline, people: _People, today: datetime.date, now: datetime.datetime, occasion: str
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
        d, people.staff[d.owner_id] + people.office[d.case.county_id], occasion, "逾期提醒", body, now
    )


def _due_soon(
    d: Deadline, people: _People, today: datetime.date, now: datetime.datetime, occasion: str
) -> list[OutboxRow]:
    left = (d.due_on - today).days
    when = "今日届满" if left == 0 else f"将于 {d.due_on.isoformat()} 届满（还剩 {left} 日）"
    body = f"{d.case.number} 的“{d.rule.label}”{when}。责任单位：{d.owner.name}。依据：{d.rule.source}。"
    body += _calendar_warning(d)
    return _messages(d, people.staff[d.owner_id], occasion, "临期提醒", body, now)


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


# The kind of due obligation a case deadline is (``obligations``; registered by ``DeadlinesConfig``).
DEADLINE_KIND = Kind(
    name=OBLIGATION,
    label="期限",
    remind=remind_deadline,
    chase=chase_deadline,
    batch=tell_of_deadlines,
    chunk=lambda: CHUNK,
)
