"""The supervision dashboard (stats:dashboard): the same figures as ``fuyuan stats``, every number a link to a list
of exactly that many records, scoped like the figures page, bounded in queries."""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import (
    Acceptance,
    CaseKind,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
)
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.stats.cache import raise_generation
from fuyuan.stats.models import Benchmark, BenchmarkScope
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date
WINDOW = {"date_from": "2021-01-01", "date_to": "2021-08-31"}
URL = reverse("stats:dashboard")


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _fill(world: World) -> None:
    """Cases in both counties of 黔南州, in 安阳 (outside it), in 2021 and a year earlier."""
    lit, rec = CaseKind.LITIGATION, CaseKind.RECONSIDERATION
    duyun, fuquan, anyang = world.orgs["都匀自然资源局"], world.orgs["福泉公安局"], world.orgs["安阳市场监管局"]
    for i in range(4):  # 都匀: 2 losses of 4, hearings 3 with 2 heads
        make_case(
            lit,
            defendant=duyun,
            cause="penalty" if i % 2 else "licensing",
            domain="natural_resources",
            concluded_on=D(2021, 5, 1 + i),
            outcome=LitigationOutcome.REVOKED if i < 2 else LitigationOutcome.CLAIM_DISMISSED,
            hearing_on=D(2021, 4, 1 + i) if i < 3 else None,
            head_appeared=(i < 2) if i < 3 else None,
        )
    for i in range(5):  # 福泉: 1 loss of 5, filed in June
        make_case(
            lit,
            defendant=fuquan,
            cause="penalty",
            filed_on=D(2021, 6, 1),
            concluded_on=D(2021, 7, 1),
            outcome=LitigationOutcome.CONFIRMED_ILLEGAL if i == 0 else LitigationOutcome.SUIT_DISMISSED,
        )
    make_case(lit, defendant=duyun, instance=Instance.SECOND, concluded_on=D(2021, 5, 1), outcome="revoked")
    for i, outcome in enumerate(["revoked", "upheld", "mediated", "settled"]):
        make_case(rec, defendant=fuquan, received_on=D(2021, 2, 1 + i), concluded_on=D(2021, 3, 1), outcome=outcome)
    make_case(rec, defendant=duyun, acceptance=Acceptance.REJECTED)
    # A year earlier: 都匀 lost 3 of 4.
    for i in range(4):
        make_case(
            lit,
            defendant=duyun,
            filed_on=D(2020, 2, 1),
            concluded_on=D(2020, 5, 1),
            outcome=LitigationOutcome.REVOKED if i < 3 else LitigationOutcome.CLAIM_DISMISSED,
        )
    for _ in range(3):
        make_case(lit, defendant=anyang, concluded_on=D(2021, 5, 1), outcome=LitigationOutcome.REVOKED)
    make_case(rec, defendant=anyang, concluded_on=D(2021, 3, 1), outcome=ReconsiderationOutcome.REVOKED)


CARD = re.compile(r'data-testid="card" data-rate="(\w+)">(.*?)</div>\s*</div>\s*</div>', re.S)


def _cards(html: str) -> dict[str, dict[str, Any]]:
    cards = {}
    for name, body in CARD.findall(html):
        rate = re.search(r'data-testid="rate">([^<]+)<', body)
        numerator = re.search(r'href="([^"]+)"[^>]*data-testid="numerator">(\d+)<', body)
        denominator = re.search(r'href="([^"]+)"[^>]*data-testid="denominator">(\d+)<', body)
        assert rate and numerator and denominator, body
        cards[name] = {
            "rate": rate.group(1).strip(),
            "numerator": (int(numerator.group(2)), unescape(numerator.group(1))),
            "denominator": (int(denominator.group(2)), unescape(denominator.group(1))),
        }
    return cards


def _listed(client: Client, url: str) -> int:
    """The total the case list shows ("共 N 件")."""
    html = client.get(url).content.decode()
    found = re.search(r'data-testid="case-count">共 <strong>(\d+)</strong> 件', html)
    assert found, url
    return int(found.group(1))


