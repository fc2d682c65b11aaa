"""A dispute's current time limit is computed twice: ``Dispute.current_due_on`` (Python: the file and the lists' 期限
column) and ``disputes.queries.current_due`` (the same in SQL: the queue sorts and pages by it in the database). The
two name the same day for every dispute, in every state and with any of its three time limits set or not, so that
changing one without the other fails here."""

from __future__ import annotations

import datetime
import itertools

import pytest

from fuyuan.disputes.choices import AssignmentRole, DisputeOutcome, DisputeState, WithdrawalReason
from fuyuan.disputes.models import Dispute
from fuyuan.disputes.queries import current_due
from fuyuan.disputes.workflow import (
    Choice,
    accept_dispute,
    assign_coordinators,
    conclude_mediated,
    conclude_withdrawn,
    record_plan,
    record_review,
    reject_dispute,
)
from tests.conftest import Clock
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_coordinator, make_dispute

pytestmark = pytest.mark.django_db

LIMITS = ("review_due_on", "plan_due_on", "mediation_due_on")


def both_ways() -> dict[int, tuple[datetime.date | None, datetime.date | None]]:
    """Each dispute's time limit as the property gives it and as the SQL annotation gives it, by id."""
    in_python = {d.pk: d.current_due_on() for d in Dispute.objects.all()}
    in_sql = dict(Dispute.objects.annotate(due=current_due()).values_list("pk", "due"))
    return {pk: (in_python[pk], in_sql[pk]) for pk in in_python}


def test_the_twins_agree_in_every_state_with_every_time_limit_set_or_not(world: World, clock: Clock) -> None:
    # given a dispute for every state and every choice of which of the three limits are on file, each limit a
    # different day, so that picking the wrong one (or none) shows
    o, centre = world.orgs, world.users["centre"]
    days = dict(zip(LIMITS, (clock.today + datetime.timedelta(days=n) for n in (3, 7, 30)), strict=True))
    grid = list(itertools.product(DisputeState.values, itertools.product((False, True), repeat=len(LIMITS))))
    for state, on_file in grid:
        dispute = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre)
        closed = (
            {"concluded_on": clock.today, "outcome": DisputeOutcome.MEDIATED} if state == DisputeState.CLOSED else {}
        )
        limits = {name: days[name] if present else None for name, present in zip(LIMITS, on_file, strict=True)}
        Dispute.objects.filter(pk=dispute.pk).update(state=state, **limits, **closed)

    # when each is read both ways, then they agree
    pairs = both_ways()
    assert len(pairs) == len(grid)
    assert {pk: python for pk, (python, _) in pairs.items()} == {pk: sql for pk, (_, sql) in pairs.items()}
    # and the grid reaches every answer the rule can give
    assert {python for python, _ in pairs.values()} == {*days.values(), None}


def test_the_twins_agree_on_disputes_taken_through_the_workflow(world: World, clock: Clock) -> None:
    # given disputes in every state as the centre's work leaves them
    o, centre = world.orgs, world.users["centre"]
    expert = make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    expert.max_load = 20
    expert.save()

    def dispute(step: int) -> Dispute:
        """A dispute taken ``step`` steps: received, accepted, assigned, reviewed, planned."""
        d = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre)
        steps = [
            lambda d: accept_dispute(d, by=centre, consent=WRITTEN),
            lambda d: assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=centre),
            lambda d: record_review(d, opinion="处罚事实存疑", by=centre),
            lambda d: record_plan(d, plan="组织四方会谈，重新核查", by=centre),
        ]
        for take in steps[:step]:
            d = take(d)
        return d

    for step in range(5):
        dispute(step)
    reject_dispute(dispute(0), reason="不属于行政争议", by=centre)
    conclude_withdrawn(dispute(2), reason=WithdrawalReason.AGENCY_CORRECTED, by=centre)
    conclude_mediated(dispute(4), terms="重新核定补偿标准", by=centre)

    # when each is read both ways, then they agree, and every state is among them
    pairs = both_ways()
    assert [pk for pk, (python, sql) in pairs.items() if python != sql] == []
    assert set(Dispute.objects.values_list("state", flat=True)) == set(DisputeState.values)
    assert sum(python is not None for python, _ in pairs.values()) == 4
