"""Keeping due obligations current, and the one sweep step that reminds and chases them.

A domain workflow calls, by name and in its own transaction: ``keep`` when something falls due on someone (or its
date or owner changes, or it is reopened), ``settle`` when it is done, ``cancel`` when it no longer applies.

``sweep`` selects the open obligations whose ``next_check_at`` has come (one range on the ``obligation_due``
index), claims each with a conditional UPDATE on the ``next_check_at`` it read and acts only if its own UPDATE
changed the row (two sweeps at once never send the same thing: the Healthchecks ``sendalerts`` shape), then
reminds it (临期, once, from its warn day to its due date) or chases it (逾期, once, from the day after the due date:
a period includes its last day) through its kind's handler. Each row is handled alone: one that raises is rolled
back, logged, and its next check moves forward (``notifications.isolation.RETRY_AFTER``), while the others go on.

A kind with a ``batch`` (``registry``) is swept a chunk at a time instead: the chunk is claimed in one
``SELECT … FOR UPDATE SKIP LOCKED`` (a second sweep takes the next rows, not these) and one conditional UPDATE (on
SQLite, which has no row locks, a chunk of which another sweep took a row is handled row by row as above), handed to
the kind whole, and its outcome written back in a few grouped UPDATEs: a day's hundreds of case deadlines cost a
dozen statements, not a dozen each (``bench/bench_sweep.py``).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Organisation, User
from fuyuan.notifications.isolation import describe, logger, retry_at
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.obligations.registry import KINDS, Kind, Outcomes, kind_of

# Obligations claimed per query, and at most per sweep (the rest wait for the next sweep a minute later).
BATCH = 2000
LIMIT = 5000

REMIND, CHASE = "remind", "chase"


def warn_on(due_on: datetime.date, days: int | None = None) -> datetime.date:
    """The day the 临期 reminder is due: ``FUYUAN_DEADLINE_WARN_DAYS`` days (a local setting) before the due date."""
    return due_on - datetime.timedelta(days=settings.FUYUAN_DEADLINE_WARN_DAYS if days is None else days)


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_check(ob: Obligation) -> datetime.datetime | None:
    """When the sweep must look at ``ob`` next: its warn day if not yet reminded, else the day after its due date if
    not yet chased, else never (until ``keep`` changes it)."""
    if ob.state != ObligationState.OPEN or ob.chased_at is not None:
        return None
    if ob.warned_at is None and ob.warn_on is not None and ob.warn_on <= ob.due_on:
        return start_of(ob.warn_on)
    return start_of(ob.due_on + datetime.timedelta(days=1))


def occasion(ob: Obligation, today: datetime.date) -> str | None:
    """What is due for ``ob`` today: the chase once its date has passed (the reminder is then skipped: it would
    come too late), the reminder from its warn day, or nothing."""
    if today > ob.due_on:
        return CHASE if ob.chased_at is None else None
    if ob.warn_on is not None and today >= ob.warn_on and ob.warned_at is None:
        return REMIND
    return None


# ---------------------------------------------------------------------------------------------------------------
# What the workflows call


@dataclass(frozen=True)
class Due:
    """One subject's obligation as its workflow wants it (``keep_all``); the fields are those of ``keep``.

    ``chased``: None keeps what was sent, as ``keep`` does. True: the domain has dealt with the date's passing itself
    (a case deadline saved after its day is 逾期 at once, shown by the lists): it is not chased. False: the domain has
    it open again as not yet chased (a deadline back from 逾期): it is chased when its date has passed."""

    subject_id: int
    due_on: datetime.date
    rule_id: str = ""
    warn: datetime.date | bool | None = True
    owner_organisation_id: int | None = None
    owner_user_id: int | None = None
    chased: bool | None = None


@transaction.atomic
def keep(
    kind: str,
    subject_id: int,
    *,
    due_on: datetime.date,
    rule_id: str = "",
    warn: datetime.date | bool | None = True,
    owner_organisation: Organisation | int | None = None,
    owner_user: User | int | None = None,
) -> Obligation:
    """Open (or reopen) the obligation of ``subject_id`` of ``kind`` under ``rule_id``, due on ``due_on``.

    ``warn``: True for the usual 临期 day (``warn_on``), a date for another, False for no reminder. An obligation
    already there keeps its reminded and chased state while its due date stays (a returned report is chased under
    the same date, and nobody is told twice); a new due date starts both afresh. Kind must be registered."""
    kind_of(kind)
    org_id = owner_organisation.pk if isinstance(owner_organisation, Organisation) else owner_organisation
    user_id = owner_user.pk if isinstance(owner_user, User) else owner_user
    ob = Obligation.objects.select_for_update().filter(kind=kind, subject_id=subject_id, rule_id=rule_id).first()
    if ob is None:
        ob = Obligation(kind=kind, subject_id=subject_id, rule_id=rule_id, due_on=due_on)
    _apply(ob, Due(subject_id, due_on, rule_id, warn, org_id, user_id))
    ob.save()
    return ob


# What ``keep_all`` compares of an obligation already there (a row equal in these is not written), what it writes of
# a changed one, and of a new one.
# Subjects read, written or closed per statement by ``keep_all``, ``settle_all`` and ``cancel_all``.
SUBJECTS_PER_QUERY = 2000
KEPT_FIELDS = ("due_on", "date_changes", "warn_on", "owner_organisation_id", "owner_user_id", "state", "warned_at",
               "chased_at", "next_check_at")  # fmt: skip
UPDATED_FIELDS = (*KEPT_FIELDS, "failures", "last_error", "updated_at")
CREATED_FIELDS = ("kind", "subject_id", "rule_id", *UPDATED_FIELDS, "created_at")


@transaction.atomic
def keep_all(kind: str, dues: Sequence[Due]) -> int:
    """``keep`` for many subjects of one kind at once (a ledger import brings thousands of case deadlines): the
    obligations there are read in one query per 2,000 subjects, new ones inserted and changed ones updated in bulk;
    one left as it was is not written (its failure record stays). Returns how many were written."""
    kind_of(kind)
    written = 0
    for i in range(0, len(dues), SUBJECTS_PER_QUERY):
        chunk = dues[i : i + SUBJECTS_PER_QUERY]
        there = {
            (ob.subject_id, ob.rule_id): ob
            for ob in Obligation.objects.select_for_update().filter(
                kind=kind, subject_id__in={d.subject_id for d in chunk}
            )
        }
        create: list[Obligation] = []
        update: list[Obligation] = []
        now = timezone.now()
        for due in chunk:
            ob = there.get((due.subject_id, due.rule_id))
            if ob is None:
                ob = Obligation(kind=kind, subject_id=due.subject_id, rule_id=due.rule_id, due_on=due.due_on)
                _apply(ob, due)
                ob.created_at = ob.updated_at = now
                create.append(ob)
                continue
            before = [getattr(ob, f) for f in KEPT_FIELDS]
            _apply(ob, due)
            if [getattr(ob, f) for f in KEPT_FIELDS] != before:
                ob.updated_at = now
                update.append(ob)
        # New rows take the raw bulk path of ``core.bulk`` (a ledger import opens thousands at once).
        insert_rows(Obligation, CREATED_FIELDS, [[getattr(ob, f) for f in CREATED_FIELDS] for ob in create])
        Obligation.objects.bulk_update(update, list(UPDATED_FIELDS), batch_size=500)
        written += len(create) + len(update)
    return written


def _apply(ob: Obligation, due: Due) -> None:
    """``ob`` made as ``due`` says: a new due date forgets what was sent for the old one."""
    if ob.due_on != due.due_on:
        ob.due_on, ob.warned_at, ob.chased_at = due.due_on, None, None
        ob.date_changes += 1
    warn = due.warn
    ob.warn_on = warn_on(due.due_on) if warn is True else (None if warn is False else warn)
    ob.owner_organisation_id, ob.owner_user_id = due.owner_organisation_id, due.owner_user_id
    ob.state, ob.failures, ob.last_error = ObligationState.OPEN, 0, ""
    if due.chased and ob.chased_at is None:
        # Past from the day after its due date (a period includes its last day), and dealt with by the domain.
        ob.chased_at = start_of(due.due_on + datetime.timedelta(days=1))
    elif due.chased is False:
        ob.chased_at = None
    ob.next_check_at = next_check(ob)


def settle(kind: str, subject_id: int, rule_id: str | None = None) -> int:
    """The obligation (every one of the subject's, when ``rule_id`` is None) is done: nothing more is sent."""
    return _close(_of(kind, subject_id, rule_id), ObligationState.MET)


def cancel(kind: str, subject_id: int, rule_id: str | None = None) -> int:
    """The obligation no longer applies (the matter ended otherwise): nothing more is sent."""
    return _close(_of(kind, subject_id, rule_id), ObligationState.CANCELLED)


def settle_all(kind: str, subject_ids: Iterable[int]) -> int:
    """``settle`` for many subjects of one kind, in one UPDATE per 2,000."""
    return _close_all(kind, subject_ids, ObligationState.MET)


def cancel_all(kind: str, subject_ids: Iterable[int]) -> int:
    """``cancel`` for many subjects of one kind, in one UPDATE per 2,000."""
    return _close_all(kind, subject_ids, ObligationState.CANCELLED)


def _close_all(kind: str, subject_ids: Iterable[int], state: str) -> int:
    ids = list(subject_ids)
    closed = 0
    for i in range(0, len(ids), SUBJECTS_PER_QUERY):
        subjects = ids[i : i + SUBJECTS_PER_QUERY]
        open_ones = Obligation.objects.filter(kind=kind, subject_id__in=subjects, state=ObligationState.OPEN)
        closed += _close(open_ones, state)
    return closed


def _of(kind: str, subject_id: int, rule_id: str | None) -> QuerySet[Obligation]:
    found = Obligation.objects.filter(kind=kind, subject_id=subject_id, state=ObligationState.OPEN)
    return found if rule_id is None else found.filter(rule_id=rule_id)


def _close(open_ones: QuerySet[Obligation], state: str) -> int:
    return open_ones.update(state=state, next_check_at=None, updated_at=timezone.now())


# ---------------------------------------------------------------------------------------------------------------
# The sweep step


@dataclass
class ObligationSweep:
    reminded: Counter[str] = field(default_factory=Counter)
    chased: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    skipped: int = 0

    def of(self, kind: str) -> tuple[int, int, int]:
        """(reminded, chased, failed) of one kind."""
        return self.reminded[kind], self.chased[kind], self.failed[kind]

    @property
    def failed_rows(self) -> int:
        return sum(self.failed.values())

    def summary(self, leave_out: Iterable[str] = ()) -> str:
        """One clause per kind that had anything this run, but those of ``leave_out`` (said elsewhere)."""
        names = sorted((set(self.reminded) | set(self.chased) | set(self.failed)) - set(leave_out))
        said = []
        for name in names:
            label = KINDS[name].label if name in KINDS else name
            said.append(f"{label}临期提醒 {self.reminded[name]} 项，逾期督办 {self.chased[name]} 项")
        return "；".join(said)


def sweep(now: datetime.datetime | None = None, *, kinds: Iterable[str] | None = None) -> ObligationSweep:
    """Remind and chase what has fallen due at ``now`` (only ``kinds``, if given), each obligation alone."""
    now = timezone.localtime(now or timezone.now())
    report = ObligationSweep()
    due = Obligation.objects.filter(state=ObligationState.OPEN, next_check_at__lte=now)
    if kinds is not None:
        due = due.filter(kind__in=list(kinds))
    handled = 0
    while handled < LIMIT:
        batch = list(due.order_by("next_check_at", "pk").values_list("pk", "kind", "next_check_at")[:BATCH])
        by_kind: dict[str, list[tuple[int, datetime.datetime | None]]] = defaultdict(list)
        for pk, name, seen in batch:
            by_kind[name].append((pk, seen))
        for name, found in by_kind.items():
            kind = KINDS.get(name)
            if kind is not None and kind.batch is not None:
                _check_in_chunks(kind, [pk for pk, _ in found], now, report)
            else:
                for pk, seen in found:
                    _check(pk, seen, now, report)
        handled += len(batch)
        if len(batch) < BATCH:
            break
    return report


def _check(pk: int, seen: datetime.datetime | None, now: datetime.datetime, report: ObligationSweep) -> None:
    with transaction.atomic():
        # The claim: only the sweep whose UPDATE changes the row it read goes on (a second one, having waited for
        # the first's row lock, finds ``next_check_at`` changed and matches nothing).
        if not Obligation.objects.filter(pk=pk, state=ObligationState.OPEN, next_check_at=seen).update(
            next_check_at=None
        ):
            report.skipped += 1
            return
        ob = Obligation.objects.get(pk=pk)
        ob.next_check_at = seen
        what = occasion(ob, now.date())
        try:
            with transaction.atomic():
                told = _act(ob, what, now)
        except Exception as error:
            _failed(ob, what, error, now, report)
            ob.save(update_fields=["failures", "last_error", "next_check_at", "updated_at"])
            return
        _done(ob, what, told, now, report)
        ob.save()


class _Taken(Exception):
    """Another sweep claimed a row of the chunk between its selection and its claim (SQLite only)."""


def _check_in_chunks(kind: Kind, pks: list[int], now: datetime.datetime, report: ObligationSweep) -> None:
    """The due obligations ``pks`` of a batched kind, ``kind.chunk()`` per transaction, until none is left unclaimed.

    Rows another sweep holds are skipped (they are that sweep's); once it commits they are no longer due, so neither
    sweep tells of a row twice, and none is missed."""
    remaining = pks
    size = max(1, kind.chunk())
    while remaining:
        try:
            with transaction.atomic():
                claimed = list(
                    Obligation.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=remaining, state=ObligationState.OPEN, next_check_at__lte=now)
                    .order_by("next_check_at", "pk")[:size]
                )
                if not claimed:
                    return
                ids = [ob.pk for ob in claimed]
                # Under the row locks this matches every row (PostgreSQL); on SQLite a row another sweep has just
                # told of no longer matches, and the chunk is then taken row by row by ``_check``.
                still_due = Obligation.objects.filter(pk__in=ids, state=ObligationState.OPEN, next_check_at__lte=now)
                if still_due.update(next_check_at=None) != len(ids):
                    raise _Taken
                _handle_chunk(kind, claimed, now, report)
        except _Taken:
            for ob in claimed:
                _check(ob.pk, ob.next_check_at, now, report)
        done = {ob.pk for ob in claimed}
        remaining = [pk for pk in remaining if pk not in done]


