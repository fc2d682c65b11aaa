"""行政复议委员会 (行政复议法 (2023) 第52条): referred on a ground, its members see the case and give their advice."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.reconsideration.choices import CommitteeGround
from fuyuan.reconsideration.queries import visible_to
from fuyuan.reconsideration.workflow import ReconsiderationError, record_committee_advice, refer_to_committee
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, events_of

pytestmark = pytest.mark.django_db


def test_the_committees_advice_is_recorded_by_a_member_who_sees_only_that_case(world: World, clock) -> None:
    member = world.users["coordinator"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    other = accepted(world, contested_act="另一行政行为")
    assert not visible_to(member).exists()

    review = refer_to_committee(app, ground=CommitteeGround.TECHNICAL, members=[member], by=world.users["recon_pref"])
    assert list(visible_to(member)) == [app]
    assert other not in visible_to(member)
    clock(D(2026, 10, 9))
    review = record_committee_advice(review, advice="建议撤销：鉴定意见不能采信", by=member)

    assert (review.advised_on, review.advice) == (D(2026, 10, 9), "建议撤销：鉴定意见不能采信")
    assert events_of(app)[-2:] == ["referred_to_committee", "committee_advice"]
    with pytest.raises(ReconsiderationError, match="已于"):
        record_committee_advice(review, advice="again", by=member)


def test_a_referral_needs_a_ground_and_members_and_advice_comes_from_them(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    with pytest.raises(ReconsiderationError, match="第52条"):
        refer_to_committee(app, ground="whim", members=[world.users["coordinator"]], by=world.users["recon_pref"])
    with pytest.raises(ReconsiderationError, match="委员"):
        refer_to_committee(app, ground=CommitteeGround.MAJOR, members=[], by=world.users["recon_pref"])
    review = refer_to_committee(
        app, ground=CommitteeGround.MAJOR, members=[world.users["coordinator"]], by=world.users["recon_pref"]
    )

    with pytest.raises(PermissionDenied):
        record_committee_advice(review, advice="x", by=world.users["agency_duyun"])
