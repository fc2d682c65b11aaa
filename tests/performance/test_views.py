"""The performance pages through the Django test client: the list for each role with a bounded number of queries,
a refusal shown next to its form with nothing written, opening an item from the case page, the proof scoped."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Event
from fuyuan.performance.models import ItemState, PerformanceItem
from fuyuan.performance.workflow import report_performance
from tests.factories import PASSWORD, World, make_case
from tests.performance.conftest import D, judge, pdf

pytestmark = pytest.mark.django_db


def client_of(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", ["court_duyun", "agency_duyun", "rol_pref"])
def test_the_list_shows_each_role_its_items_in_a_bounded_number_of_queries(
    persona: str, world: World, clock, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 3))
    for _ in range(6):
        judge(make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]), world)
    client = client_of(persona)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("performance:list"))
    assert page.content.decode().count('data-testid="performance-row"') == 6


def test_roles_without_items_are_refused_the_list(world: World) -> None:
    assert client_of("centre").get(reverse("performance:list")).status_code == 403


def test_a_report_without_proof_is_refused_next_to_the_form_and_nothing_is_written(
    lost: PerformanceItem, files
) -> None:  # type: ignore[no-untyped-def]
    events = Event.objects.count()
    page = client_of("agency_duyun").post(reverse("performance:report", args=[lost.pk]), {"r-text": "已支付"})
    assert page.status_code == 400 and "请上传履行证明材料" in page.content.decode()
    lost.refresh_from_db()
    assert lost.state == ItemState.OPEN and Event.objects.count() == events


def test_the_court_opens_a_second_item_from_the_case_page_and_the_agency_may_not(
    lost: PerformanceItem, world: World
) -> None:
    case_page = client_of("court_duyun").get(reverse("cases:detail", args=[lost.case_id])).content.decode()
    assert 'data-testid="case-performance-item"' in case_page and 'data-testid="open-performance"' in case_page
    url = reverse("performance:open", args=[lost.case_id])
    assert client_of("agency_duyun").get(url).status_code == 403
    done = client_of("court_duyun").post(
        url, {"t-duty": "redo", "t-text": "重新作出行政行为", "t-due_on": "2026-12-31"}
    )
    assert done.status_code == 302
    assert PerformanceItem.objects.filter(case=lost.case).count() == 2


def test_the_proof_is_served_only_to_those_who_see_the_item(lost: PerformanceItem, world: World, files) -> None:  # type: ignore[no-untyped-def]
    report_performance(lost, text="已支付", upload=pdf(), by=world.users["agency_duyun"])
    url = reverse("performance:proof", args=[lost.pk])
    assert client_of("court_duyun").get(url).status_code == 200
    assert client_of("agency_fuquan").get(url).status_code == 404
