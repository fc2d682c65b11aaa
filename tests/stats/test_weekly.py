"""一清周报 (``stats:weekly``, ``stats:weekly_export``): per county the week's and the year's counts equal the
figures of those windows, every count links to its cases, the week turns, the export has the same numbers; only
the 依法治办 and the leaders see it, in a fixed number of queries."""

from __future__ import annotations

import datetime
import io
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fuyuan.cases.choices import CaseKind, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.stats import figures as fig
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date
# Wednesday 11 November 2026: its week runs Monday 9 to Sunday 15 November.
WEEK = {"week": "2026-11-11"}


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _cases(world: World) -> None:
    duyun, fuquan = world.orgs["都匀自然资源局"], world.orgs["福泉公安局"]
    make_case(CaseKind.LITIGATION, defendant=duyun, filed_on=D(2026, 11, 9))
    make_case(CaseKind.LITIGATION, defendant=duyun, filed_on=D(2026, 3, 1), concluded_on=D(2026, 11, 15),
              outcome=LitigationOutcome.REVOKED)  # fmt: skip
    make_case(CaseKind.LITIGATION, defendant=duyun, filed_on=D(2026, 2, 1), concluded_on=D(2026, 6, 1),
              outcome=LitigationOutcome.CLAIM_DISMISSED)  # fmt: skip
    make_case(
        CaseKind.LITIGATION, defendant=fuquan, filed_on=D(2026, 1, 5), hearing_on=D(2026, 11, 10), head_appeared=True
    )
    make_case(CaseKind.RECONSIDERATION, defendant=fuquan, received_on=D(2026, 11, 16))  # the next week
    make_case(CaseKind.LITIGATION, defendant=world.orgs["安阳市场监管局"], filed_on=D(2026, 11, 10))  # elsewhere


def _cell_numbers(html: str, testid: str) -> dict[str, list[str]]:
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        head = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        if head and not head.group(1).startswith("县"):
            rows[head.group(1).strip()] = re.findall(r'<td class="text-end"><a href="[^"]*">(\d+)</a></td>', row)
    return rows


def test_the_week_and_the_year_show_the_figures_of_those_windows_per_county(world: World) -> None:
    _cases(world)

    html = _client("rol_pref").get(reverse("stats:weekly"), WEEK).content.decode()

    week = _cell_numbers(html, "week-table")
    year = _cell_numbers(html, "year-table")
    cases = Case.objects.filter(region__path__startswith=world.regions["黔南州"].path)
    week_total = fig.table(cases, D(2026, 11, 9), D(2026, 11, 15))["counts"]
    year_total = fig.table(cases, D(2026, 1, 1), D(2026, 11, 15))["counts"]
    columns = ("reconsideration.received", "reconsideration.concluded", "reconsideration.corrected",
               "litigation.filed", "litigation.concluded", "litigation.lost", "litigation.hearings",
               "litigation.head_appeared")  # fmt: skip
    assert week["合计"] == [str(week_total[m]) for m in columns] == ["0", "0", "0", "1", "1", "1", "1", "1"]
    assert year["合计"] == [str(year_total[m]) for m in columns] == ["0", "0", "0", "4", "2", "1", "1", "1"]
    assert week["都匀市"] == ["0", "0", "0", "1", "1", "1", "0", "0"]
    assert week["福泉市"] == ["0", "0", "0", "0", "0", "0", "1", "1"]
    assert week["黔南州本级"] == ["0"] * 8  # every county reports, even with nothing
    assert "2026年11月9日（周一）至 2026年11月15日（周日）" in html
    assert "50.00%" in html  # 都匀市's loss rate for the year: 1 of 2


def test_every_count_links_to_the_cases_behind_it(world: World) -> None:
    _cases(world)
    client = _client("rol_pref")

    html = client.get(reverse("stats:weekly"), WEEK).content.decode()

    links = [unescape(href) for href in re.findall(r'href="(/cases/\?[^"]*)"', html)]
    # 3 rows + total, 8 counts in the week, 8 in the year, 2 per rate × 3 rates.
    assert len(links) == 4 * (8 + 8 + 6)
    lost_week_duyun = f"figure=litigation.lost&from=2026-11-09&to=2026-11-15&county={world.regions['都匀市'].pk}"
    assert any(lost_week_duyun in link for link in links)
    listed = client.get(reverse("cases:list") + "?" + lost_week_duyun).content.decode()
    assert "（2021）黔27行初" in listed


def test_the_week_turns_back_and_forward_and_defaults_to_this_week(world: World) -> None:
    client = _client("rol_pref")

    html = client.get(reverse("stats:weekly"), WEEK).content.decode()
    default = client.get(reverse("stats:weekly"), {"week": "not-a-day"}).content.decode()

    assert 'href="?week=2026-11-02"' in html and 'href="?week=2026-11-16"' in html
    monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    assert f"{monday.year}年{monday.month}月{monday.day}日（周一）" in default


def test_the_export_has_the_same_numbers(world: World) -> None:
    _cases(world)

    response = _client("leader_pref").get(reverse("stats:weekly_export"), WEEK)

    assert response.status_code == 200
    assert "weekly-" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content))["一清周报"].iter_rows(values_only=True))
    assert rows[0][:3] == ("县（市、区）", "本周复议收案", "本周复议办结")
    total = next(row for row in rows if row[0] == "合计")
    assert total[1:9] == (0, 0, 0, 1, 1, 1, 1, 1)
    assert total[9:17] == (0, 0, 0, 4, 2, 1, 1, 1)
    assert total[17:] == (None, 50.0, 100.0)


def test_a_county_office_sees_only_its_county_and_cannot_choose_the_prefecture(world: World) -> None:
    _cases(world)

    html = (
        _client("rol_duyun")
        .get(reverse("stats:weekly"), {**WEEK, "region": world.regions["黔南州"].pk})
        .content.decode()
    )

    assert list(_cell_numbers(html, "week-table")) == ["都匀市", "合计"]


def test_only_the_office_and_the_leaders_see_the_weekly_summary(world: World) -> None:
    for username in ("agency_duyun", "court_duyun", "recon_pref", "centre", "coordinator", "auditadmin"):
        client = _client(username)
        assert client.get(reverse("stats:weekly")).status_code == 403, username
        assert client.get(reverse("stats:weekly_export")).status_code == 403, username
    assert _client("leader_pref").get(reverse("stats:weekly")).status_code == 200


def test_the_page_runs_a_fixed_number_of_queries_however_many_cases(
    world: World, django_assert_max_num_queries: object
) -> None:
    client = _client("rol_pref")
    _cases(world)
    with django_assert_max_num_queries(15) as few:  # type: ignore[operator]
        client.get(reverse("stats:weekly"), WEEK)
    for _ in range(10):
        _cases(world)

    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        client.get(reverse("stats:weekly"), WEEK)
