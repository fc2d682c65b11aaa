"""The 移送纪委监委 pages: who sees which transfer (a matrix of personas × transfers), the yearly review list and its
提出移送 action, the step forms, refusals shown to the user, and query bounds."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability import transfers
from fuyuan.accountability.models import ClueKind, ClueTransfer, LossCause, TransferState
from fuyuan.core.models import User
from tests.accountability.test_transfers import Clues, build_clues, make_review, propose, submit, transfer
from tests.factories import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clues(world: World) -> Clues:
    return build_clues(world)


@pytest.fixture
def staged(clues: Clues) -> dict[str, ClueTransfer]:
    """都匀不作为: 县级初审; 都匀乱作为: 已移送; 福泉乱作为: 已反馈."""
    county = propose(clues)
    moved = transfer(clues, submit(clues, propose(clues, "都匀乱作为")))
    done = transfer(clues, submit(clues, propose(clues, "福泉乱作为", by="rol_fuquan"), by="rol_fuquan"))
    done = transfers.acknowledge(done, by=clues.user("jw_pref"))
    done = transfers.answer(done, result="已立案", by=clues.user("jw_pref"))
    return {"初审": county, "已移送": moved, "已反馈": done}


# Only the roles involved (issue 6 §4; SPEC §2): the case's county office, the prefecture office, and the receiving
# commission's liaison from 已移送 on. Leaders, agencies, courts and everyone else: nothing.
MATRIX = {
    "rol_pref": {"初审", "已移送", "已反馈"},
    "rol_duyun": {"初审", "已移送"},
    "rol_fuquan": {"已反馈"},
    "jw_pref": {"已移送", "已反馈"},
    "jw_anyang": set(),
    "discipline": set(),
    "rol_province": set(),
    "leader_pref": set(),
    "agency_duyun": set(),
    "agency_fuquan": set(),
    "court_duyun": set(),
    "recon_pref": set(),
    "centre": set(),
    "coordinator": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
LIST_STATUS = {"rol_pref": 200, "rol_duyun": 200, "rol_fuquan": 200, "jw_pref": 200, "jw_anyang": 200,
               "discipline": 200}  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), MATRIX.items())
def test_each_persona_sees_exactly_the_transfers_it_is_involved_in(
    clues: Clues, staged: dict[str, ClueTransfer], name: str, expected: set[str]
) -> None:
    user = clues.user(name)
    assert {k for k, t in staged.items() if transfers.transfers_visible_to(user).filter(pk=t.pk).exists()} == expected
    client = client_of(user)
    for key, t in staged.items():
        status = client.get(reverse("accountability:transfer_detail", args=[t.pk])).status_code
        assert status == (200 if key in expected else 404), (name, key)
    listing = client.get(reverse("accountability:transfer_list"))
    assert listing.status_code == LIST_STATUS.get(name, 403)
    if listing.status_code == 200:
        shown = {k for k, t in staged.items() if t.review.case.number in listing.content.decode()}
        assert shown == expected


@pytest.mark.parametrize("name", ["leader_pref", "agency_duyun", "court_duyun", "jw_pref", "rol_province"])
def test_the_yearly_review_is_refused_to_everyone_but_the_offices(clues: Clues, name: str) -> None:
    assert client_of(clues.user(name)).get(reverse("accountability:transfer_candidates")).status_code == 403


def test_the_yearly_review_lists_the_candidates_and_proposes_one(clues: Clues) -> None:
    client = client_of(clues.user("rol_duyun"))
    page = client.get(reverse("accountability:transfer_candidates"), {"year": 2026}).content.decode()
    numbers = {k: r.case.number for k, r in clues.reviews.items()}
    assert numbers["都匀不作为"] in page and numbers["都匀乱作为"] in page
    for other in ("都匀程序", "都匀未办结", "都匀已撤销", "都匀2025", "福泉乱作为"):
        assert numbers[other] not in page
    review = clues.reviews["都匀不作为"]
    url = reverse("accountability:transfer_propose", args=[review.pk])
    response = client.post(url, {f"r{review.pk}-clue": ClueKind.INACTION, f"r{review.pk}-facts": "长期不予查处"})
    t = ClueTransfer.objects.get(review=review)
    assert response.status_code == 302 and response["Location"] == transfers.link(t)
    page = client.get(transfers.link(t)).content.decode()
    assert "长期不予查处" in page and "县级初审" in page and "初审完成，报州级复核" in page
    again = client.get(reverse("accountability:transfer_candidates"), {"year": 2026}).content.decode()
    assert again.count('data-testid="propose-form"') == 1  # only 都匀乱作为 still has the action


def test_a_proposal_without_facts_is_refused_with_the_reason_on_the_review_list(clues: Clues) -> None:
    client = client_of(clues.user("rol_duyun"))
    review = clues.reviews["都匀不作为"]
    url = reverse("accountability:transfer_propose", args=[review.pk])
    response = client.post(url, {f"r{review.pk}-clue": ClueKind.INACTION, f"r{review.pk}-facts": ""}, follow=True)
    assert "请填写线索事实" in response.content.decode()
    assert not ClueTransfer.objects.exists()


def test_another_countys_office_cannot_propose_by_address(clues: Clues) -> None:
    review = clues.reviews["都匀不作为"]
    url = reverse("accountability:transfer_propose", args=[review.pk])
    response = client_of(clues.user("rol_fuquan")).post(
        url, {f"r{review.pk}-clue": "inaction", f"r{review.pk}-facts": "x"}
    )
    assert response.status_code == 404
    assert not ClueTransfer.objects.exists()


def test_the_steps_are_taken_on_the_transfer_page(clues: Clues) -> None:
    t = propose(clues)
    step = lambda name: reverse("accountability:transfer_step", args=[t.pk, name])  # noqa: E731
    assert client_of(clues.user("rol_duyun")).post(step("submit")).status_code == 302
    pref = client_of(clues.user("rol_pref"))
    page = pref.get(transfers.link(t)).content.decode()
    assert "登记移送" in page and "不予移送" in page
    response = pref.post(step("transfer"), {"transfer-on": timezone.localdate().isoformat(), "transfer-number": ""})
    assert response.status_code == 200 and "请填写移送文号" in response.content.decode()
    pref.post(
        step("transfer"), {"transfer-on": timezone.localdate().isoformat(), "transfer-number": "黔南法办移〔2026〕2号"}
    )
    jw = client_of(clues.user("jw_pref"))
    assert "签收问题线索" in jw.get(transfers.link(t)).content.decode()
    jw.post(step("acknowledge"))
    jw.post(step("answer"), {"answer-result": "给予诫勉谈话"})
    t.refresh_from_db()
    assert (t.state, t.result) == (TransferState.ANSWERED, "给予诫勉谈话")
    page = client_of(clues.user("rol_duyun")).get(transfers.link(t)).content.decode()
    assert "给予诫勉谈话" in page and "黔南法办移〔2026〕2号" in page and "本事项已反馈" in page


def test_a_step_of_another_role_is_refused_and_a_step_out_of_turn_shows_the_reason(clues: Clues) -> None:
    t = propose(clues)
    step = lambda name: reverse("accountability:transfer_step", args=[t.pk, name])  # noqa: E731
    assert client_of(clues.user("rol_duyun")).post(step("transfer"), {"transfer-on": "2026-01-05"}).status_code == 403
    response = client_of(clues.user("rol_pref")).post(
        step("transfer"), {"transfer-on": timezone.localdate().isoformat(), "transfer-number": "1号"}
    )
    assert response.status_code == 200
    assert "当前状态为“县级初审”，不能移送" in response.content.decode()
    t.refresh_from_db()
    assert t.state == TransferState.COUNTY


def test_the_pages_query_count_does_not_grow_with_rows(
    world: World, clues: Clues, staged: dict[str, ClueTransfer], django_assert_max_num_queries
) -> None:
    for _ in range(6):
        r = make_review(world, "都匀自然资源局", "都匀法院", [LossCause.NON_PERFORMANCE])
        transfers.propose(r, clue=ClueKind.INACTION, facts="x", by=clues.user("rol_duyun"))
    client = client_of(clues.user("rol_pref"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accountability:transfer_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accountability:transfer_candidates"), {"year": 2026}).status_code == 200
