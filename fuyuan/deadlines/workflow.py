"""Keeping each case's deadlines equal to what its dates say (SPEC §5: deadlines are computed, never typed), and
each deadline's due obligation equal to the deadline (``keep_obligations``), so the sweep reminds and chases it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fuyuan.cases.choices import Acceptance, CaseKind, Instance
from fuyuan.cases.models import Case
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, PendingEvent, record_events
from fuyuan.core.workdays import WorkCalendar
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.rules import RULES, DueDate, Owner, compute_due, later_by
from fuyuan.obligations import workflow as obligations

# The kind of due obligation a case deadline is: subject the deadline's id, rule the deadline's rule
# (``reminders.DEADLINE_KIND`` says how it is told).
OBLIGATION = "deadlines.deadline"


def keep_obligations(deadlines: Iterable[Deadline]) -> None:
    """Bring the due obligation of each of these deadlines into line with it, the deadline's state saying what is
    left to send: an open one is kept not yet chased (its due date and owner; a new due date is reminded afresh), an
    逾期 one as chased (by the sweep, or, saved after its day, shown by the lists: nobody is messaged about a period
    that had run before it was entered), a met one is settled and a cancelled one cancelled. Every workflow that
    writes deadlines calls this, in its transaction."""
    dues: list[obligations.Due] = []
    met: list[int] = []
    cancelled: list[int] = []
    for d in deadlines:
        if d.state in (DeadlineState.OPEN, DeadlineState.OVERDUE):
            chased = d.state == DeadlineState.OVERDUE
            dues.append(obligations.Due(d.pk, d.due_on, d.rule_id, owner_organisation_id=d.owner_id, chased=chased))
        elif d.state == DeadlineState.MET:
            met.append(d.pk)
        else:
            cancelled.append(d.pk)
    obligations.keep_all(OBLIGATION, dues)
    obligations.settle_all(OBLIGATION, met)
    obligations.cancel_all(OBLIGATION, cancelled)


@dataclass(frozen=True)
class Wanted:
    """A deadline a case's dates call for: the rule, its start, when it was met, and who owns it."""

    rule_id: str
    start: datetime.date
    met_on: datetime.date | None
    owner_id: int
    # Calendar days the period's last day moves later (``rules.later_by``).
    added_days: int = 0


# The case's organisation in each role a derived deadline's rule names as its owner (``rules.Owner``).
CASE_OWNERS = {
    Owner.DEFENDANT: "defendant_id",
    Owner.COURT: "court_id",
    Owner.RECONSIDERATION_BODY: "reconsideration_body_id",
}


def _wanted(
    case: Case, rule_id: str, start: datetime.date, met_on: datetime.date | None, added_days: int = 0
) -> Wanted:
    """The deadline of ``rule_id``, owned by the case's organisation in the role the rule table names."""
    owner_id: int = getattr(case, CASE_OWNERS[RULES[rule_id].owner])
    return Wanted(rule_id, start, met_on, owner_id, added_days)


@dataclass(frozen=True)
class Terms:
    """What a reconsideration case handled in the platform says of the periods its dates call for, beyond its dates
    (``reconsideration.sweep.terms_of_cases``): when the 5-working-day acceptance review runs from — the receipt, or
    the day the 补正 came in (行政复议法 (2023) 第31条第3款: the review starts again), None while a 补正 is awaited or
    after the application lapsed — and which rule bounds the decision (``reconsideration.decision``, ``.simplified``
    under 第62条第2款) and how many days its last day moves later (``decision_added_days``: the days of an extension
    approved under 第62条第1款, and the days the case was suspended, 第39条) — none while the case is suspended
    (``decision_paused``: the period does not run, as the acceptance review does not while a 补正 is awaited) — and the
    last day of a 补正 period the body extended (``correction_due_on``, 第31条第2款: a day it set, which a change of
    the calendar does not move)."""

    acceptance_start: datetime.date | None
    decision_rule: str = "reconsideration.decision"
    decision_added_days: int = 0
    correction_due_on: datetime.date | None = None
    decision_paused: bool = False


# Who knows a case's ``Terms``: a function of case ids (reconsideration cases only) returning the terms of those it
# knows, in one query. Registered at start by the app that keeps such files (``register_terms``), so that this app
# imports none.
TermsSource = Callable[[list[int]], dict[int, Terms]]
TERMS_SOURCES: list[TermsSource] = []


def register_terms(source: TermsSource) -> None:
    if source not in TERMS_SOURCES:
        TERMS_SOURCES.append(source)


def terms_of(case_ids: list[int]) -> dict[int, Terms]:
    found: dict[int, Terms] = {}
    if case_ids:
        for source in TERMS_SOURCES:
            found.update(source(case_ids))
    return found


