"""移送纪委监委 (SPEC §6.3; issue 6 §4): the year's closed losses whose 倒查 names 不履行法定职责 (不作为) or 超越
职权/滥用职权 (乱作为) are candidates; a proposal goes 县级初审 → 州级复核 → 已移送 → 已签收 → 已反馈 (or 不予移送),
each step by its owner, each with an Event and a message to the next actor."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from fuyuan.accountability import transfers
from fuyuan.accountability.models import ClueKind, ClueTransfer, LossCause, LossReview, LossReviewState, TransferState
from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Channel, Notification
from tests.factories import World, make_case, make_org, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

C = LossCause


def closed(year: int, month: int = 6) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, 15, 10, 0))


@dataclass
class Clues:
    world: World
    reviews: dict[str, LossReview]
    discipline: Organisation
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users.get(name) or self.world.users[name]


def make_review(world: World, agency: str, court: str, causes: list[str], *, state: str = LossReviewState.CLOSED,
                closed_at: datetime.datetime | None = None) -> LossReview:  # fmt: skip
    o = world.orgs
    case = make_case(
        defendant=o[agency], court=o[court], outcome=LitigationOutcome.REVOKED, concluded_on=datetime.date(2026, 2, 1)
    )
    return LossReview.objects.create(
        case=case,
        agency=o[agency],
        court=o[court],
        state=state,
        outcome=LitigationOutcome.REVOKED,
        opened_at=closed(2026, 2),
        causes=causes,
        analysis="未依法履行查处职责",
        responsible_persons="执法大队 李四",
        closed_at=closed_at if closed_at is not None else (closed(2026) if state == LossReviewState.CLOSED else None),
    )


def build_clues(world: World) -> Clues:
    r = world.regions
    d, f = ("都匀自然资源局", "都匀法院"), ("福泉公安局", "福泉法院")
    reviews = {
        "都匀不作为": make_review(world, *d, [C.PROCEDURE, C.NON_PERFORMANCE]),
        "都匀乱作为": make_review(world, *d, [C.ULTRA_VIRES]),
        "都匀程序": make_review(world, *d, [C.PROCEDURE, C.FACTS]),
        "都匀未办结": make_review(world, *d, [C.NON_PERFORMANCE], state=LossReviewState.DECISION),
        "都匀已撤销": make_review(world, *d, [C.NON_PERFORMANCE], state=LossReviewState.WITHDRAWN),
        "都匀2025": make_review(world, *d, [C.NON_PERFORMANCE], closed_at=closed(2025, 12)),
        "福泉乱作为": make_review(world, *f, [C.ULTRA_VIRES, C.LAW]),
    }
    discipline = make_org("中共黔南州纪律检查委员会 黔南州监察委员会", r["黔南州"], OrganisationKind.DISCIPLINE)
    anyang = make_org("安阳市纪委监委", r["安阳市"], OrganisationKind.DISCIPLINE)
    users = {
        "jw_pref": make_user("jw_pref", Role.DISCIPLINE_LIAISON, org=discipline),
        "jw_anyang": make_user("jw_anyang", Role.DISCIPLINE_LIAISON, org=anyang),
        "rol_fuquan": make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=r["福泉市"]),
        "rol_province": make_user("rol_province", Role.RULE_OF_LAW_OFFICE, region=r["省"]),
    }
    return Clues(world, reviews, discipline, users)


@pytest.fixture
def clues(world: World) -> Clues:
    return build_clues(world)


def propose(clues: Clues, key: str = "都匀不作为", by: str = "rol_duyun") -> ClueTransfer:
    return transfers.propose(
        clues.reviews[key], clue=ClueKind.INACTION, facts="对违法占地长期不予查处", by=clues.user(by)
    )


def submit(clues: Clues, t: ClueTransfer, by: str = "rol_duyun") -> ClueTransfer:
    return transfers.submit(t, by=clues.user(by))


def transfer(clues: Clues, t: ClueTransfer, by: str = "rol_pref") -> ClueTransfer:
    return transfers.transfer_clue(t, on=timezone.localdate(), number="黔南法办移〔2026〕1号", by=clues.user(by))


def inbox(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
        .order_by("id")
        .values_list("subject", flat=True)
    )


def candidate_keys(clues: Clues, by: str, year: int = 2026) -> set[str]:
    found = set(transfers.candidates(clues.user(by), year).values_list("pk", flat=True))
    return {k for k, r in clues.reviews.items() if r.pk in found}


# ---------------------------------------------------------------------------------------------------------------
# The yearly review list


def test_the_candidates_are_exactly_the_years_closed_losses_naming_non_performance_or_ultra_vires(clues: Clues) -> None:
    assert candidate_keys(clues, "rol_pref") == {"都匀不作为", "都匀乱作为", "福泉乱作为"}
    assert candidate_keys(clues, "rol_duyun") == {"都匀不作为", "都匀乱作为"}
    assert candidate_keys(clues, "rol_fuquan") == {"福泉乱作为"}
    assert candidate_keys(clues, "rol_pref", 2025) == {"都匀2025"}


@pytest.mark.parametrize(
    "name", ["leader_pref", "agency_duyun", "court_duyun", "recon_pref", "centre", "discipline", "jw_pref",
             "rol_province", "sysadmin"],
)  # fmt: skip
def test_nobody_but_a_county_or_prefecture_office_has_candidates(clues: Clues, name: str) -> None:
    assert candidate_keys(clues, name) == set()


def test_the_suggested_clue_follows_the_causes(clues: Clues) -> None:
    assert transfers.clue_of(clues.reviews["都匀不作为"]) == ClueKind.INACTION
    assert transfers.clue_of(clues.reviews["福泉乱作为"]) == ClueKind.MISCONDUCT


# ---------------------------------------------------------------------------------------------------------------
# The whole path


def test_a_clue_goes_from_the_county_to_the_prefecture_to_the_discipline_commission_and_back(clues: Clues) -> None:
    t = propose(clues)
    assert (t.state, t.year, t.county.name, t.prefecture.name) == (TransferState.COUNTY, 2026, "都匀市", "黔南州")

    t = submit(clues, t)
    assert t.state == TransferState.PREFECTURE
    assert inbox(clues.user("rol_pref")) == ["【移送纪委】请复核移送线索"]

    t = transfer(clues, t)
    assert t.state == TransferState.TRANSFERRED
    assert (t.discipline, t.transfer_number) == (clues.discipline, "黔南法办移〔2026〕1号")
    assert inbox(clues.user("jw_pref")) == ["【移送纪委】请签收问题线索"]
    assert inbox(clues.user("jw_anyang")) == []

    t = transfers.acknowledge(t, by=clues.user("jw_pref"))
    assert t.state == TransferState.ACKNOWLEDGED
    assert inbox(clues.user("rol_pref"))[-1] == "【移送纪委】线索已签收"

    t = transfers.answer(t, result="已立案审查，给予相关责任人政务警告处分", by=clues.user("jw_pref"))
    t.refresh_from_db()
    assert (t.state, t.result) == (TransferState.ANSWERED, "已立案审查，给予相关责任人政务警告处分")
    assert inbox(clues.user("rol_pref"))[-1] == "【移送纪委】处理结果已反馈"
    assert inbox(clues.user("rol_duyun"))[-1] == "【移送纪委】处理结果已反馈"
    actions = [e.action for e in timeline(t).order_by("at", "id")]
    assert actions == ["proposed", "submitted", "transferred", "acknowledged", "answered"]


def test_the_prefecture_rejects_a_clue_with_a_reason_and_the_county_is_told(clues: Clues) -> None:
    t = submit(clues, propose(clues))
    with pytest.raises(transfers.TransferError, match="请填写不予移送的理由"):
        transfers.reject(t, reason="  ", by=clues.user("rol_pref"))
    t = transfers.reject(t, reason="系法律适用认识分歧，不属于不作为", by=clues.user("rol_pref"))
    t.refresh_from_db()
    assert (t.state, t.reject_reason) == (TransferState.REJECTED, "系法律适用认识分歧，不属于不作为")
    assert inbox(clues.user("rol_duyun"))[-1] == "【移送纪委】复核不予移送"
    assert inbox(clues.user("jw_pref")) == []
    with pytest.raises(transfers.TransferError, match="不予移送"):
        transfer(clues, t)
    assert timeline(t).filter(action="rejected").count() == 1


def test_the_prefecture_office_may_propose_a_loss_of_its_county(clues: Clues) -> None:
    t = propose(clues, "福泉乱作为", by="rol_pref")
    assert t.county.name == "福泉市"
    assert submit(clues, t, by="rol_pref").state == TransferState.PREFECTURE


# ---------------------------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    "name", ["rol_fuquan", "leader_pref", "agency_duyun", "court_duyun", "jw_pref", "discipline", "rol_province"]
)
def test_only_the_office_of_the_cases_county_or_prefecture_proposes(clues: Clues, name: str) -> None:
    with pytest.raises(PermissionDenied):
        propose(clues, by=name)
    assert not ClueTransfer.objects.exists()


@pytest.mark.parametrize("key", ["都匀程序", "都匀未办结", "都匀已撤销"])
def test_a_loss_that_is_not_a_candidate_cannot_be_proposed(clues: Clues, key: str) -> None:
    with pytest.raises(transfers.TransferError, match="只有已办结"):
        propose(clues, key)


def test_a_loss_is_proposed_once_and_the_database_refuses_a_second_transfer(clues: Clues) -> None:
    t = propose(clues)
    with pytest.raises(transfers.TransferError, match="已提出移送"):
        propose(clues, by="rol_pref")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClueTransfer.objects.create(
            review=t.review, year=2026, county=t.county, prefecture=t.prefecture, clue=ClueKind.INACTION,
            facts="重复", proposed_at=timezone.now(),
        )  # fmt: skip


def test_a_proposal_needs_the_facts(clues: Clues) -> None:
    with pytest.raises(transfers.TransferError, match="请填写线索事实"):
        transfers.propose(clues.reviews["都匀不作为"], clue=ClueKind.INACTION, facts=" ", by=clues.user("rol_duyun"))


@pytest.mark.parametrize("name", ["rol_fuquan", "leader_pref", "jw_pref"])
def test_only_the_proposing_side_submits_to_the_prefecture(clues: Clues, name: str) -> None:
    t = propose(clues)
    with pytest.raises(PermissionDenied):
        submit(clues, t, by=name)


@pytest.mark.parametrize("name", ["rol_duyun", "rol_fuquan", "leader_pref", "jw_pref", "rol_province"])
def test_only_the_prefecture_office_reviews_and_transfers(clues: Clues, name: str) -> None:
    t = submit(clues, propose(clues))
    with pytest.raises(PermissionDenied):
        transfer(clues, t, by=name)
    with pytest.raises(PermissionDenied):
        transfers.reject(t, reason="不予移送", by=clues.user(name))
    t.refresh_from_db()
    assert t.state == TransferState.PREFECTURE


def test_a_clue_is_not_transferred_before_the_county_submits_it(clues: Clues) -> None:
    with pytest.raises(transfers.TransferError, match="县级初审"):
        transfer(clues, propose(clues))


def test_a_clue_is_not_transferred_where_no_discipline_commission_is_registered(clues: Clues) -> None:
    t = submit(clues, propose(clues))
    Organisation.objects.filter(pk=clues.discipline.pk).update(kind=OrganisationKind.OTHER)
    with pytest.raises(transfers.TransferError, match="尚未登记纪委监委"):
        transfer(clues, t)


@pytest.mark.parametrize("name", ["jw_anyang", "discipline", "rol_pref", "rol_duyun"])
def test_only_the_liaison_of_the_receiving_commission_acknowledges_and_answers(clues: Clues, name: str) -> None:
    t = transfer(clues, submit(clues, propose(clues)))
    with pytest.raises(PermissionDenied):
        transfers.acknowledge(t, by=clues.user(name))
    t = transfers.acknowledge(t, by=clues.user("jw_pref"))
    with pytest.raises(PermissionDenied):
        transfers.answer(t, result="已处理", by=clues.user(name))


def test_the_result_comes_after_the_acknowledgement_and_is_given_once(clues: Clues) -> None:
    t = transfer(clues, submit(clues, propose(clues)))
    with pytest.raises(transfers.TransferError, match="已移送"):
        transfers.answer(t, result="已处理", by=clues.user("jw_pref"))
    t = transfers.acknowledge(t, by=clues.user("jw_pref"))
    with pytest.raises(transfers.TransferError, match="请填写处理结果"):
        transfers.answer(t, result="", by=clues.user("jw_pref"))
    transfers.answer(t, result="已处理", by=clues.user("jw_pref"))
    with pytest.raises(transfers.TransferError, match="已反馈"):
        transfers.acknowledge(t, by=clues.user("jw_pref"))


def test_a_transfer_date_in_the_future_is_refused(clues: Clues) -> None:
    t = submit(clues, propose(clues))
    with pytest.raises(transfers.TransferError, match="不能晚于今天"):
        transfers.transfer_clue(
            t, on=timezone.localdate() + datetime.timedelta(days=1), number="1号", by=clues.user("rol_pref")
        )