def _stats(region: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "stats", "--region", region, "--from", "2021-01-01", "--to", "2021-08-31", "--format", "json", stdout=out
    )
    return json.loads(out.getvalue())["total"]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


@pytest.mark.parametrize("region", ["黔南州", "都匀市"])
def test_the_cards_show_the_same_figures_as_the_stats_command(world: World, region: str) -> None:
    _fill(world)
    expected = _stats(region)

    html = _client("rol_pref").get(URL, {**WINDOW, "region": world.regions[region].pk}).content.decode()
    cards = _cards(html)

    lit, rec = expected["litigation"], expected["reconsideration"]
    assert cards["loss_rate"]["rate"] == _percent(lit["loss_rate"])
    assert cards["loss_rate"]["numerator"][0] == lit["lost"]
    assert cards["loss_rate"]["denominator"][0] == lit["concluded"]
    assert cards["appearance_rate"]["rate"] == _percent(lit["appearance_rate"])
    assert cards["appearance_rate"]["numerator"][0] == lit["head_appeared"]
    assert cards["appearance_rate"]["denominator"][0] == lit["hearings"]
    assert cards["correction_rate"]["rate"] == _percent(rec["correction_rate"])
    assert cards["correction_rate"]["numerator"][0] == rec["corrected"]
    assert cards["correction_rate"]["denominator"][0] == rec["concluded"]
    assert cards["mediation_rate"]["rate"] == _percent(rec["mediation_rate"])
    assert cards["mediation_rate"]["numerator"][0] == rec["mediated"]
    filed = re.search(r'data-testid="filed-count">(\d+)<', html)
    assert filed and int(filed.group(1)) == lit["filed"]


def test_the_prefecture_figures_are_those_worked_out_by_hand(world: World) -> None:
    _fill(world)

    cards = _cards(_client("rol_pref").get(URL, WINDOW).content.decode())

    assert cards["loss_rate"]["rate"] == "33.33%"  # 3 of 9 first-instance cases; 安阳 and 二审 not counted
    assert cards["correction_rate"]["rate"] == "25.00%"
    assert cards["mediation_rate"]["rate"] == "50.00%"
    assert cards["appearance_rate"]["rate"] == "66.67%"


