"""Handled cases feed ``fuyuan stats`` exactly as the same cases entered as plain cases (a ledger's) do (SPEC §4, §9)."""

from __future__ import annotations

from typing import Any

import pytest

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import register_case
from fuyuan.core.models import User
from fuyuan.reconsideration.choices import MediationKind
from fuyuan.reconsideration.workflow import decide, end_mediation, reject, request_correction, start_mediation
from fuyuan.stats.figures import compute
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, receive

pytestmark = pytest.mark.django_db

COPIED = (
    "kind", "reconsideration_body", "defendant", "plaintiffs", "cause", "domain", "request", "amount", "received_on",
    "acceptance", "accepted_on", "rejection_reason", "concluded_on", "outcome",
)  # fmt: skip


def as_plain(case: Case, by: User) -> Case:
    """The same case as a ledger would enter it."""
    values: dict[str, Any] = {f: getattr(case, f) for f in COPIED}
    return register_case({**values, "number": f"台账{case.number}"}, by=by)


def test_the_figures_of_handled_cases_equal_those_of_the_same_cases_entered_as_plain_cases(
    world: World, head: User, clock
) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    revoked = accepted(world)
    upheld = accepted(world, contested_act="乙")
    mediated = accepted(world, contested_act="丙")
    rejected = receive(world, contested_act="丁").application
    reject(rejected, grounds=["out_of_scope"], reason="不属于行政复议范围", by=staff)
    lapsed = receive(world, contested_act="戊").application
    request_correction(lapsed, items=["身份证明"], by=staff)
    pending = receive(world, contested_act="己").application
    clock(D(2026, 10, 15))
    mediation = start_mediation(mediated, kind=MediationKind.MEDIATION, mediator="调解和解委员会", by=staff)
    end_mediation(mediation, succeeded=True, terms="协议", by=staff)
    clock(D(2026, 11, 2))
    from fuyuan.reconsideration.sweep import sweep_applications

    sweep_applications()
    decide(revoked, outcome=ReconsiderationOutcome.REVOKED, facts="经审理查明的事实", grounds="违法", by=head)
    decide(upheld, outcome=ReconsiderationOutcome.UPHELD, facts="经审理查明的事实", grounds="合法", by=head)

    handled = [a.case_id for a in (revoked, upheld, mediated, rejected, lapsed, pending)]
    plain = [as_plain(c, world.users["rol_pref"]).pk for c in Case.objects.filter(pk__in=handled).order_by("pk")]

    for by in (None, "month", "agency", "county"):
        ours = compute(Case.objects.filter(pk__in=handled), D(2026, 1, 1), D(2026, 12, 31), by)
        theirs = compute(Case.objects.filter(pk__in=plain), D(2026, 1, 1), D(2026, 12, 31), by)
        assert ours == theirs
    # 己 was deemed accepted by the sweep (第30条第3款); 戊 lapsed for want of its 补正 (第31条第2款).
    total = compute(Case.objects.filter(pk__in=handled), D(2026, 1, 1), D(2026, 12, 31))["total"]["reconsideration"]
    assert (total["received"], total["accepted"], total["rejected"], total["corrected"], total["mediated"]) == (
        6, 4, 1, 1, 1,
    )  # fmt: skip
