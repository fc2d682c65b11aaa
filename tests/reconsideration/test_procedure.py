"""The simplified procedure (行政复议法 (2023) 第53-54条, 第62条第2款): suggested from the file, chosen by staff; copy in
3 working days, reply in 5, decision in 30 days."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.core.models import User
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.reconsideration.choices import Procedure
from fuyuan.reconsideration.rules import suggest_simplified
from fuyuan.reconsideration.workflow import ReconsiderationError, choose_procedure, send_copy_to_respondent
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, deadline

pytestmark = pytest.mark.django_db


def file(**values: object) -> SimpleNamespace:
    base = {
        "act_on_the_spot": False,
        "act_is_warning": False,
        "amount": None,
        "act_type": "",
        "parties_agree_simplified": False,
    }
    return SimpleNamespace(**{**base, **values})


def test_the_article_53_triggers_are_suggested_from_the_file() -> None:
    assert suggest_simplified(file()) == []
    assert "三千元以下" in suggest_simplified(file(amount=Decimal("3000")))[0]
    assert suggest_simplified(file(amount=Decimal("3000.01"))) == []
    assert "政府信息公开" in suggest_simplified(file(act_type="information"))[0]
    assert "当场作出" in suggest_simplified(file(act_on_the_spot=True))[0]
    assert "警告" in suggest_simplified(file(act_is_warning=True))[0]
    assert "各方同意" in suggest_simplified(file(parties_agree_simplified=True))[0]


def test_a_simplified_case_has_three_and_five_working_days_and_thirty_days_to_decide(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world, procedure=Procedure.SIMPLIFIED, amount=Decimal("2000"))

    # 第54条: the copy within 3 working days (30 Sep, 8, 9 Oct); 第62条第2款: the decision within 30 days.
    assert deadline(app, "reconsideration.simplified_copy").due_on == D(2026, 10, 9)
    assert deadline(app, "reconsideration.simplified").due_on == D(2026, 10, 29)
    assert not Deadline.objects.filter(case=app.case, rule_id="reconsideration.decision").exists()

    clock(D(2026, 10, 9))
    send_copy_to_respondent(app, by=world.users["recon_pref"])
    # 第54条: the reply within 5 working days: Saturday 10, 12, 13, 14, 15 October.
    assert deadline(app, "reconsideration.simplified_reply").due_on == D(2026, 10, 15)


def test_the_simplified_procedure_is_refused_without_a_trigger(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    with pytest.raises(ReconsiderationError, match="第53条"):
        accepted(world, procedure=Procedure.SIMPLIFIED)


def test_a_simplified_case_goes_back_to_the_ordinary_procedure_only_with_the_heads_approval(
    world: World, head: User, clock
) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world, procedure=Procedure.SIMPLIFIED, act_type="information")
    with pytest.raises(PermissionDenied):
        choose_procedure(app, Procedure.ORDINARY, by=world.users["recon_pref"])

    app = choose_procedure(app, Procedure.ORDINARY, by=head)

    assert deadline(app, "reconsideration.decision").state == DeadlineState.OPEN
    assert deadline(app, "reconsideration.simplified").state == DeadlineState.CANCELLED
    assert deadline(app, "reconsideration.simplified_copy").state == DeadlineState.CANCELLED
    assert deadline(app, "reconsideration.copy_to_respondent").due_on == D(2026, 10, 14)
