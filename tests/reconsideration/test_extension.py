"""Extension of the decision period (行政复议法 (2023) 第62条第1款): once, by at most 30 days, approved by the head."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.core.models import User
from fuyuan.deadlines.models import DeadlineState
from fuyuan.reconsideration.choices import Procedure
from fuyuan.reconsideration.workflow import ReconsiderationError, approve_extension, request_extension
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, deadline

pytestmark = pytest.mark.django_db


def test_an_approved_extension_moves_the_decision_period_to_the_extended_one(world: World, head: User, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 11, 20))
    app = request_extension(app, reason="需要补充鉴定", days=30, by=staff)
    with pytest.raises(PermissionDenied, match="负责人"):
        approve_extension(app, by=staff)

    app = approve_extension(app, by=head)

    assert app.extension_approved_by == head
    assert deadline(app, "reconsideration.decision").state == DeadlineState.CANCELLED
    # 90 days from 29 September: Monday 28 December.
    assert deadline(app, "reconsideration.decision_extended").due_on == D(2026, 12, 28)
    with pytest.raises(ReconsiderationError, match="只能一次"):
        request_extension(app, reason="再延长", days=10, by=staff)
    with pytest.raises(ReconsiderationError, match="只能一次"):
        approve_extension(app, by=head)


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
