"""The performance figures (履行率, performed late, overdue unperformed, by agency and by month): each number equals
the list behind its link, and the dashboard's card shows the rate and the overdue items by agency."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.timeline import Actor
from fuyuan.performance.figures import figures, items_of
from fuyuan.performance.models import Duty, ItemState, PerformanceItem
from fuyuan.performance.queries import visible_to
from fuyuan.performance.workflow import open_on_effect
from tests.factories import PASSWORD, World, make_case
from tests.performance.conftest import D

pytestmark = pytest.mark.django_db

TODAY = D(2026, 12, 2)


def made(
    world: World, agency: str, court: str, due: D, state: str = ItemState.OPEN, performed: D | None = None
) -> PerformanceItem:
    case = make_case(defendant=world.orgs[agency], court=world.orgs[court], concluded_on=D(2026, 9, 1),
                     outcome=LitigationOutcome.ORDERED_TO_PAY, effective_on=D(2026, 9, 10))  # fmt: skip
    item = open_on_effect(case, by=Actor(label="测试"))
    assert item is not None
    PerformanceItem.objects.filter(pk=item.pk).update(due_on=due, state=state, performed_on=performed, duty=Duty.PAY)
    return item


@pytest.fixture
def mix(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(TODAY)
    # 都匀: on time (Oct), late (Oct), overdue (Nov), not yet due (Dec, not counted)
    made(world, "都匀自然资源局", "都匀法院", D(2026, 10, 10), ItemState.PERFORMED, D(2026, 10, 9))
    made(world, "都匀自然资源局", "都匀法院", D(2026, 10, 20), ItemState.PERFORMED, D(2026, 10, 25))
    made(world, "都匀自然资源局", "都匀法院", D(2026, 11, 20), ItemState.REPORTED)
    made(world, "都匀自然资源局", "都匀法院", D(2026, 12, 20))
    # 福泉: overdue twice (Nov)
    made(world, "福泉公安局", "福泉法院", D(2026, 11, 5), ItemState.NOT_PERFORMED)
    made(world, "福泉公安局", "福泉法院", D(2026, 11, 6))


def test_the_rate_late_and_overdue_by_agency_and_month_equal_their_items(world: World, mix: None) -> None:
    items = visible_to(world.users["rol_pref"])
    total, rows = figures(items, D(2026, 1, 1), D(2026, 12, 31), TODAY)
    assert (total.due, total.performed, total.late, total.overdue, total.rate) == (5, 2, 1, 3, 40.0)
    by_agency = {r.label: (r.due, r.performed, r.late, r.overdue, r.rate) for r in rows}
    assert by_agency == {"福泉市公安局": (2, 0, 0, 2, 0.0), "都匀市自然资源局": (3, 2, 1, 1, 66.67)}
    assert rows[0].label == "福泉市公安局"  # most overdue first
    _total, months = figures(items, D(2026, 1, 1), D(2026, 12, 31), TODAY, by="month")
    assert [(r.label, r.due, r.overdue) for r in months] == [
        ("2026年10月", 2, 0),
        ("2026年11月", 3, 3),
        ("2026年12月", 0, 0),
    ]
    for measure in ("due", "performed", "late", "overdue"):
        assert items_of(measure, items, D(2026, 1, 1), D(2026, 12, 31), TODAY).count() == getattr(total, measure)


def test_the_figures_page_links_each_number_to_its_items(
    world: World, mix: None, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.login(username="rol_pref", password=PASSWORD)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("performance:figures"), {"date_from": "2026-01-01", "date_to": "2026-12-31"})
    html = page.content.decode()
    assert "40.00%" in html and "66.67%" in html
    late = re.search(r'href="([^"]*measure=late[^"]*agency=\d+[^"]*)"', html.replace("&amp;", "&"))
    assert late is not None
    listed = client.get(late.group(1)).content.decode()
    assert listed.count('data-testid="performance-row"') == 1 and "逾期履行" in listed


def test_the_dashboard_card_shows_the_rate_and_overdue_by_agency(world: World, mix: None) -> None:
    client = Client()
    client.login(username="rol_pref", password=PASSWORD)
    html = client.get(reverse("stats:dashboard"), {"date_from": "2026-01-01", "date_to": "2026-12-31"}).content.decode()
    card = html[html.index('data-testid="performance-card"') :]
    card = card[: card.index("</table>")]
    assert "40.00%" in card and "2 / 5" in card
    assert re.search(r'performance-card-overdue">3<', card)
    assert card.index("福泉市公安局") < card.index("都匀市自然资源局")
