"""销账本 as a list that grows: the open recommendations first (those with overdue items at the top), then the newest;
paged with its count, the filters kept across pages."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.core import paging
from fuyuan.rectification.models import Recommendation, RecommendationKind
from fuyuan.rectification.workflow import ItemDraft, register_recommendation
from tests.factories import World, local_today
from tests.rectification.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world: World, settings, tmp_path: Path) -> Client:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    client = Client()
    client.force_login(world.users["rol_pref"])
    return client


def recommendation(world: World, number: str, days_ago: int, *, due_in: int = 30) -> Recommendation:
    issued = local_today() - datetime.timedelta(days=days_ago)
    return register_recommendation(
        kind=RecommendationKind.JUDICIAL,
        number=number,
        issuer=world.orgs["都匀法院"],
        recipient=world.orgs["都匀自然资源局"],
        issued_on=issued,
        document=pdf(),
        items=[ItemDraft("规范征收补偿程序", due_on=local_today() + datetime.timedelta(days=due_in))],
        by=world.users["court_duyun"],
    )


def rows(html: str) -> list[str]:
    return re.findall(r'<a href="/rectification/\d+/"[^>]*>([^<]+)</a>', html)


def test_the_ledger_shows_open_ones_with_overdue_items_first_then_the_newest_and_pages(
    world: World, office: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    closed = recommendation(world, "司建1号", days_ago=1)
    Recommendation.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    recommendation(world, "司建2号", days_ago=40)
    recommendation(world, "司建3号", days_ago=20)
    recommendation(world, "司建4号", days_ago=90, due_in=-5)  # oldest, but an item is overdue

    first = office.get("/rectification/").content.decode()
    second = office.get("/rectification/", {"page": 2}).content.decode()

    assert rows(first) + rows(second) == ["司建4号", "司建3号", "司建2号", "司建1号"]
    assert "共 4 件" in first and "第 1 / 2 页" in first


def test_a_ledger_filter_survives_paging(world: World, office: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    for n in range(3):
        recommendation(world, f"司建{n}号", days_ago=n)

    first = office.get("/rectification/", {"state": "open"}).content.decode()

    assert 'href="?state=open&amp;page=2"' in first and "共 3 件" in first


def test_the_ledger_costs_the_same_queries_for_many_recommendations(
    world: World, office: Client, django_assert_max_num_queries: Any
) -> None:
    recommendation(world, "司建0号", days_ago=0)
    with django_assert_max_num_queries(12):
        office.get("/rectification/")
    for n in range(1, 60):
        recommendation(world, f"司建{n}号", days_ago=n)

    with django_assert_max_num_queries(12):
        page = office.get("/rectification/").content.decode()

    assert len(rows(page)) == 50 and "共 60 件" in page
