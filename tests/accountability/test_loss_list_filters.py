"""The loss-review list's filters set by the dashboard's 败诉原因 links (issue 6 §2): ``cause``, ``agency``,
``domain``, ``concluded_from``/``concluded_to``, beside the existing ``state`` and ``county``; always inside what
the user may see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.accountability.models import LossCause, LossReviewState
from fuyuan.core.models import User
from tests.factories import World
from tests.stats.test_loss_causes import reviewed

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("accountability:loss_list")
LATE, PROC, FACTS = LossCause.LATE_EVIDENCE, LossCause.PROCEDURE, LossCause.FACTS


@pytest.fixture
def numbers(world: World) -> dict[str, str]:
    """Five reviews, by the case number the list shows."""
    o = world.orgs
    made = {
        "late_proc": reviewed(o["都匀自然资源局"], [LATE, PROC], on=D(2021, 5, 3)),
        "proc_june": reviewed(o["都匀自然资源局"], [PROC], on=D(2021, 6, 10), domain="housing"),
        "pending": reviewed(o["都匀自然资源局"], [], on=D(2021, 5, 4)),
        "fuquan_late": reviewed(o["福泉公安局"], [LATE], on=D(2021, 7, 1), domain="public_security"),
        "withdrawn": reviewed(o["福泉公安局"], [PROC], on=D(2021, 5, 5), state=LossReviewState.WITHDRAWN),
    }
    return {name: review.case.number for name, review in made.items()}


def _listed(user: User, numbers: dict[str, str], **params: Any) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name, number in numbers.items() if f">{number}</a>" in html}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"late_proc", "proc_june", "pending", "fuquan_late", "withdrawn"}),
        ({"cause": LATE}, {"late_proc", "fuquan_late"}),
        # A withdrawn review's case is no longer a loss: it is not among a cause's losses.
        ({"cause": PROC}, {"late_proc", "proc_june"}),
        ({"cause": FACTS}, set()),
        ({"cause": "any"}, {"late_proc", "proc_june", "fuquan_late"}),
        ({"domain": "housing"}, {"proc_june"}),
        ({"concluded_from": "2021-06-01"}, {"proc_june", "fuquan_late"}),
        ({"concluded_to": "2021-05-04"}, {"late_proc", "pending"}),
        ({"cause": PROC, "concluded_from": "2021-05-01", "concluded_to": "2021-05-31"}, {"late_proc"}),
        ({"cause": LATE, "state": LossReviewState.INTERVIEW}, {"late_proc", "fuquan_late"}),
        ({"cause": LATE, "state": LossReviewState.CLOSED}, set()),
        # Values the list does not know are ignored, as the state filter's are.
        ({"cause": "bribery", "domain": "moon", "agency": "x", "concluded_from": "2021-13-01"},
         {"late_proc", "proc_june", "pending", "fuquan_late", "withdrawn"}),
    ],
)  # fmt: skip
def test_each_filter_narrows_the_list_to_the_reviews_it_names(
    world: World, numbers: dict[str, str], params: dict[str, str], expected: set[str]
) -> None:
    assert _listed(world.users["rol_pref"], numbers, **params) == expected


def test_the_agency_filter_shows_that_agencys_reviews_and_the_county_filter_still_applies(
    world: World, numbers: dict[str, str]
) -> None:
    o, r = world.orgs, world.regions
    office = world.users["rol_pref"]

    assert _listed(office, numbers, agency=o["福泉公安局"].pk) == {"fuquan_late", "withdrawn"}
    assert _listed(office, numbers, agency=o["福泉公安局"].pk, county=r["都匀市"].pk) == set()
    assert _listed(office, numbers, agency=o["福泉公安局"].pk, cause=LATE, county=r["福泉市"].pk) == {"fuquan_late"}


def test_a_filter_never_shows_a_review_outside_the_users_scope(world: World, numbers: dict[str, str]) -> None:
    fuquan = world.orgs["福泉公安局"].pk

    assert _listed(world.users["agency_duyun"], numbers, agency=fuquan) == set()
    assert _listed(world.users["rol_duyun"], numbers, cause=LATE) == {"late_proc"}


def test_the_list_says_which_filters_are_applied(world: World, numbers: dict[str, str]) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])
    params = {"cause": LATE, "agency": world.orgs["都匀自然资源局"].pk, "domain": "natural_resources",
              "concluded_from": "2021-01-01", "concluded_to": "2021-08-31"}  # fmt: skip

    context = client.get(URL, params).context

    assert context["active_filters"] == (
        "败诉原因：逾期举证；败诉机关：都匀市自然资源局；领域：自然资源；结案日期起：2021年1月1日；结案日期止：2021年8月31日"
    )
    assert {f["name"]: f["value"] for f in context["filters"]} == {
        "cause": LATE, "agency": str(params["agency"]), "domain": "natural_resources",
        "concluded_from": "2021-01-01", "concluded_to": "2021-08-31",
    }  # fmt: skip


def test_the_filtered_list_reads_a_fixed_number_of_queries(
    world: World, numbers: dict[str, str], django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])
    params = {"cause": LATE, "agency": world.orgs["都匀自然资源局"].pk, "concluded_from": "2021-01-01"}
    with django_assert_max_num_queries(20) as few:
        client.get(URL, params)
    for _ in range(10):
        reviewed(world.orgs["都匀自然资源局"], [LATE, FACTS])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, params)
    assert response.content.decode().count('data-testid="loss-row"') == 11
