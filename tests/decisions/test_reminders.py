"""The comment period and the legality review period as due obligations: the sweep reminds the owner of the step
(临期) and chases it with the 依法治办 (逾期); a step done settles its obligation."""

from __future__ import annotations

import datetime

from django.utils import timezone

from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.reminders import COMMENT, PERIOD, REVIEW
from fuyuan.notifications.models import Notification
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.obligations.workflow import sweep
from tests.decisions.conftest import D, run_to


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, channel="in_app").values_list("subject", flat=True)
    )


def test_the_review_period_is_reminded_to_the_justice_bureau_and_chased_with_the_office(
    world, clock, decision, justice, expert
):
    decision = run_to(Stage.LEGALITY_REVIEW, decision, world, clock, justice, expert)
    clock(D(2026, 9, 11))
    wf.send_for_legality_review(
        decision, sent_on=D(2026, 9, 11), review_until=D(2026, 9, 22), by=world.users["agency_duyun"]
    )
    ob = Obligation.objects.get(kind=PERIOD, subject_id=decision.pk, rule_id=REVIEW)
    assert ob.due_on == D(2026, 9, 22) and ob.owner_organisation == world.orgs["都匀司法局"]

    clock(D(2026, 9, 19))
    sweep(_at(D(2026, 9, 19)), kinds=[PERIOD])
    assert _told("justice_duyun") == ["【重大决策】期限临近"]

    clock(D(2026, 9, 23))
    sweep(_at(D(2026, 9, 23)), kinds=[PERIOD])
    assert "【重大决策】期限已过" in _told("justice_duyun") and _told("rol_duyun") == ["【重大决策】期限已过"]


def test_the_comment_period_is_settled_when_the_answers_are_published(world, clock, decision, justice, expert):
    decision = run_to(Stage.EXPERT_ARGUMENT, decision, world, clock, justice, expert)
    ob = Obligation.objects.get(kind=PERIOD, subject_id=decision.pk, rule_id=COMMENT)
    assert ob.due_on == D(2026, 9, 2) and ob.state == ObligationState.MET