def wanted_deadlines(case: Case, terms: Terms | None = None) -> Iterator[Wanted]:
    """The deadlines that follow from the case's dates (and, for a handled reconsideration case, its ``terms``), each
    with the date it was met (if it was)."""
    if case.kind == CaseKind.LITIGATION:
        if case.complaint_served_on and case.instance == Instance.FIRST:
            # 行政诉讼法 第67条: in the first instance the defendant answers within 15 days of service.
            yield _wanted(case, "litigation.defence", case.complaint_served_on, case.defence_submitted_on)
        if case.filed_on and case.court_id:
            term = "litigation.first_instance" if case.instance == Instance.FIRST else "litigation.second_instance"
            if case.instance in (Instance.FIRST, Instance.SECOND):
                yield _wanted(case, term, case.filed_on, case.concluded_on)
    elif case.reconsideration_body_id and case.received_on:
        decided = case.accepted_on if case.acceptance != Acceptance.PENDING else None
        # 行政复议法 (2023) 第30条: acceptance is reviewed within 5 working days of receipt (第31条第3款: of the 补正).
        start = case.received_on if terms is None else terms.acceptance_start
        if start is not None:
            yield _wanted(case, "reconsideration.acceptance", start, decided)
        if case.acceptance == Acceptance.ACCEPTED and case.accepted_on:
            # 第62条: the decision within 60 days of acceptance (simplified 30), later by the days of an approved
            # extension (at most 30) and of a suspension (第39条).
            if terms is None:
                yield _wanted(case, "reconsideration.decision", case.accepted_on, case.concluded_on)
            elif not terms.decision_paused:
                rule_id, added = terms.decision_rule, terms.decision_added_days
                yield _wanted(case, rule_id, case.accepted_on, case.concluded_on, added)


# The rules ``wanted_deadlines`` derives from case dates: ``sync_case_deadlines`` manages these rows only. Other
# deadlines of a case (the 败诉问责 steps, ``accountability.losses``) are opened and met by their own workflow.
CASE_DATE_RULES = frozenset(
    {
        "litigation.defence",
        "litigation.first_instance",
        "litigation.second_instance",
        "reconsideration.acceptance",
        "reconsideration.decision",
        "reconsideration.decision_extended",
        "reconsideration.simplified",
    }
)


def state_of(due: datetime.date, met_on: datetime.date | None, today: datetime.date) -> str:
    if met_on is not None:
        return DeadlineState.MET
    return DeadlineState.OVERDUE if today > due else DeadlineState.OPEN


# The columns of a new deadline row, in the order ``sync_case_deadlines`` builds them.
DEADLINE_FIELDS = ("case_id", "rule_id", "start_on", "due_on", "met_on", "owner_id", "calendar_known", "state")
UPDATED_FIELDS = DEADLINE_FIELDS[2:]


# The case fields ``wanted_deadlines`` reads (with the owners of ``CASE_OWNERS``): an edit of none of them changes
# no deadline (``deadlines.apps``: the 备注 or 案情摘要 of a case edited every day).
CASE_FIELDS = (
    "kind", "instance", "court", "reconsideration_body", "defendant", "filed_on", "complaint_served_on",
    "defence_submitted_on", "concluded_on", "received_on", "acceptance", "accepted_on",
)  # fmt: skip


def sync_case_deadlines(
    case_ids: Iterable[int],
    *,
    cases: Iterable[Case] | None = None,
    new: bool = False,
    today: datetime.date | None = None,
    cal: WorkCalendar | None = None,
) -> int:
    """Bring the deadlines of these cases up to date in bulk; returns how many rows were written.

    ``cases`` (the same cases, already in memory) spares reading them again; ``new`` says they were just created
    and have no deadlines yet. A deadline whose start date disappeared is kept as 已撤销, never deleted. New rows
    take the raw bulk path of ``core.bulk``: a ledger import creates one or two deadlines for each of its cases.
    """
    ids = list(case_ids)
    if not ids:
        return 0
    today = today or timezone.localdate()
    cal = cal or work_calendar()
    in_memory = {c.pk: c for c in cases} if cases is not None else {}
    # Many cases share a start date: each (rule, start, added days) is computed once.
    dues: dict[tuple[str, datetime.date, int], DueDate] = {}
    written = 0
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        existing = (
            {}
            if new
            else {
                (d.case_id, d.rule_id): d
                for d in Deadline.objects.filter(case_id__in=chunk, rule_id__in=CASE_DATE_RULES)
            }
        )
        create: list[tuple[Any, ...]] = []
        update: list[Deadline] = []
        seen: set[tuple[int, str]] = set()
        loaded: list[Case] = list(
            [in_memory[pk] for pk in chunk] if in_memory else Case.objects.filter(pk__in=chunk).only(*CASE_FIELDS)
        )
        terms = terms_of([c.pk for c in loaded if c.kind == CaseKind.RECONSIDERATION])
        for case in loaded:
            for w in wanted_deadlines(case, terms.get(case.pk)):
                due = dues.get((w.rule_id, w.start, w.added_days))
                if due is None:
                    due = compute_due(w.rule_id, w.start, cal)
                    due = dues[w.rule_id, w.start, w.added_days] = later_by(due, w.added_days, cal)
                row = (
                    case.pk,
                    w.rule_id,
                    w.start,
                    due.due,
                    w.met_on,
                    w.owner_id,
                    due.calendar_known,
                    state_of(due.due, w.met_on, today),
                )
                old = existing.get((case.pk, w.rule_id))
                if old is None:
                    create.append(row)
                    continue
                seen.add((case.pk, w.rule_id))
                values = dict(zip(UPDATED_FIELDS, row[2:], strict=True))
                if any(getattr(old, f) != v for f, v in values.items()):
                    for f, v in values.items():
                        setattr(old, f, v)
                    update.append(old)
        for key, old in existing.items():
            if key not in seen and old.state != DeadlineState.CANCELLED:
                old.state = DeadlineState.CANCELLED
                update.append(old)
        insert_rows(Deadline, DEADLINE_FIELDS, create)
        Deadline.objects.bulk_update(update, list(UPDATED_FIELDS), batch_size=1000)
        created: list[Deadline] = []
        if create:
            # The raw insert reads no ids back: the new rows are read once, for their obligations.
            created = list(
                Deadline.objects.filter(case_id__in={row[0] for row in create}, rule_id__in=CASE_DATE_RULES)
                .exclude(pk__in=[d.pk for d in existing.values()])
                .only("id", "rule_id", "due_on", "state", "owner_id")
            )
        keep_obligations(created + update)
        written += len(create) + len(update)
    return written


