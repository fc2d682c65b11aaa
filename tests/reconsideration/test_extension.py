"""Extension of the decision period (行政复议法 (2023) 第62条第1款): once, by at most 30 days, approved by the head,
counted from the last day of the period extended (the holiday end-rule applied again)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from fuyuan.core.models import User
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.obligations.models import Obligation
from fuyuan.reconsideration.choices import Procedure
from fuyuan.reconsideration.workflow import (
    ReconsiderationError,
    approve_extension,
    decision_due,
    request_extension,
)
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, deadline, events_of

pytestmark = pytest.mark.django_db


def test_an_approved_extension_adds_its_thirty_days_to_the_decision_period(world: World, head: User, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    # 60 days from 29 September end on Saturday 28 November: the period ends on Monday 30 November.
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 11, 30)
    clock(D(2026, 11, 20))
    app = request_extension(app, reason="需要补充鉴定", days=30, by=staff)
    with pytest.raises(PermissionDenied, match="负责人"):
        approve_extension(app, by=staff)

    app = approve_extension(app, by=head)

    assert app.extension_approved_by == head and app.extension_days == 30
    # 30 days after Monday 30 November: Wednesday 30 December (not the 90 days of the rule: Monday 28 December).
    decision = deadline(app, "reconsideration.decision")
    assert (decision.due_on, decision.state) == (D(2026, 12, 30), DeadlineState.OPEN)
    assert decision_due(app) == D(2026, 12, 30)
    assert not Deadline.objects.filter(case=app.case, rule_id="reconsideration.decision_extended").exists()
    obligation = Obligation.objects.get(kind="deadlines.deadline", subject_id=decision.pk)
    assert obligation.due_on == D(2026, 12, 30)
    assert events_of(app)[-1] == "extension_approved"


def test_the_head_approves_fewer_days_than_asked_and_a_holiday_moves_the_end(world: World, head: User, clock) -> None:
    clock(D(2026, 8, 2))
    app = accepted(world, known_on=D(2026, 7, 20))
    # 60 days from 2 August end on 1 October, in the National Day holiday: the period ends on Thursday 8 October.
    assert decision_due(app) == D(2026, 10, 8)
    clock(D(2026, 9, 20))
    app = request_extension(app, reason="需要现场勘验", days=30, by=world.users["recon_pref"])

    app = approve_extension(app, days=30, by=head)

    # 30 days after 8 October: Saturday 7 November, so Monday 9 November.
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 11, 9)


def test_fewer_days_approved_are_the_days_added(world: World, head: User, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    app = request_extension(app, reason="需要补充鉴定", days=30, by=world.users["recon_pref"])

    app = approve_extension(app, days=10, by=head)

    assert app.extension_days == 10
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 12, 10)


def test_more_than_thirty_days_and_a_second_extension_are_refused_in_chinese(world: World, head: User, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    app = request_extension(app, reason="需要补充鉴定", days=30, by=staff)
    for days in (31, 0):
        with pytest.raises(ReconsiderationError, match="最多不超过三十日"):
            approve_extension(app, days=days, by=head)
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 11, 30)

    app = approve_extension(app, days=20, by=head)

    with pytest.raises(ReconsiderationError, match="只能一次"):
        request_extension(app, reason="再延长", days=10, by=staff)
    with pytest.raises(ReconsiderationError, match="已于 2026-09-29 批准延长20日，不能再次延长"):
        approve_extension(app, days=10, by=head)
    # 20 days after 30 November: Sunday 20 December, so Monday 21 December.
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 12, 21)


def test_the_rule_decision_extended_still_answers_ninety_days() -> None:
    out = StringIO()
    call_command("deadline", "reconsideration.decision_extended", "2026-09-29", "--format", "json", stdout=out)

    # SPEC §5: 90 days from 29 September, Monday 28 December.
    assert json.loads(out.getvalue())["due"] == "2026-12-28"


def test_an_extension_is_at_most_thirty_days_and_not_in_the_simplified_procedure(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    with pytest.raises(ReconsiderationError, match="三十日"):
        request_extension(app, reason="复杂", days=31, by=staff)
    simplified = accepted(world, procedure=Procedure.SIMPLIFIED, amount=Decimal("100"))

    with pytest.raises(ReconsiderationError, match="简易程序"):
        request_extension(simplified, reason="复杂", days=10, by=staff)


def test_an_extension_is_refused_after_the_decision_period_ended(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 12, 1))

    with pytest.raises(ReconsiderationError, match="已于 2026-11-30 届满"):
        request_extension(app, reason="复杂", days=10, by=world.users["recon_pref"])
