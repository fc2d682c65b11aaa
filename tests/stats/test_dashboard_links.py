"""The dashboard's numbers beyond the cards: the trend's points, the 发案量 card, the ranking, the 上年同期 values,
the overdue deadlines by county, the bars of a blank 案由/领域 and the open written-report duties each equal
``fuyuan stats`` or open a list of exactly as many records as they show."""

from __future__ import annotations

import datetime
import io
import json
import re
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability.workflow import open_report_duties
from fuyuan.cases.choices import CaseKind, LitigationOutcome
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.hearings.models import Hearing, HearingState
from tests.factories import World, make_case
from tests.stats.test_dashboard import URL, WINDOW, _cards, _client, _fill, _listed

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date


def _stats(region: str, by: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "stats",
        "--region",
        region,
        "--from",
        WINDOW["date_from"],
        "--to",
        WINDOW["date_to"],
        "--by",
        by,
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def _chart_data(html: str) -> dict[str, Any]:
    """What the charts draw (the page's ``dashboard-data``): every point and bar with the URL it opens."""
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _with_prefecture_cases(world: World) -> None:
    """The prefecture's own agency (州本级) lost 2 of 2 in June."""
    for _ in range(2):
        make_case(
            CaseKind.LITIGATION,
            defendant=world.orgs["州人社局"],
            filed_on=D(2021, 6, 1),
            concluded_on=D(2021, 6, 20),
            outcome=LitigationOutcome.REVOKED,
        )


RATE_PARTS = {
    "loss_rate": ("litigation", "lost", "concluded"),
    "correction_rate": ("reconsideration", "corrected", "concluded"),
    "mediation_rate": ("reconsideration", "mediated", "concluded"),
    "appearance_rate": ("litigation", "head_appeared", "hearings"),
}


def test_every_trend_point_equals_stats_by_month_and_opens_its_numerator_cases(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")
    region = world.regions["黔南州"].pk

    trend = _chart_data(client.get(URL, {**WINDOW, "region": region}).content.decode())["trend"]
    by_month = {row["key"]: row for row in _stats("黔南州", "month")["rows"]}

    assert trend["months"] == [f"2021-{m:02d}" for m in range(1, 9)]
    checked = 0
    for series in trend["series"]:
        kind, numerator, _denominator = RATE_PARTS[series["name"]]
        for month, point in zip(trend["months"], series["points"], strict=True):
            row = by_month.get(month)
            expected = row[kind][series["name"]] if row else None
            assert point["value"] == expected, (series["name"], month)
            assert point["count"] == (row[kind][numerator] if row else 0)
            if point["count"]:
                assert _listed(client, point["url"]) == point["count"], point["url"]
                checked += 1
    assert checked >= 4  # losses in May and July, corrections and mediations in March, appearances in April


def test_the_filed_card_and_its_year_earlier_count_open_lists_of_that_many_cases(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")

    html = client.get(URL, WINDOW).content.decode()

    filed = re.search(r'href="([^"]+)" data-testid="filed-count">(\d+)<', html)
    previous = re.search(r'href="([^"]+)" data-testid="filed-previous">(\d+)<', html)
    assert filed and previous
    assert (filed.group(2), previous.group(2)) == ("9", "4")
    assert _listed(client, unescape(filed.group(1))) == 9
    assert _listed(client, unescape(previous.group(1))) == 4


def test_every_year_earlier_count_opens_a_list_of_exactly_that_many_records(world: World) -> None:
    _fill(world)
    client = _client("rol_pref")

    html = client.get(URL, WINDOW).content.decode()

    links = re.findall(r'href="([^"]+)"[^>]*data-testid="previous-(?:numerator|denominator)">(\d+)<', html)
    # Two per rate card, and on the centre's cards 调解成功/办结 and 化解 (disputes + first-instance cases).
    assert len(links) == 4 * 2 + 4
    loss = re.search(
        r'data-rate="loss_rate">.*?上年同期 75.00%，<a[^>]*data-testid="previous-numerator">(\d+)</a>/'
        r'<a[^>]*data-testid="previous-denominator">(\d+)</a>',
        html,
        re.S,
    )
    assert loss and loss.groups() == ("3", "4")  # 都匀 lost 3 of 4 in 2020
    for url, count in links:
        assert "from=2020-01-01" in url or "closed_from=2020-01-01" in url
        assert f"共 <strong>{count}</strong> 件" in client.get(unescape(url)).content.decode(), url


def test_the_ranking_rows_equal_stats_by_county_with_the_prefectures_own_row_named_benji(world: World) -> None:
    _fill(world)
    _with_prefecture_cases(world)
    client = _client("rol_pref")

    html = client.get(URL, {**WINDOW, "region": world.regions["黔南州"].pk}).content.decode()
    expected = {row["key"]: row for row in _stats("黔南州", "county")["rows"]}

    rows = re.findall(r'<tr data-testid="ranking-row">(.*?)</tr>', html, re.S)
    names = [re.search(r'data-testid="county">([^<]+)<', row).group(1) for row in rows]  # type: ignore[union-attr]
    assert names == ["福泉市", "都匀市", "黔南州本级"]  # 20.00%, 50.00%, 100.00%
    for name, row in zip(names, rows, strict=True):
        figures = expected[name.removesuffix("本级")]
        cells = re.findall(
            r'fw-semibold">([^<]+)</span> <span class="small text-muted">\(<a href="([^"]+)">(\d+)</a>/'
            r'<a href="([^"]+)">(\d+)</a>\)',
            row,
        )
        assert len(cells) == 4
        for (rate, num_url, num, den_url, den), name_of_rate in zip(cells, RATE_PARTS, strict=True):
            kind, numerator, denominator = RATE_PARTS[name_of_rate]
            assert rate == _percent(figures[kind][name_of_rate]), (name, name_of_rate)
            assert (int(num), int(den)) == (figures[kind][numerator], figures[kind][denominator])
            assert _listed(client, unescape(num_url)) == int(num)
            assert _listed(client, unescape(den_url)) == int(den)
        filed = re.search(r'<td class="text-end"><a href="([^"]+)">(\d+)</a></td>\s*$', row)
        assert filed and int(filed.group(2)) == figures["litigation"]["filed"]
        assert _listed(client, unescape(filed.group(1))) == int(filed.group(2))


def test_a_loss_bar_of_cases_with_no_cause_or_domain_opens_the_list_of_unfilled_ones(world: World) -> None:
    _fill(world)  # 福泉's loss has no 领域; every 案由 is filled
    make_case(
        CaseKind.LITIGATION,
        defendant=world.orgs["都匀自然资源局"],
        concluded_on=D(2021, 7, 5),
        outcome=LitigationOutcome.REVOKED,
    )
    client = _client("rol_pref")

    losses = {c["by"]: c["bars"] for c in _chart_data(client.get(URL, WINDOW).content.decode())["losses"]}

    blank_cause = [bar for bar in losses["cause"] if bar["key"] == "未填写"]
    blank_domain = [bar for bar in losses["domain"] if bar["key"] == "未填写"]
    assert blank_cause and blank_cause[0]["count"] == 1
    assert blank_domain and blank_domain[0]["count"] == 2
    for bar in blank_cause + blank_domain:
        assert "=empty" in bar["url"]
        assert _listed(client, bar["url"]) == bar["count"]
    assert all(bar["url"] for chart in losses.values() for bar in chart)


def test_the_overdue_total_and_each_countys_count_open_the_deadline_list_filtered_to_them(world: World) -> None:
    for org, n in (("都匀自然资源局", 2), ("福泉公安局", 1), ("州人社局", 1)):
        for _ in range(n):
            Deadline.objects.create(
                case=make_case(CaseKind.LITIGATION, defendant=world.orgs[org]),
                rule_id="litigation.defence",
                start_on=D(2021, 1, 1),
                due_on=D(2021, 1, 16),
                state=DeadlineState.OVERDUE,
                owner=world.orgs[org],
            )
    client = _client("rol_pref")

    for region, total in ((None, 4), ("都匀市", 2)):
        params = {"region": world.regions[region].pk} if region else {}
        html = client.get(URL, params).content.decode()
        overdue = re.search(r'href="([^"]+)" data-testid="overdue-count">(\d+)<', html)
        assert overdue and int(overdue.group(2)) == total
        listed = client.get(unescape(overdue.group(1))).content.decode()
        assert f"共 <strong>{total}</strong> 项" in listed
    html = client.get(URL).content.decode()
    counties = re.findall(
        r'<tr data-testid="overdue-county"><td>([^<]+)</td><td class="text-end"><a class="link-danger" '
        r'href="([^"]+)">(\d+)</a>',
        html,
    )
    assert [(name, int(n)) for name, _url, n in counties] == [("都匀市", 2), ("黔南州本级", 1), ("福泉市", 1)]
    for _name, url, n in counties:
        assert f"共 <strong>{n}</strong> 项" in client.get(unescape(url)).content.decode()


def test_a_region_outside_the_users_scope_is_ignored_by_the_deadline_list_with_a_notice(world: World) -> None:
    html = (
        _client("rol_duyun")
        .get(reverse("deadlines:list"), {"state": "overdue", "region": world.regions["安阳市"].pk})
        .content.decode()
    )

    assert "筛选条件“地区”的值无效，已忽略" in html


def test_the_open_written_report_duties_of_the_region_are_listed_with_an_overdue_badge(
    world: World, settings: Any
) -> None:
    settings.FUYUAN_REPORT_DUTY_MIN_CASES = 1
    settings.FUYUAN_LOSS_WINDOW = "year"
    _fill(world)  # 都匀 lost 2 of 4 in 2021 (50%), 福泉 1 of 5 (20%)
    opened_at = timezone.make_aware(datetime.datetime(2021, 9, 1, 9))
    [duty] = open_report_duties(now=opened_at)
    client = _client("rol_pref")

    html = client.get(URL, WINDOW).content.decode()
    fuquan = client.get(URL, {**WINDOW, "region": world.regions["福泉市"].pk}).content.decode()
    agency = _client("agency_fuquan").get(URL, WINDOW).content.decode()

    section = html.split('data-testid="report-duties"')[1].split("</table>")[0]
    assert re.search(r'data-testid="report-duty-count">1<', html)
    assert f'href="{reverse("accountability:detail", args=[duty.pk])}">都匀市</a>' in section
    assert "2021年1月1日 至 2021年9月1日" in section and "50.00%" in section
    assert "2021年10月1日" in section and 'data-testid="duty-overdue">已逾期<' in section
    assert re.search(r'data-testid="report-duty-count">0<', fuquan)
    assert "所选地区没有未办结的书面报告事项" in fuquan
    assert 'data-testid="report-duties"' not in agency  # a bureau's liaison sees no duty
    assert _cards(html)["loss_rate"]["rate"] == "33.33%"


def test_the_hearings_count_of_a_county_opens_the_weeks_hearings_of_that_county(world: World) -> None:
    today = timezone.localdate()
    court, county = world.orgs["都匀法院"], world.regions["都匀市"]
    for org, place, days in (("都匀自然资源局", county, 1), ("都匀自然资源局", county, 3), ("福泉公安局", None, 2)):
        agency = world.orgs[org]
        Hearing.objects.create(
            case=make_case(CaseKind.LITIGATION, defendant=agency),
            court=court,
            agency=agency,
            county=place or agency.region,
            held_on=today + datetime.timedelta(days=days),
            state=HearingState.NOTIFIED,
            registered_by=world.users["court_duyun"],
        )
    client = _client("rol_pref")

    html = client.get(URL, {"region": county.pk}).content.decode()

    hearings = re.search(r'href="([^"]+)" data-testid="hearings-count">(\d+)<', html)
    assert hearings and hearings.group(2) == "2"
    week = client.get(unescape(hearings.group(1))).content.decode()
    assert re.search(r"本周开庭 <strong class=\"fs-5\">2</strong> 件", week)
