"""调解、和解 (行政复议法 (2023) 第73-74条): an agreement concludes the case as 调解 (counted in 复议调解成功率); a failed
mediation returns to the procedure."""

from __future__ import annotations

import pytest

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.reconsideration.choices import MediationKind, Stage
from fuyuan.reconsideration.workflow import ReconsiderationError, end_mediation, start_mediation
from fuyuan.stats.figures import compute
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, fresh

pytestmark = pytest.mark.django_db


def test_a_successful_mediation_concludes_the_case_as_mediated_and_counts_in_the_mediation_rate(
    world: World, clock
) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    mediation = start_mediation(app, kind=MediationKind.MEDIATION, mediator="黔南州行政复议调解和解委员会", by=staff)
    assert fresh(app).stage == Stage.MEDIATING

    clock(D(2026, 10, 15))
    end_mediation(mediation, succeeded=True, terms="被申请人减轻罚款至五千元，申请人撤回请求", by=staff)

    app = fresh(app)
    assert app.stage == Stage.DECIDED
    assert (app.case.outcome, app.case.concluded_on) == (ReconsiderationOutcome.MEDIATED, D(2026, 10, 15))
    figures = compute(Case.objects.filter(pk=app.case_id), D(2026, 1, 1), D(2026, 12, 31))["total"]
    assert figures["reconsideration"]["mediated"] == 1
    assert figures["reconsideration"]["mediation_rate"] == 100.0


def test_a_failed_mediation_returns_the_case_to_its_procedure(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    mediation = start_mediation(app, kind=MediationKind.SETTLEMENT, by=staff)
    with pytest.raises(ReconsiderationError, match="协议内容"):
        end_mediation(mediation, succeeded=True, by=staff)

    end_mediation(mediation, succeeded=False, by=staff)

    app = fresh(app)
    assert app.stage == Stage.ACCEPTED and not app.case.is_concluded


def test_a_settlement_concludes_the_case_as_settled(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    mediation = start_mediation(app, kind=MediationKind.SETTLEMENT, by=staff)

    end_mediation(mediation, succeeded=True, terms="双方和解", by=staff)

    assert fresh(app).case.outcome == ReconsiderationOutcome.SETTLED
