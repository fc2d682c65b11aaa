"""The figures page (stats:figures): scoped, linked to the cases behind each number, bounded in queries."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import AbsenceReason, CaseKind, LitigationOutcome
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date
WINDOW = {"date_from": "2021-01-01", "date_to": "2021-08-31"}


def _client(world: World, username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _losses(world: World, org: str, lost: int, won: int) -> None:
    for i in range(lost + won):
        outcome = LitigationOutcome.REVOKED if i < lost else LitigationOutcome.CLAIM_DISMISSED
        make_case(CaseKind.LITIGATION, defendant=world.orgs[org], concluded_on=D(2021, 5, 1), outcome=outcome)


def test_the_prefecture_office_sees_its_loss_rate_with_links_to_the_cases(world: World) -> None:
    _losses(world, "都匀自然资源局", lost=1, won=3)
    _losses(world, "安阳市场监管局", lost=5, won=0)

    html = _client(world, "rol_pref").get(reverse("stats:figures"), WINDOW).content.decode()

    assert "败诉率" in html and "25.00%" in html
    assert "figure=litigation.lost&amp;from=2021-01-01&amp;to=2021-08-31" in html
    assert "100.00%" not in html  # 安阳 is outside the office's region


def test_an_agency_sees_only_its_own_cases(world: World) -> None:
    _losses(world, "都匀自然资源局", lost=1, won=1)
    _losses(world, "福泉公安局", lost=0, won=3)

    html = _client(world, "agency_fuquan").get(reverse("stats:figures"), WINDOW).content.decode()

    assert "0.00%" in html and "50.00%" not in html


def test_a_coordinator_is_told_there_is_nothing_to_count(world: World) -> None:
    html = _client(world, "coordinator").get(reverse("stats:figures")).content.decode()

    assert "您的角色没有可统计的案件" in html


def test_the_window_defaults_to_this_year_and_a_reversed_window_is_refused(world: World) -> None:
    client = _client(world, "rol_pref")
    today = datetime.date.today()

    default = client.get(reverse("stats:figures")).content.decode()
    reversed_window = client.get(reverse("stats:figures"), {"date_from": "2021-09-01", "date_to": "2021-01-01"})

    assert f'value="{today.year}-01-01"' in default
    assert "起始日期不能晚于截止日期" in reversed_window.content.decode()


def test_the_page_runs_a_fixed_number_of_queries_however_many_cases_and_counties(
    world: World, django_assert_max_num_queries: object
) -> None:
    client = _client(world, "rol_pref")
    _losses(world, "都匀自然资源局", lost=2, won=2)
    with django_assert_max_num_queries(20) as few:  # type: ignore[operator]
        client.get(reverse("stats:figures"), WINDOW)
    _losses(world, "福泉公安局", lost=20, won=20)
    _losses(world, "州人社局", lost=3, won=3)

    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        response = client.get(reverse("stats:figures"), {**WINDOW, "by": "agency"})

    assert "福泉市公安局" in response.content.decode()


def test_a_number_on_the_page_opens_a_list_of_exactly_that_many_cases(world: World) -> None:
    _losses(world, "都匀自然资源局", lost=3, won=1)
    _losses(world, "福泉公安局", lost=2, won=2)
    make_case(CaseKind.LITIGATION, defendant=world.orgs["州人社局"], concluded_on=D(2021, 5, 1), outcome="revoked")
    client = _client(world, "rol_pref")

    html = client.get(reverse("stats:figures"), WINDOW).content.decode()
    links = re.findall(r'href="(/cases/\?figure=litigation\.lost[^"]*)"[^>]*>(\d+)<', html)

    assert links, "败诉 numbers are links"
    assert ("6" in [n for _, n in links]) and ("3" in [n for _, n in links])
    assert "州人社局" not in html  # grouped by county: the prefecture's own row is named 黔南州
    for url, number in links:
        listing = client.get(unescape(url)).content.decode()
        assert f"共 <strong>{number}</strong> 件" in listing or f"共 {number} 件" in listing, url


def _appearances(world: World) -> None:
    """Five hearings in the window: spoke, spoke, silent, absent with a lawful reason, absent without."""
    on = D(2021, 4, 2)
    for org, appeared, spoke, reason in [
        ("都匀自然资源局", True, True, ""),
        ("福泉公安局", True, True, ""),
        ("福泉公安局", True, False, ""),
        ("都匀自然资源局", False, None, AbsenceReason.ACCIDENT),
        ("福泉公安局", False, None, ""),
    ]:
        make_case(
            CaseKind.LITIGATION,
            defendant=world.orgs[org],
            hearing_on=on,
            head_appeared=appeared,
            head_spoke=spoke,
            head_absence_reason=reason,
        )


def _card(html: str, label: str) -> str:
    cards = re.findall(r'data-testid="card">(.*?)data-testid="yoy"', html, re.S)
    return next(card for card in cards if f">{label}<" in card)


def test_the_page_shows_the_due_appearance_and_speaking_rates_with_their_cases(world: World) -> None:
    _appearances(world)
    client = _client(world, "rol_pref")

    html = client.get(reverse("stats:figures"), WINDOW).content.decode()

    due = _card(html, "应出尽出率")
    spoke = _card(html, "出声率")
    assert "75.00%" in due  # 3 appeared of 4 due: the lawful absence is not due
    assert "66.67%" in spoke  # 2 spoke of 3 who appeared
    assert "60.00%" in _card(html, "负责人出庭应诉率")  # 3 of 5 hearings, the lawful absence included
    links = re.findall(
        r'href="(/cases/\?figure=[^"]*)"[^>]*data-testid="(?:numerator|denominator)">(\d+)<', due + spoke
    )
    assert [n for _, n in links] == ["3", "4", "2", "3"]
    for url, number in links:
        listing = client.get(unescape(url)).content.decode()
        assert f"共 <strong>{number}</strong> 件" in listing or f"共 {number} 件" in listing, url
    assert ">应出尽出率<" in html and ">出声率<" in html  # the table's columns too
