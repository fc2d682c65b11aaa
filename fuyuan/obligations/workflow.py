"""Keeping due obligations current, and the one sweep step that reminds and chases them.

A domain workflow calls, by name and in its own transaction: ``keep`` when something falls due on someone (or its
date or owner changes, or it is reopened), ``settle`` when it is done, ``cancel`` when it no longer applies.

``sweep`` selects the open obligations whose ``next_check_at`` has come (one range on the ``obligation_due``
index), claims each with a conditional UPDATE on the ``next_check_at`` it read and acts only if its own UPDATE
changed the row (two sweeps at once never send the same thing: the Healthchecks ``sendalerts`` shape), then
reminds it (临期, once, from its warn day to its due date) or chases it (逾期, once, from the day after the due date:
a period includes its last day) through its kind's handler. Each row is handled alone: one that raises is rolled
back, logged, and its next check moves forward (``notifications.isolation.RETRY_AFTER``), while the others go on.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from fuyuan.core.models import Organisation, User
from fuyuan.notifications.isolation import describe, logger, retry_at
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.obligations.registry import KINDS, kind_of

# Obligations claimed per query, and at most per sweep (the rest wait for the next sweep a minute later).
BATCH = 500
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
    warn_day = warn_on(due_on) if warn is True else (None if warn is False else warn)
    org_id = owner_organisation.pk if isinstance(owner_organisation, Organisation) else owner_organisation
    user_id = owner_user.pk if isinstance(owner_user, User) else owner_user
    ob = Obligation.objects.select_for_update().filter(kind=kind, subject_id=subject_id, rule_id=rule_id).first()
    if ob is None:
        ob = Obligation(kind=kind, subject_id=subject_id, rule_id=rule_id, due_on=due_on)
    elif ob.due_on != due_on:
        ob.due_on, ob.warned_at, ob.chased_at = due_on, None, None
    ob.warn_on, ob.owner_organisation_id, ob.owner_user_id = warn_day, org_id, user_id
    ob.state, ob.failures, ob.last_error = ObligationState.OPEN, 0, ""
    ob.next_check_at = next_check(ob)
    ob.save()
    return ob


def settle(kind: str, subject_id: int, rule_id: str | None = None) -> int:
    """The obligation (every one of the subject's, when ``rule_id`` is None) is done: nothing more is sent."""
    return _close(_of(kind, subject_id, rule_id), ObligationState.MET)


def cancel(kind: str, subject_id: int, rule_id: str | None = None) -> int:
    """The obligation no longer applies (the matter ended otherwise): nothing more is sent."""
    return _close(_of(kind, subject_id, rule_id), ObligationState.CANCELLED)


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
        batch = list(due.order_by("next_check_at", "pk").values_list("pk", "next_check_at")[:BATCH])
        for pk, seen in batch:
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
            ob.failures += 1
            ob.last_error = describe(error)
            ob.next_check_at = retry_at(ob.failures, now)
            ob.save(update_fields=["failures", "last_error", "next_check_at", "updated_at"])
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
                extra={"step": "obligations", "kind": ob.kind, "row_id": ob.pk, "failures": ob.failures},
            )
            return
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
        ob.save()


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
