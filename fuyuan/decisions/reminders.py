"""The periods of a decision as due obligations (``obligations``), reminded (临期) and chased (逾期) by the sweep:

- ``decision.public_comment`` (条例 第15条): due when the comment period ends, owed by the 承办单位 until the answers
  to the comments are published;
- ``decision.legality_review`` (条例 第27条): due on the review period given, owed by the review body (司法局) until
  it gives its opinion.

The workflow keeps and settles them by name (``keep_period``, ``settle_period``); nothing here changes a decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.core.models import Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import Decision
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

SYSTEM = Actor(label="系统定时任务")
PERIOD = "decisions.period"
COMMENT = "decision.public_comment"
REVIEW = "decision.legality_review"
STEP = {COMMENT: "研究答复公众意见并公布采纳情况", REVIEW: "出具合法性审查意见"}
OWNER_ROLE = {COMMENT: Role.AGENCY_LIAISON, REVIEW: Role.RECONSIDERATION_BODY}


def keep_period(decision: Decision, rule_id: str, due_on: datetime.date) -> None:
    owner = decision.owner_id if rule_id == COMMENT else decision.review_body_id
    obligations.keep(PERIOD, decision.pk, due_on=due_on, rule_id=rule_id, owner_organisation=owner)


def settle_period(decision: Decision, rule_id: str) -> None:
    obligations.settle(PERIOD, decision.pk, rule_id)


def _owed(ob: Obligation) -> Decision | None:
    """The decision, while the obligation is still owed (None: the step is done, so the obligation is met)."""
    decision = Decision.objects.select_related("owner", "region").filter(pk=ob.subject_id).first()
    if decision is None:
        return None
    if ob.rule_id == COMMENT:
        owed = decision.stage == Stage.PUBLIC_PARTICIPATION and decision.answers_published_on is None
    else:
        owed = decision.stage == Stage.LEGALITY_REVIEW and not decision.review_conclusion
    return decision if owed else None


def _owners(ob: Obligation) -> list[User]:
    if ob.owner_organisation_id is None:
        return []
    return list(
        User.objects.filter(is_active=True, role=OWNER_ROLE[ob.rule_id], organisation_id=ob.owner_organisation_id)
    )


def _office(decision: Decision) -> list[User]:
    """The 依法治办 of the decision's region (it supervises every step)."""
    return list(User.objects.filter(Q(region=decision.region), is_active=True, role=Role.RULE_OF_LAW_OFFICE))


def _tell(decision: Decision, users: list[User], *, key: str, subject: str, body: str) -> None:
    put(
        personal_rows(
            users,
            subject=f"【重大决策】{subject}",
            body=body,
            link=reverse("decisions:detail", args=[decision.pk]),
            dedup_key=f"decisions:{decision.pk}:{key}",
            now=timezone.now(),
        )
    )


def remind_period(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the owner of the step is told once."""
    decision = _owed(ob)
    if decision is None:
        return False
    step = STEP[ob.rule_id]
    _tell(
        decision,
        _owners(ob),
        key=f"{ob.rule_id}:{ob.date_changes}:warned",
        subject="期限临近",
        body=f"《{decision.title}》：期限 {ob.due_on.isoformat()}，请及时{step}。",
    )
    record_event(decision, by=SYSTEM, action="period_warned", summary=f"临期提醒：{step}，期限 {ob.due_on.isoformat()}")
    return True


def chase_period(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the owner of the step and the 依法治办 of the region are told once."""
    decision = _owed(ob)
    if decision is None:
        return False
    step = STEP[ob.rule_id]
    days = (timezone.localtime(now).date() - ob.due_on).days
    _tell(
        decision,
        [*_owners(ob), *_office(decision)],
        key=f"{ob.rule_id}:{ob.date_changes}:overdue",
        subject="期限已过",
        body=f"《{decision.title}》：期限 {ob.due_on.isoformat()} 已过{days}天，尚未{step}。",
    )
    record_event(
        decision, by=SYSTEM, action="period_overdue", summary=f"逾期督办：{step}，期限 {ob.due_on.isoformat()}"
    )
    return True


PERIOD_KIND = Kind(name=PERIOD, label="重大决策期限", remind=remind_period, chase=chase_period)


@dataclass
class PeriodSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"临期提醒 {self.warned} 项，逾期督办 {self.overdue} 项"


def period_sweep(report: obligations.ObligationSweep) -> PeriodSweep:
    warned, overdue, failed = report.of(PERIOD)
    return PeriodSweep(warned=warned, overdue=overdue, failed=failed)