# What the sweep writes back of an obligation it handled.
SWEPT_FIELDS = ("state", "due_on", "warn_on", "warned_at", "chased_at", "next_check_at", "failures", "last_error")


def _handle_chunk(kind: Kind, claimed: list[Obligation], now: datetime.datetime, report: ObligationSweep) -> None:
    today = now.date()
    due = [(ob, what) for ob in claimed if (what := occasion(ob, today)) is not None]
    assert kind.batch is not None
    try:
        with transaction.atomic():
            outcomes = kind.batch(due, now) if due else Outcomes()
    except Exception as error:
        # The chunk's bulk writes failed together: undone, and each row told again alone, so only a bad one fails.
        logger.warning(
            "到期事项 %s 成批处理 %s 条失败，改为逐条处理：%s",
            kind.name,
            len(due),
            describe(error),
            exc_info=error,
            extra={"step": kind.name},
        )
        outcomes = Outcomes()
        for ob, what in due:
            try:
                with transaction.atomic():
                    outcomes.done[ob.pk] = _act(ob, what, now)  # type: ignore[assignment]
            except Exception as row_error:
                outcomes.failed[ob.pk] = row_error
    whats = {ob.pk: what for ob, what in due}
    for ob in claimed:
        what = whats.get(ob.pk)
        if ob.pk in outcomes.failed:
            _failed(ob, what, outcomes.failed[ob.pk], now, report)
        else:
            _done(ob, what, outcomes.done.get(ob.pk) if what else None, now, report)
    # Rows that end alike are written by one UPDATE: a chunk ends in a few shapes (reminded, chased, met).
    alike: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for ob in claimed:
        alike[tuple(getattr(ob, f) for f in SWEPT_FIELDS)].append(ob.pk)
    written = timezone.now()
    for values, ids in alike.items():
        Obligation.objects.filter(pk__in=ids).update(**dict(zip(SWEPT_FIELDS, values, strict=True)), updated_at=written)


