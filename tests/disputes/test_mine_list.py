"""我的协调任务 as a list that grows: the disputes in hand sorted by their time limit (the overdue on top, those with no
running limit last), the past ones newest first, each paged on its own with its count, and a query count that does
not grow with the rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core import paging
from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.models import Assignment, Coordinator, Dispute
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators, conclude_mediated, release_coordinator
from tests.disputes.consent import WRITTEN
from tests.factories import PASSWORD, World, local_today, make_coordinator, make_dispute

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


@pytest.fixture
def expert(world: World) -> Coordinator:
    """The 州 pool's forestry expert with the ``coordinator`` login, free to take many disputes."""
    return make_coordinator(
        "李专家", org=world.orgs["州司法局"], domains=["forestry"], user=world.users["coordinator"], max_load=100
    )


def assigned(world: World, expert: Coordinator, applicants: str, **values: Any) -> Dispute:
    centre = world.users["centre"]
    d = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], by=centre, applicants=applicants)
    accept_dispute(d, by=centre, consent=WRITTEN)
    d = assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=centre)
    if values:
        Dispute.objects.filter(pk=d.pk).update(**values)
    return d


def closed(world: World, expert: Coordinator, applicants: str, on: datetime.date) -> Dispute:
    d = assigned(world, expert, applicants)
    conclude_mediated(d, terms="一、重新认定", by=world.users["centre"])
    Dispute.objects.filter(pk=d.pk).update(concluded_on=on)
    return d


@pytest.fixture
def client(world: World) -> Client:
    client = Client()
    assert client.login(username="coordinator", password=PASSWORD)
    return client


def mine(client: Client, query: dict[str, Any] | None = None) -> str:
    response = client.get(reverse("disputes:mine"), query or {})
    assert response.status_code == 200
    return response.content.decode()


def table(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</table>")[0]


def numbers(html: str) -> list[str]:
    """The dispute numbers of a table's rows, in order."""
    return re.findall(r"<td data-label=\"编号\">(?:<a [^>]*>)?([^<]+)<", html)


def test_disputes_in_hand_come_nearest_limit_first_with_the_overdue_on_top(
    world: World, expert: Coordinator, client: Client
) -> None:
    later = assigned(world, expert, "甲", review_due_on=days(10))
    overdue = assigned(world, expert, "乙", review_due_on=days(-3))
    soon = assigned(world, expert, "丙", review_due_on=days(1))
    # In mediation with no period set (an older record): no running limit, so last.
    no_limit = assigned(world, expert, "丁", state="planned", mediation_due_on=None)

    page = mine(client)

    assert numbers(table(page, "in-hand")) == [overdue.number, soon.number, later.number, no_limit.number]
    assert '在办 <strong>4</strong> 件，其中 <strong class="text-danger">1</strong> 件已逾期' in page
    assert "共 4 件" in page


def test_my_tasks_page_in_hand_and_past_separately_keeping_each_others_place(
    world: World, expert: Coordinator, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    in_hand = [assigned(world, expert, f"在办{n}", review_due_on=days(n)) for n in range(3)]
    past = [closed(world, expert, f"办结{n}", on=days(-n)) for n in range(3)]
    left = assigned(world, expert, "退出")
    release_coordinator(Assignment.objects.get(dispute=left), by=world.users["centre"])

    first = mine(client)
    assert numbers(table(first, "in-hand")) == [in_hand[0].number, in_hand[1].number]
    assert numbers(table(first, "past")) == [left.number, past[0].number]  # left today, the newest closing next
    assert "共 3 件" in first and "共 4 件" in first
    assert 'href="?page=2"' in first and 'href="?past=2"' in first

    both = mine(client, {"page": 2, "past": 2})
    assert numbers(table(both, "in-hand")) == [in_hand[2].number]
    assert numbers(table(both, "past")) == [past[1].number, past[2].number]
    # Each pager keeps the other list where it is.
    assert 'href="?past=2&amp;page=1"' in both and 'href="?page=2&amp;past=1"' in both


def test_my_tasks_cost_the_same_queries_for_many_disputes(
    world: World, expert: Coordinator, client: Client, django_assert_max_num_queries: Any
) -> None:
    assigned(world, expert, "甲")
    closed(world, expert, "乙", on=days(-1))
    with django_assert_max_num_queries(12):
        few = mine(client)
    for n in range(12):
        assigned(world, expert, f"在办{n}", review_due_on=days(n - 4))
        closed(world, expert, f"办结{n}", on=days(-n))

    with django_assert_max_num_queries(12):
        many = mine(client)

    assert len(numbers(table(few, "in-hand"))) == 1 and len(numbers(table(many, "in-hand"))) == 13
    assert len(numbers(table(many, "past"))) == 13
