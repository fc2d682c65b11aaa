"""我的出庭任务 as a list that grows: the upcoming hearings, nearest first, page with their count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fuyuan.core import paging
from tests.factories import World
from tests.hearings.test_views import duyun_hearing, html, logged_in

pytestmark = pytest.mark.django_db


def test_upcoming_hearings_page_nearest_first_with_their_count(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    hearings = [duyun_hearing(world, in_days=n, number=f"（2026）黔2701行初{n}号") for n in (30, 3, 12)]
    third, soon, later = hearings
    client = logged_in("agency_duyun")

    first = html(client.get(reverse("hearings:mine")))
    second = html(client.get(reverse("hearings:mine"), {"page": 2}))

    upcoming = first[first.index('data-testid="upcoming"') : first.index('data-testid="pager"')]
    assert upcoming.index(soon.case.number) < upcoming.index(later.case.number)
    assert third.case.number not in first and third.case.number in second
    assert "待开庭 <strong>3</strong> 件" in first and 'href="?page=2"' in first
