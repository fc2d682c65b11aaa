"""Coordinator matching (SPEC §6.2): who is proposed for a dispute, in which order, and why."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fuyuan.core.models import Organisation, OrganisationKind
from fuyuan.disputes.choices import AssignmentRole, DisputeState
from fuyuan.disputes.matching import propose
from fuyuan.disputes.models import Assignment, Conflict, Coordinator, Dispute
from fuyuan.disputes.workflow import (
    Choice,
    DisputeError,
    accept_dispute,
    assign_coordinators,
    conclude_mediated,
    conclude_withdrawn,
)
from tests.disputes.consent import WRITTEN
from tests.factories import World, local_today, make_coordinator, make_dispute, make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

LAND = "申请人不服都匀市自然资源局作出的宅基地不动产登记行为"  # classified 自然资源
NATURAL_RESOURCES = "natural_resources"


def dispute_at(world: World, centre: str = "州中心", agency: str = "都匀自然资源局", **values: object) -> Dispute:
    """A dispute accepted by the centre, waiting for its 专班."""
    values.setdefault("matter", LAND)
    values.setdefault("applicants", "张三、李四")
    staff = world.users["centre" if centre == "州中心" else "centre_duyun"]
    return accept_dispute(
        make_dispute(world.orgs[centre], agency=world.orgs[agency], **values), by=staff, consent=WRITTEN
    )


def give_load(world: World, coordinator: Coordinator, n: int, *, state: str = DisputeState.ASSIGNED) -> None:
    """``n`` disputes in hand (assignments written directly: this is a read test)."""
    for _ in range(n):
        d = dispute_at(world, matter="不服公安局罚款决定", applicants="路人甲")
        Dispute.objects.filter(pk=d.pk).update(state=state)
        Assignment.objects.create(
            dispute=d, coordinator=coordinator, assigned_at=timezone.now(), assigned_by=world.users["centre"]
        )


def give_successes(world: World, coordinator: Coordinator, n: int, *, matter: str = LAND) -> None:
    """``n`` disputes mediated with ``coordinator`` on the 专班."""
    staff = world.users["centre"]
    for _ in range(n):
        d = assign_coordinators(dispute_at(world, matter=matter, applicants="路人乙"), [Choice(coordinator)], by=staff)
        conclude_mediated(d, terms="重新核定并登记", by=staff)


def names(proposals: list) -> list[str]:
    return [p.coordinator.name for p in proposals]


def province_org(world: World) -> Organisation:
    return make_org("贵州省司法厅", world.regions["省"], OrganisationKind.JUSTICE_BUREAU)


# --- who is never proposed -----------------------------------------------------------------------------------


def test_a_coordinator_with_a_conflict_with_the_agency_is_never_proposed_even_when_best_on_every_count(
    world: World,
) -> None:
    best = make_coordinator("全优专家", org=world.orgs["都匀司法局"], domains=[NATURAL_RESOURCES])
    give_successes(world, best, 3)
    Conflict.objects.create(coordinator=best, organisation=world.orgs["都匀自然资源局"], reason="配偶在该局任职")
    other = make_coordinator("普通专家", org=world.orgs["州司法局"])

    proposals = propose(dispute_at(world), today=local_today())

    assert names(proposals) == [other.name]


def test_a_coordinator_with_a_conflict_with_an_applicant_by_name_is_never_proposed(world: World) -> None:
    best = make_coordinator("全优专家", org=world.orgs["都匀司法局"], domains=[NATURAL_RESOURCES])
    Conflict.objects.create(coordinator=best, person_name="李四", reason="与申请人李四系同学")
    other = make_coordinator("普通专家", org=world.orgs["州司法局"])

    assert names(propose(dispute_at(world, applicants="张三、李四"), today=local_today())) == [other.name]
    # The same applicant named first among many ("李四等12人") is recognised too.
    assert names(propose(dispute_at(world, applicants="李四等12人"), today=local_today())) == [other.name]
    # Another applicant's dispute may have the expert.
    assert names(propose(dispute_at(world, applicants="王五"), today=local_today()))[0] == best.name


def test_assigning_a_coordinator_in_conflict_with_an_applicant_is_refused_with_the_reason(world: World) -> None:
    expert = make_coordinator("全优专家", org=world.orgs["都匀司法局"], domains=[NATURAL_RESOURCES])
    Conflict.objects.create(coordinator=expert, person_name="李四", reason="与申请人李四系同学")
    dispute = dispute_at(world, applicants="李四等12人")

    with pytest.raises(DisputeError, match="全优专家 已申报回避（与申请人李四系同学），不能指派"):
        assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=world.users["centre"])

    assert not dispute.assignments.exists()


def test_an_unavailable_coordinator_is_not_proposed_until_the_day_after_their_unavailability(world: World) -> None:
    org = world.orgs["都匀司法局"]
    make_coordinator("停派专家", org=org, available=False)
    make_coordinator("出差到今天", org=org, unavailable_until=local_today())
    make_coordinator("出差到明天", org=org, unavailable_until=local_today() + datetime.timedelta(days=1))
    make_coordinator("昨天已回", org=org, unavailable_until=local_today() - datetime.timedelta(days=1))
    make_coordinator("已出库", org=org, active=False)

    assert names(propose(dispute_at(world), today=local_today())) == ["昨天已回"]


def test_a_coordinator_at_their_limit_is_not_proposed_and_only_open_disputes_count_towards_it(world: World) -> None:
    full = make_coordinator("满负荷", org=world.orgs["都匀司法局"], max_load=2)
    give_load(world, full, 2)

    assert "满负荷" not in names(propose(dispute_at(world), today=local_today()))

    # One of the two is concluded: a place is free again.
    closed = full.assignments.first()
    assert closed is not None
    conclude_withdrawn(closed.dispute, reason="other", by=world.users["centre"])
    proposals = propose(dispute_at(world), today=local_today())
    assert names(proposals) == ["满负荷"]
    assert "在办 1 件（上限 2）" in proposals[0].reasons


def test_a_released_assignment_does_not_count_towards_the_load(world: World) -> None:
    busy = make_coordinator("已退出", org=world.orgs["都匀司法局"], max_load=1)
    give_load(world, busy, 1)
    Assignment.objects.filter(coordinator=busy).update(released_at=timezone.now())

    assert names(propose(dispute_at(world), today=local_today())) == ["已退出"]


def test_a_coordinator_already_on_the_team_is_not_proposed_again(world: World) -> None:
    expert = make_coordinator("已在专班", org=world.orgs["都匀司法局"])
    other = make_coordinator("另一专家", org=world.orgs["州司法局"])
    dispute = assign_coordinators(dispute_at(world), [Choice(expert, AssignmentRole.LEAD)], by=world.users["centre"])

    assert names(propose(dispute, today=local_today())) == [other.name]


# --- the order ---------------------------------------------------------------------------------------------------


def test_domain_expertise_beats_the_region_the_load_and_past_successes(world: World) -> None:
    expert = make_coordinator("省厅林地专家", org=province_org(world), domains=[NATURAL_RESOURCES], max_load=6)
    give_load(world, expert, 5)
    local = make_coordinator("都匀本地专家", org=world.orgs["都匀司法局"], domains=["labour"])
    # The local one has mediated this domain before, but does not declare it.
    give_successes(world, local, 3)

    proposals = propose(dispute_at(world), today=local_today())

    assert names(proposals) == ["省厅林地专家", "都匀本地专家"]
    assert proposals[0].reasons[0] == "擅长自然资源"
    assert proposals[0].score > proposals[1].score


def test_same_county_beats_same_prefecture_beats_elsewhere_whatever_the_load_and_record(world: World) -> None:
    county = make_coordinator("都匀专家", org=world.orgs["都匀司法局"], max_load=9)
    give_load(world, county, 8)
    prefecture = make_coordinator("福泉专家", org=make_org("福泉市司法局", world.regions["福泉市"]))
    province = make_coordinator("省厅专家", org=province_org(world))
    give_successes(world, prefecture, 3)
    give_successes(world, province, 3)

    proposals = propose(dispute_at(world), today=local_today())

    assert names(proposals) == ["都匀专家", "福泉专家", "省厅专家"]
    assert "同在都匀市" in proposals[0].reasons
    assert "同属黔南州" in proposals[1].reasons
    assert not any(r.startswith(("同在", "同属")) for r in proposals[2].reasons)


def test_for_an_agency_of_the_prefecture_itself_its_own_level_comes_before_the_counties(world: World) -> None:
    own = make_coordinator("州级专家", org=world.orgs["州司法局"])
    county = make_coordinator("都匀专家", org=world.orgs["都匀司法局"])

    proposals = propose(dispute_at(world, agency="州人社局", matter="不服工伤认定决定"), today=local_today())

    assert names(proposals) == [own.name, county.name]
    assert "同在黔南州本级" in proposals[0].reasons
    assert "同属黔南州" in proposals[1].reasons


def test_a_lighter_load_wins_a_tie(world: World) -> None:
    heavier = make_coordinator("乙专家", org=world.orgs["都匀司法局"])  # its name sorts first
    lighter = make_coordinator("甲专家", org=world.orgs["都匀司法局"])
    give_load(world, heavier, 2)
    give_load(world, lighter, 1)

    proposals = propose(dispute_at(world), today=local_today())

    assert names(proposals) == [lighter.name, heavier.name]
    assert "在办 1 件（上限 5）" in proposals[0].reasons
    assert "在办 2 件（上限 5）" in proposals[1].reasons


def test_past_mediations_in_the_disputes_domain_count_and_others_do_not(world: World) -> None:
    experienced = make_coordinator("乙专家", org=world.orgs["都匀司法局"])
    other_domain = make_coordinator("甲专家", org=world.orgs["都匀司法局"])
    give_successes(world, experienced, 2)
    give_successes(world, other_domain, 2, matter="不服工伤认定决定")
    # Their loads are equal again: the mediated disputes are closed.

    proposals = propose(dispute_at(world), today=local_today())

    assert names(proposals) == [experienced.name, other_domain.name]
    assert "本领域调解成功 2 件" in proposals[0].reasons
    assert not any("调解成功" in r for r in proposals[1].reasons)


def test_every_proposal_carries_its_reasons_in_chinese(world: World) -> None:
    make_coordinator("林地专家", org=world.orgs["都匀司法局"], domains=[NATURAL_RESOURCES])
    make_coordinator("州级专家", org=world.orgs["州司法局"])

    proposals = propose(dispute_at(world), today=local_today())

    assert [p.reason_text for p in proposals] == [
        "擅长自然资源；同在都匀市；在办 0 件（上限 5）",
        "同属黔南州；在办 0 件（上限 5）",
    ]


# --- the pool --------------------------------------------------------------------------------------------------


def test_a_county_centre_calls_on_its_own_and_the_prefectures_pool_but_not_another_countys(world: World) -> None:
    make_coordinator("都匀专家", org=world.orgs["都匀司法局"])
    make_coordinator("州级专家", org=world.orgs["州司法局"])
    make_coordinator("福泉专家", org=make_org("福泉市司法局", world.regions["福泉市"]))
    make_coordinator("安阳专家", org=world.orgs["安阳司法局"])

    at_county = propose(dispute_at(world, centre="都匀中心"), today=local_today())
    at_prefecture = propose(dispute_at(world, centre="州中心"), today=local_today())

    assert sorted(names(at_county)) == sorted(["都匀专家", "州级专家"])
    assert sorted(names(at_prefecture)) == sorted(["都匀专家", "州级专家", "福泉专家"])


def test_the_proposal_takes_a_fixed_number_of_queries_whatever_the_pool(
    world: World, django_assert_max_num_queries
) -> None:
    for n in range(30):
        c = make_coordinator(f"专家{n:02d}", org=world.orgs["都匀司法局"], domains=[NATURAL_RESOURCES])
        Conflict.objects.create(coordinator=c, person_name=f"某人{n}", reason="亲属")
    dispute = Dispute.objects.get(pk=dispute_at(world).pk)

    with django_assert_max_num_queries(8):
        proposals = propose(dispute, today=local_today(), limit=10)

    assert len(proposals) == 10
