"""败诉问责 as a list that grows: newest first, paged with its count instead of stopping at 200, the filters kept
across pages, and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.accountability.models import LossReview
from fuyuan.core import paging
from tests.accountability.test_loss_workflow import lose
from tests.factories import World, local_today, make_case

pytestmark = pytest.mark.django_db


def losses(world: World, county: str, n: int, start: int = 0) -> list[str]:
    """``n`` lost cases of one county, each review opened a day after the one before; their numbers, oldest first."""
    agency, court = {"都匀": ("都匀自然资源局", "都匀法院"), "福泉": ("福泉公安局", "福泉法院")}[county]
    numbers = []
    for i in range(start, start + n):
        number = f"（2026）{county}行初{i}号"
        lose(world, make_case(defendant=world.orgs[agency], court=world.orgs[court], number=number))
        opened = datetime.datetime.combine(local_today(), datetime.time(8)) - datetime.timedelta(days=100 - i)
        LossReview.objects.filter(case__number=number).update(opened_at=opened.astimezone(datetime.UTC))
        numbers.append(number)
    return numbers


def rows(html: str) -> list[str]:
    return re.findall(r'class="fw-semibold">([^<]+)</a></td>', html.split('data-testid="loss-list"')[1])


@pytest.fixture
def office(world: World) -> Client:
    client = Client()
    client.force_login(world.users["rol_pref"])
    return client


def test_the_loss_list_pages_newest_first_and_says_how_many(
    world: World, office: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    numbers = losses(world, "都匀", 5)

    first = office.get(reverse("accountability:loss_list")).content.decode()
    last = office.get(reverse("accountability:loss_list"), {"page": 3}).content.decode()

    assert rows(first) == [numbers[4], numbers[3]]
    assert rows(last) == [numbers[0]]
    assert "共 5 项" in first and "第 1 / 3 页" in first and "第 3 / 3 页" in last
    assert "{#" not in first and "comment" not in first  # the pager's own notes stay out of the page


def test_a_filter_survives_paging_through_the_loss_list(
    world: World, office: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    fuquan = losses(world, "福泉", 3)
    losses(world, "都匀", 3, start=10)
    county = world.regions["福泉市"].pk

    first = office.get(reverse("accountability:loss_list"), {"county": county}).content.decode()
    second = office.get(reverse("accountability:loss_list"), {"county": county, "page": 2}).content.decode()

    assert f'href="?county={county}&amp;page=2"' in first and "共 3 项" in first
    assert rows(first) + rows(second) == fuquan[::-1]


def test_the_loss_list_costs_the_same_queries_past_one_page(
    world: World, office: Client, django_assert_max_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 5)
    losses(world, "都匀", 2)
    with django_assert_max_num_queries(12):
        office.get(reverse("accountability:loss_list"))
    losses(world, "都匀", 10, start=2)

    with django_assert_max_num_queries(12):
        page = office.get(reverse("accountability:loss_list"), {"page": 2}).content.decode()

    assert len(rows(page)) == 5 and "共 12 项" in page