# The rules whose due date a file's ``Terms`` change beyond their start.
DECISION_RULES = frozenset({"reconsideration.decision", "reconsideration.simplified"})
TERMS_RULES = DECISION_RULES | {"reconsideration.correction_reply"}

# How far before a year a period may end and still be moved into it by the holiday end-rule (a 放假 of a week or
# two around New Year at most).
CROSSING_MARGIN = datetime.timedelta(days=31)


def recompute_for_calendar_year(year: int, *, by: User | Actor | None, cal: WorkCalendar | None = None) -> int:
    """A year's 放假安排 was entered, changed or deleted: bring the open deadlines whose period touches that year to
    the calendar as it now is (due date and ``calendar_known``); returns how many moved.

    Each change is written on its case's timeline, as a change of the case's dates would show it: the deadline, its
    old and new due date. A deadline that now lies in the past is left open for the sweep, which marks it overdue
    and tells its owner (``reminders``). A period ending just before the year can be pushed into it by the holiday
    end-rule, so the deadlines due in the last weeks of the year before are looked at too.
    """
    cal = cal or work_calendar()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    candidates = (
        Deadline.objects.filter(state=DeadlineState.OPEN, start_on__lte=last, due_on__gte=first - CROSSING_MARGIN)
        .select_related("case")
        .only("id", "rule_id", "start_on", "due_on", "state", "owner_id", "calendar_known", "case__id", "case__number")
        .order_by("id")
    )
    changed: list[Deadline] = []
    events: list[PendingEvent] = []
    # A handled reconsideration file lengthens its decision period and may set its 补正 period's last day (``Terms``).
    terms = terms_of(list(candidates.filter(rule_id__in=TERMS_RULES).values_list("case_id", flat=True).distinct()))
    for deadline in candidates.iterator(chunk_size=2000):
        term = terms.get(deadline.case_id)
        if term is not None and deadline.rule_id == "reconsideration.correction_reply" and term.correction_due_on:
            continue
        due = compute_due(deadline.rule_id, deadline.start_on, cal)
        if term is not None and deadline.rule_id in DECISION_RULES:
            due = later_by(due, term.decision_added_days, cal)
        if (due.due, due.calendar_known) == (deadline.due_on, deadline.calendar_known):
            continue
        label = deadline.rule.label
        changes: dict[str, list[str]] = {}
        if due.due != deadline.due_on:
            changes[f"{label}届满日"] = [deadline.due_on.isoformat(), due.due.isoformat()]
        if due.calendar_known != deadline.calendar_known:
            basis = ["仅按周末计算", "已按节假日安排计算"]
            changes[f"{label}计算依据"] = basis if due.calendar_known else basis[::-1]
        summary = f"{year}年节假日安排变更，期限重算：{label}届满日 {due.due.isoformat()}"
        events.append(PendingEvent(deadline.case, "deadline_recomputed", summary, changes))
        deadline.due_on, deadline.calendar_known = due.due, due.calendar_known
        changed.append(deadline)
    with transaction.atomic():
        Deadline.objects.bulk_update(changed, ["due_on", "calendar_known"], batch_size=1000)
        keep_obligations(changed)
        record_events(events, by=by)
    return len(changed)