def test_every_card_number_opens_a_list_of_exactly_that_many_cases(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")

    cards = _cards(client.get(URL, {**WINDOW, "region": world.regions["黔南州"].pk}).content.decode())

    assert len(cards) == 4
    for card in cards.values():
        for count, url in (card["numerator"], card["denominator"]):
            assert _listed(client, url) == count, url


def test_the_year_on_year_change_is_in_percentage_points(world: World) -> None:
    _fill(world)

    html = _client("rol_pref").get(URL, WINDOW).content.decode()

    # 33.33% now against 75.00% (3 of 4) a year earlier.
    assert "同比 ↓ 41.67 个百分点" in html
    assert "上年同期 75.00%" in html


def test_the_ranking_puts_the_lowest_loss_rate_first_and_sorts_by_any_rate(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")

    def counties(params: dict[str, Any]) -> list[str]:
        html = client.get(URL, {**WINDOW, **params}).content.decode()
        return re.findall(r'data-testid="county">([^<]+)<', html)

    assert counties({}) == ["福泉市", "都匀市"]  # 20.00% before 50.00%
    assert counties({"sort": "-loss_rate"}) == ["都匀市", "福泉市"]
    assert counties({"sort": "filed"}) == ["福泉市", "都匀市"]  # most filed first: 福泉 5, 都匀 4
    assert counties({"sort": "-filed"}) == ["都匀市", "福泉市"]
    assert counties({"sort": "appearance_rate"})[0] == "都匀市"  # 福泉 had no hearing: no rate, last
    assert counties({"sort": "nonsense"}) == ["福泉市", "都匀市"]


def test_every_ranking_and_loss_bar_number_lists_exactly_its_cases(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")
    html = client.get(URL, WINDOW).content.decode()
    ranking = html.split('id="ranking-table"')[1].split("</tbody>")[0]
    links = re.findall(r'<a href="(/cases/[^"]+)">(\d+)</a>', ranking)
    assert len(links) == 2 * (4 * 2 + 1)
    details = re.findall(
        r'<td class="text-end"><a href="(/cases/[^"]+)">(\d+)</a></td></tr>', html.split("<details")[1]
    )
    losses = [
        link
        for part in html.split("<details")[1:]
        for link in re.findall(r'<a href="([^"]+)">(\d+)</a>', part.split("</details>")[0])
    ]
    assert details and losses

    for url, count in links + losses:
        assert _listed(client, unescape(url)) == int(count), url
    # 案由: 行政处罚 lost twice (one in each county), 行政许可 once.
    assert "行政处罚" in html and "行政许可" in html


def test_benchmarks_are_shown_beside_the_rates_with_better_or_worse(world: World) -> None:
    _fill(world)
    entered_by = world.users["rol_pref"]
    Benchmark.objects.create(
        year=2021,
        rate="loss_rate",
        scope=BenchmarkScope.PROVINCE,
        value=Decimal("22.33"),
        source="省通报",
        entered_by=entered_by,
    )
    Benchmark.objects.create(
        year=2021,
        rate="appearance_rate",
        scope=BenchmarkScope.PROVINCE,
        value=Decimal("60.00"),
        source="省通报",
        entered_by=entered_by,
    )

    html = _client("rol_pref").get(URL, WINDOW).content.decode()
    cards = dict(CARD.findall(html))

    assert "全省平均 22.33%" in cards["loss_rate"] and 'data-testid="worse"' in cards["loss_rate"]  # 33.33 > 22.33
    assert "全省平均 60.00%" in cards["appearance_rate"] and 'data-testid="better"' in cards["appearance_rate"]
    assert "2021年全省平均" in html


def test_the_coming_weeks_hearings_and_overdue_deadlines_link_to_their_lists(world: World) -> None:
    today = datetime.date.today()
    case = make_case(CaseKind.LITIGATION, defendant=world.orgs["都匀自然资源局"])
    court, agency, county = world.orgs["都匀法院"], world.orgs["都匀自然资源局"], world.regions["都匀市"]
    for days, state in (
        (0, HearingState.NOTIFIED),
        (6, HearingState.DESIGNATED),
        (7, HearingState.NOTIFIED),
        (2, HearingState.CANCELLED),
    ):
        Hearing.objects.create(
            case=case,
            court=court,
            agency=agency,
            county=county,
            held_on=today + datetime.timedelta(days=days),
            state=state,
            registered_by=world.users["court_duyun"],
        )
    for rule, state in (
        ("litigation.defence", DeadlineState.OVERDUE),
        ("litigation.filing_review", DeadlineState.OPEN),
    ):
        Deadline.objects.create(
            case=case, rule_id=rule, start_on=D(2021, 1, 1), due_on=D(2021, 1, 16), state=state, owner=agency
        )
    client = _client("rol_pref")

    html = client.get(URL).content.decode()

    hearings = re.search(r'href="([^"]+)" data-testid="hearings-count">(\d+)<', html)
    overdue = re.search(r'href="([^"]+)" data-testid="overdue-count">(\d+)<', html)
    assert hearings and hearings.group(2) == "2"
    assert overdue and overdue.group(2) == "1"
    week = client.get(unescape(hearings.group(1))).content.decode()
    assert re.search(r"本周开庭 <strong class=\"fs-5\">2</strong> 件", week)
    listed = client.get(unescape(overdue.group(1))).content.decode()
    assert "共 <strong>1</strong> 项" in listed


def test_an_agency_sees_only_its_own_cases_and_no_hearing_count(world: World) -> None:
    _fill(world)

    html = _client("agency_fuquan").get(URL, WINDOW).content.decode()
    cards = _cards(html)

    assert cards["loss_rate"]["rate"] == "20.00%"
    assert re.findall(r'data-testid="county">([^<]+)<', html) == ["福泉市"]
    assert 'data-testid="hearings-count"' not in html


def test_a_region_outside_the_users_scope_is_refused_as_a_filter(world: World) -> None:
    _fill(world)

    html = _client("rol_duyun").get(URL, {**WINDOW, "region": world.regions["安阳市"].pk}).content.decode()

    assert "地区：" in html and 'data-testid="card"' not in html


def test_a_coordinator_is_told_there_is_nothing_to_count(world: World) -> None:
    html = _client("coordinator").get(URL).content.decode()

    assert "您的角色没有可统计的案件" in html


def test_the_office_and_leaders_find_the_dashboard_in_the_menu(world: World) -> None:
    assert "监督看板" in _client("leader_pref").get(reverse("home"), follow=True).content.decode()
    assert "监督看板" not in _client("agency_duyun").get(reverse("home"), follow=True).content.decode()


# Log-in, session and user, the generation, the county table and its year-earlier twin, the region levels, the
# months, three loss groupings, two loss-cause groupings and their names, the 非诉执行 refusals by cause, the
# benchmarks; then the live part (hearings, overdue deadlines, rectification, written-report duties, the 裁判履行 card:
# its figures and its overdue items by agency; the 决策与文件引发的争议 card: one query over the links, read live since a
# link changes no case). Measured at 32 uncached and 14 cached.
UNCACHED_BOUND = 32
CACHED_BOUND = 14


def _more_rows(world: World) -> None:
    """24 more first-instance cases over every month, agency, 案由 and 领域 (losses among them), a year-earlier
    case each and an overdue deadline in each county: more rows in every grouping the dashboard makes."""
    orgs = ("都匀自然资源局", "福泉公安局", "州人社局")
    causes, domains = ("levy", "registration", "penalty"), ("housing", "labour", "")
    for month in range(1, 9):
        for i, org in enumerate(orgs):
            case = make_case(
                CaseKind.LITIGATION,
                defendant=world.orgs[org],
                filed_on=D(2021, month, 1),
                concluded_on=D(2021, month, 2),
                outcome=LitigationOutcome.REVOKED,
                cause=causes[i],
                domain=domains[(i + month) % 3],
            )
            make_case(
                CaseKind.LITIGATION,
                defendant=world.orgs[org],
                filed_on=D(2020, month, 1),
                concluded_on=D(2020, month, 2),
                outcome="revoked",
            )
            if month == 1:
                Deadline.objects.create(
                    case=case,
                    rule_id="litigation.defence",
                    start_on=D(2021, 1, 1),
                    due_on=D(2021, 1, 16),
                    state=DeadlineState.OVERDUE,
                    owner=world.orgs[org],
                )


def test_the_dashboard_runs_a_bounded_number_of_queries_whatever_the_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    # The cache is emptied as a case change empties it (the generation raised, stats.cache), so the first request of
    # each pair computes every figure and the second is served from the cache; both are bounded, and the figures
    # after the rows are added are the new ones (a stale page or a query per row would fail).
    _fill(world)
    client = _client("rol_pref")
    raise_generation()
    with django_assert_max_num_queries(UNCACHED_BOUND) as uncached_before:
        before = _cards(client.get(URL, WINDOW).content.decode())
    with django_assert_max_num_queries(CACHED_BOUND) as cached_before:
        client.get(URL, WINDOW)
    assert before["loss_rate"]["numerator"][0] == 3

    _more_rows(world)
    raise_generation()
    with django_assert_max_num_queries(UNCACHED_BOUND) as uncached_after:
        html = client.get(URL, WINDOW).content.decode()
    with django_assert_max_num_queries(CACHED_BOUND) as cached_after:
        client.get(URL, WINDOW)

    after = _cards(html)
    assert after["loss_rate"]["numerator"][0] == 3 + 24 == _stats("黔南州")["litigation"]["lost"]
    assert re.search(r'data-testid="filed-previous">(\d+)<', html).group(1) == "28"  # type: ignore[union-attr]
    assert len(re.findall(r'data-testid="overdue-county"', html)) == 3
    assert len(uncached_after) == len(uncached_before) and len(cached_after) == len(cached_before)
    assert len(cached_before) < len(uncached_before)
