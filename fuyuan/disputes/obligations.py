"""The dispute centre's periods as due obligations (``obligations``): the expert review (``centre.expert_review``),
the plan (``centre.plan``) and the mediation before litigation (``centre.pre_litigation``), each reminded once
before it ends and chased once after, to the centre's staff and the coordinators assigned to the dispute now.
``disputes.workflow`` opens and settles them (``open_period``, ``end_period``, ``end_periods``); ``DisputesConfig``
registers the wording."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse

from fuyuan.core.models import Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.deadlines.rules import RULES
from fuyuan.disputes.choices import OPEN_STATES, DisputeState
from fuyuan.disputes.models import Dispute
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

KIND = "disputes.period"
SYSTEM = Actor(label="系统定时任务")
# The working-day periods are a few days long: their reminder comes the day before the last day, not the usual
# ``FUYUAN_DEADLINE_WARN_DAYS`` before (which would be the day they start).
WARN_DAYS = {"centre.expert_review": 1, "centre.plan": 1}
# The state in which each period runs; it ends when the dispute leaves it.
RUNNING = {
    "centre.expert_review": (DisputeState.ASSIGNED,),
    "centre.plan": (DisputeState.REVIEWED,),
    "centre.pre_litigation": OPEN_STATES,
}


def open_period(dispute: Dispute, rule_id: str, due_on: datetime.date) -> None:
    days = WARN_DAYS.get(rule_id)
    warn = obligations.warn_on(due_on, days) if days is not None else True
    obligations.keep(KIND, dispute.pk, rule_id=rule_id, due_on=due_on, warn=warn, owner_organisation=dispute.centre_id)


# The dispute's column holding each period's due date.
DUE_COLUMN = {
    "centre.expert_review": "review_due_on",
    "centre.plan": "plan_due_on",
    "centre.pre_litigation": "mediation_due_on",
}


def open_running_periods(disputes: Iterable[Dispute]) -> None:
    """Open the obligation of every period now running on ``disputes`` (written in bulk, bypassing the
    transitions: the demo's generator)."""
    for dispute in disputes:
        for rule_id, states in RUNNING.items():
            due_on = getattr(dispute, DUE_COLUMN[rule_id])
            if dispute.state in states and due_on is not None:
                open_period(dispute, rule_id, due_on)


def end_period(dispute: Dispute, rule_id: str) -> None:
    obligations.settle(KIND, dispute.pk, rule_id)


def end_periods(dispute: Dispute) -> None:
    """The dispute is closed: none of its periods is chased any more."""
    obligations.settle(KIND, dispute.pk)


def _people(dispute: Dispute) -> list[User]:
    staff = User.objects.filter(is_active=True, role=Role.CENTRE_STAFF, organisation_id=dispute.centre_id)
    coordinators = User.objects.filter(
        is_active=True,
        coordinator__assignments__dispute=dispute,
        coordinator__assignments__released_at__isnull=True,
    )
    return [*staff, *coordinators]


def _load(ob: Obligation) -> Dispute | None:
    dispute = Dispute.objects.select_related("agency").filter(pk=ob.subject_id).first()
    if dispute is None or dispute.state not in RUNNING.get(ob.rule_id, ()):
        return None
    return dispute


def _tell(dispute: Dispute, ob: Obligation, occasion: str, subject: str, body: str, now: datetime.datetime) -> None:
    put(
        personal_rows(
            _people(dispute),
            subject=subject,
            body=body,
            link=reverse("disputes:detail", args=[dispute.pk]),
            dedup_key=f"dispute:{dispute.pk}:{ob.rule_id}:{occasion}",
            now=now,
        )
    )


def remind(ob: Obligation, now: datetime.datetime) -> bool:
    dispute = _load(ob)
    if dispute is None:
        return False
    label = RULES[ob.rule_id].label
    left = (ob.due_on - now.date()).days
    when = "今日届满" if left == 0 else f"将于 {ob.due_on:%Y-%m-%d} 届满（还剩 {left} 日）"
    body = f"{dispute.number}（{dispute.applicants} 与{dispute.agency.name}）的“{label}”期限{when}，请按期办理。"
    _tell(dispute, ob, "warned", f"【协调化解】{dispute.number} {label}临期", body, now)
    record_event(
        dispute, by=SYSTEM, action="period_warned", summary=f"“{label}”期限临近（{ob.due_on:%Y-%m-%d}），已提醒"
    )
    return True


def chase(ob: Obligation, now: datetime.datetime) -> bool:
    dispute = _load(ob)
    if dispute is None:
        return False
    label = RULES[ob.rule_id].label
    days = ob.days_overdue(now.date())
    body = (
        f"{dispute.number}（{dispute.applicants} 与{dispute.agency.name}）的“{label}”期限已于 {ob.due_on:%Y-%m-%d} "
        f"届满，尚未完成，已逾期 {days} 日。"
    )
    _tell(dispute, ob, "overdue", f"【协调化解】{dispute.number} {label}逾期", body, now)
    record_event(dispute, by=SYSTEM, action="period_overdue", summary=f"“{label}”期限已逾期{days}天，已督办")
    return True


PERIOD = Kind(name=KIND, label="争议化解期限", remind=remind, chase=chase)
