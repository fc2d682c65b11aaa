"""The loss-review pages: who sees which reviews (a matrix of personas × reviews), the list's filters and query
bound, the step forms, and refusals shown to the user."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability.models import LossReview, LossReviewState
from fuyuan.accountability.queries import loss_reviews_visible_to
from fuyuan.core.models import User
from tests.accountability.test_loss_workflow import lose
from tests.factories import World, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def reviews(world: World) -> dict[str, LossReview]:
    o = world.orgs
    duyun = lose(world, make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"], number="（2026）黔2701行初1号"))
    fuquan = make_case(defendant=o["福泉公安局"], court=o["福泉法院"], number="（2026）黔2702行初2号")
    fuquan = lose(world, fuquan)
    pref = lose(world, make_case(defendant=o["州人社局"], court=o["州中院"], number="（2026）黔27行初3号"))
    return {name: LossReview.objects.get(case=c) for name, c in (("都匀", duyun), ("福泉", fuquan), ("州本级", pref))}


# Who sees which review (SPEC §2): region-wide roles their subtree; an agency its own; a court its court's.
MATRIX = {
    "rol_pref": {"都匀", "福泉", "州本级"},
    "leader_pref": {"都匀", "福泉", "州本级"},
    "rol_duyun": {"都匀"},
    "agency_duyun": {"都匀"},
    "agency_fuquan": {"福泉"},
    "court_duyun": {"都匀"},
    "recon_pref": set(),
    "centre": set(),
    "centre_duyun": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}


@pytest.mark.parametrize(("name", "expected"), MATRIX.items())
def test_each_persona_sees_exactly_the_reviews_of_its_scope(
    world: World, reviews: dict[str, LossReview], name: str, expected: set[str]
) -> None:
    user = world.users[name]
    names = {k for k, r in reviews.items() if loss_reviews_visible_to(user).filter(pk=r.pk).exists()}
    assert names == expected
    client = Client()
    client.force_login(user)
    for key, review in reviews.items():
        status = client.get(reverse("accountability:loss_detail", args=[review.pk])).status_code
        assert status == (200 if key in expected else 404), (name, key)


@pytest.mark.parametrize("name", ["recon_pref", "centre", "coordinator", "discipline", "sysadmin"])
def test_the_list_is_refused_to_roles_without_reviews(world: World, name: str) -> None:
    client = Client()
    client.force_login(world.users[name])
    assert client.get(reverse("accountability:loss_list")).status_code == 403


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_state_and_current_deadline_and_filters_by_county_and_state(
    world: World, reviews: dict[str, LossReview]
) -> None:
    client = _client(world.users["rol_pref"])
    page = client.get(reverse("accountability:loss_list")).content.decode()
    assert page.count('data-testid="loss-row"') == 3
    assert "待通报" in page and reviews["都匀"].case.number in page
    county = world.regions["福泉市"].pk
    page = client.get(reverse("accountability:loss_list"), {"county": county}).content.decode()
    assert page.count('data-testid="loss-row"') == 1 and "（2026）黔2702行初2号" in page
    page = client.get(reverse("accountability:loss_list"), {"state": LossReviewState.CLOSED}).content.decode()
    assert "暂无败诉问责事项" in page


def test_the_list_query_count_does_not_grow_with_rows(
    world: World, reviews: dict[str, LossReview], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = _client(world.users["rol_pref"])
    client.get(reverse("accountability:loss_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("accountability:loss_list"))
    for i in range(10):
        lose(world, make_case(defendant=world.orgs["都匀自然资源局"], number=f"（2026）黔2701行初{100 + i}号"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accountability:loss_list")).content.decode()
    assert page.count('data-testid="loss-row"') == 13


def test_the_office_records_the_notice_from_the_page(world: World, reviews: dict[str, LossReview]) -> None:
    review = reviews["都匀"]
    client = _client(world.users["rol_duyun"])
    page = client.get(reverse("accountability:loss_detail", args=[review.pk])).content.decode()
    assert "登记败诉通报" in page and "填报倒查分析" not in page
    data = {
        "notice-on": timezone.localdate().isoformat(),
        "notice-number": "都法办通〔2026〕1号",
        "notice-text": "通报",
    }
    response = client.post(reverse("accountability:loss_notice", args=[review.pk]), data, follow=True)
    assert "已登记通报" in response.content.decode()
    assert LossReview.objects.get(pk=review.pk).state == LossReviewState.ANALYSIS


def test_a_refusal_is_shown_next_to_the_form_and_nothing_changes(world: World, reviews: dict[str, LossReview]) -> None:
    review = reviews["都匀"]
    client = _client(world.users["rol_duyun"])
    data = {"notice-on": timezone.localdate().isoformat(), "notice-number": "", "notice-text": " "}
    page = client.post(reverse("accountability:loss_notice", args=[review.pk]), data).content.decode()
    assert 'data-testid="notice-error"' in page and "请填写通报内容" in page
    assert LossReview.objects.get(pk=review.pk).state == LossReviewState.NOTICE


def test_the_agency_submits_its_analysis_with_several_causes(world: World, reviews: dict[str, LossReview]) -> None:
    review = reviews["都匀"]
    _client(world.users["rol_duyun"]).post(
        reverse("accountability:loss_notice", args=[review.pk]),
        {"notice-on": timezone.localdate().isoformat(), "notice-text": "通报"},
    )
    client = _client(world.users["agency_duyun"])
    data = {"analysis-causes": ["late_evidence", "facts"], "analysis-analysis": "逾期举证",
            "analysis-responsible_persons": "张三", "analysis-measures": "台账"}  # fmt: skip
    page = client.post(reverse("accountability:loss_analysis", args=[review.pk]), data, follow=True).content.decode()
    assert "事实不清/证据不足" in page and "逾期举证" in page
    assert LossReview.objects.get(pk=review.pk).state == LossReviewState.INTERVIEW


@pytest.mark.parametrize(
    ("name", "step"),
    [("agency_duyun", "loss_notice"), ("court_duyun", "loss_interview"), ("leader_pref", "loss_decision"),
     ("rol_duyun", "loss_analysis"), ("rol_duyun", "loss_comment"), ("agency_duyun", "loss_comment")],
)  # fmt: skip
def test_posting_a_step_one_may_not_record_is_forbidden(
    world: World, reviews: dict[str, LossReview], name: str, step: str
) -> None:
    review = reviews["都匀"]
    response = _client(world.users[name]).post(reverse(f"accountability:{step}", args=[review.pk]), {})
    assert response.status_code == 403


def test_the_court_liaison_sees_the_comment_form_and_the_agency_does_not(
    world: World, reviews: dict[str, LossReview]
) -> None:
    url = reverse("accountability:loss_detail", args=[reviews["都匀"].pk])
    assert "保存点评" in _client(world.users["court_duyun"]).get(url).content.decode()
    page = _client(world.users["agency_duyun"]).get(url).content.decode()
    assert "保存点评" not in page and "等待依法治办通报" in page
