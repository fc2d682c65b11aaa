"""The 司法局's review queue across both kinds of review (issue 16): every major decision waiting for its legality
review (``decision.legality_review``, 重大行政决策程序暂行条例 第27条: at least 7 working days) beside the legal
matters waiting for an opinion, each with its period and whether it is 临期 (from the obligations' warn day,
``obligations.workflow.warn_on``, the one rule the sweep reminds by) or 逾期 (past its last day).

Scoped to the reviewing body: a 司法局 user sees the decisions sent to their bureau and the matters sent to it; the
依法治办 and leaders see those of their region subtree (supervision); nobody else sees a queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from fuyuan.core.models import Role, User
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import Decision
from fuyuan.decisions.queries import is_reviewer_user
from fuyuan.decisions.queries import visible_to as decisions_visible_to
from fuyuan.legalreview.choices import MatterState
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.queries import visible_to as matters_visible_to
from fuyuan.obligations.workflow import warn_on

QUEUE_ROLES = frozenset({Role.RECONSIDERATION_BODY, Role.RULE_OF_LAW_OFFICE, Role.LEADER})
# The matters whose review is still owed (a matter waiting for material has its period paused, and is shown so).
WAITING_STATES = (MatterState.SUBMITTED, MatterState.UNDER_REVIEW, MatterState.AWAITING_MATERIAL)


@dataclass
class QueueRow:
    kind: str
    title: str
    url: str
    sender: str
    received_on: datetime.date
    due_on: datetime.date | None
    status: str  # 逾期 | 临期 | 期限内 | 中止
    days: int  # days past (逾期) or left (临期, 期限内)


def waiting_decisions(user: User) -> list[Decision]:
    decisions = decisions_visible_to(user).filter(
        stage=Stage.LEGALITY_REVIEW, review_sent_on__isnull=False, review_conclusion=""
    )
    if is_reviewer_user(user):
        decisions = decisions.filter(review_body_id=user.organisation_id)
    return list(decisions.select_related("owner"))


def waiting_matters(user: User) -> list[LegalMatter]:
    return list(matters_visible_to(user).filter(state__in=WAITING_STATES).select_related("sender", "sender_region"))


def status_of(due_on: datetime.date, today: datetime.date) -> tuple[str, int]:
    if today > due_on:
        return "逾期", (today - due_on).days
    if today >= warn_on(due_on):
        return "临期", (due_on - today).days
    return "期限内", (due_on - today).days


def review_queue(user: User, today: datetime.date) -> list[QueueRow]:
    """Both kinds, the most urgent first (逾期, then by last day); three queries whatever their number."""
    if user.role not in QUEUE_ROLES:
        return []
    rows: list[QueueRow] = []
    for d in waiting_decisions(user):
        assert d.review_until is not None and d.review_sent_on is not None
        status, days = status_of(d.review_until, today)
        rows.append(
            QueueRow(
                "重大行政决策",
                d.title,
                reverse("decisions:detail", args=[d.pk]),
                d.owner.name,
                d.review_sent_on,
                d.review_until,
                status,
                days,
            )
        )
    for m in waiting_matters(user):
        if m.state == MatterState.AWAITING_MATERIAL:
            status, days = "中止", 0
        else:
            status, days = status_of(m.due_on, today)
        rows.append(
            QueueRow(
                m.get_kind_display(),
                m.title,
                reverse("legalreview:detail", args=[m.pk]),
                m.sender_name,
                m.received_on,
                None if status == "中止" else m.due_on,
                status,
                days,
            )
        )
    order = {"逾期": 0, "临期": 1, "期限内": 2, "中止": 3}
    rows.sort(key=lambda r: (order[r.status], r.due_on or datetime.date.max, r.title))
    return rows