def _failed(
    ob: Obligation, what: str | None, error: BaseException, now: datetime.datetime, report: ObligationSweep
) -> None:
    """The row's work is undone; it is logged (with its kind as the step and its subject as the row) and held back."""
    ob.failures += 1
    ob.last_error = describe(error)
    ob.next_check_at = retry_at(ob.failures, now)
    report.failed[ob.kind] += 1
    logger.error(
        "到期事项 %s #%s（%s）%s失败（第 %s 次），%s 后重试：%s",
        ob.kind,
        ob.subject_id,
        ob.rule_id or "-",
        "逾期督办" if what == CHASE else "临期提醒",
        ob.failures,
        ob.next_check_at.isoformat(),
        ob.last_error,
        exc_info=error,
        extra={"step": ob.kind, "row_id": ob.subject_id, "obligation": ob.pk, "failures": ob.failures},
    )


def _done(ob: Obligation, what: str | None, told: bool | None, now: datetime.datetime, report: ObligationSweep) -> None:
    if told is None:
        pass
    elif not told:
        ob.state = ObligationState.MET  # the domain says it is no longer due
    else:
        if what == CHASE:
            ob.chased_at = now
            report.chased[ob.kind] += 1
        else:
            ob.warned_at = now
            report.reminded[ob.kind] += 1
        _renew(ob, now)
    ob.failures, ob.last_error = 0, ""
    ob.next_check_at = next_check(ob)


def _renew(ob: Obligation, now: datetime.datetime) -> None:
    """A recurring kind's obligation, told of, moves on to its next round (or is met when there is none)."""
    renew = kind_of(ob.kind).renew
    if renew is None:
        return
    following = renew(ob, now)
    if following is None:
        ob.state = ObligationState.MET
        return
    ob.warn_on, ob.due_on = following
    ob.warned_at = ob.chased_at = None


def _act(ob: Obligation, what: str | None, now: datetime.datetime) -> bool | None:
    if what is None:
        return None
    kind = kind_of(ob.kind)
    return (kind.chase if what == CHASE else kind.remind)(ob, now)
