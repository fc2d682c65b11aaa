"""The supervision dashboard in a browser: the prefecture office reads its rates, changes the region, sorts the
county ranking and follows a loss-rate numerator to the cases behind it."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import CaseKind, LitigationOutcome, ReconsiderationOutcome
from fuyuan.stats.models import Benchmark, BenchmarkScope
from tests.browser.conftest import login, screenshot
from tests.factories import build_world, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date
CAUSES = ["penalty", "licensing", "levy", "registration", "nonperformance"]
DOMAINS = ["natural_resources", "land_expropriation", "housing", "labour"]


def _fill() -> None:
    world = build_world()
    agencies = {"都匀自然资源局": 3, "福泉公安局": 5, "州人社局": 4}
    n = 0
    for org, every in agencies.items():
        for month in range(1, 9):
            for _ in range(4):
                n += 1
                make_case(
                    CaseKind.LITIGATION,
                    defendant=world.orgs[org],
                    cause=CAUSES[n % len(CAUSES)],
                    domain=DOMAINS[n % len(DOMAINS)],
                    filed_on=D(2021, month, 1),
                    hearing_on=D(2021, month, 10),
                    head_appeared=(n % every) != 0,
                    concluded_on=D(2021, month, 20),
                    outcome=LitigationOutcome.REVOKED if n % every == 0 else LitigationOutcome.CLAIM_DISMISSED,
                )
            make_case(
                CaseKind.RECONSIDERATION,
                defendant=world.orgs[org],
                received_on=D(2021, month, 1),
                concluded_on=D(2021, month, 15),
                outcome=ReconsiderationOutcome.MEDIATED if month % 2 else ReconsiderationOutcome.REVOKED,
            )
    for _ in range(6):
        make_case(
            CaseKind.LITIGATION,
            defendant=world.orgs["福泉公安局"],
            filed_on=D(2020, 1, 6),
            concluded_on=D(2020, 5, 1),
            outcome="revoked",
        )
    for rate, value in (("loss_rate", "22.33"), ("correction_rate", "14.05"), ("appearance_rate", "73.99")):
        Benchmark.objects.create(
            year=2021,
            rate=rate,
            scope=BenchmarkScope.PROVINCE,
            value=Decimal(value),
            source="省司法厅2021年通报",
            entered_by=world.users["rol_pref"],
        )


def test_the_office_changes_the_region_sorts_the_ranking_and_opens_the_losses(page: Page) -> None:
    _fill()
    login(page, "rol_pref")
    page.get_by_role("link", name="监督看板").click()
    page.get_by_label("起始日期").fill("2021-01-01")
    page.get_by_label("截止日期").fill("2021-08-31")
    page.get_by_role("button", name="查看").click()
    page.wait_for_load_state("networkidle")

    loss = page.locator("[data-testid=card][data-rate=loss_rate]")
    expect(loss.get_by_test_id("rate")).to_have_text("25.00%")  # 8 + 6 + 10 = 24 of 96
    expect(loss.get_by_test_id("worse")).to_be_visible()  # above 全省平均 22.33%
    expect(page.get_by_test_id("ranking-row")).to_have_count(3)
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    expect(page.locator("#losses-cause canvas")).to_have_count(1)
    # the browser asks for less motion (the page fixture, as a person may in the system's settings): the charts are
    # drawn at once, not grown in
    animated = "['trend-chart', 'losses-cause'].map((id) => echarts.getInstanceByDom(document.getElementById(id)))"
    assert page.evaluate(f"{animated}.map((chart) => chart.getOption().animation)") == [False, False]
    screenshot(page, "dashboard")

    page.get_by_label("地区").select_option(label="\u3000都匀市")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("ranking-row")).to_have_count(1)
    expect(loss.get_by_test_id("rate")).to_have_text("31.25%")  # 都匀: 10 of 32
    assert "region=" in page.url

    page.go_back()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("sort-loss_rate").click()  # the active sort again: reversed, worst first
    expect(page.get_by_test_id("county").first).to_have_text("都匀市")
    page.get_by_test_id("sort-appearance_rate").click()
    expect(page.get_by_test_id("county").first).to_have_text("福泉市")
    assert "sort=appearance_rate" in page.url

    numerator = loss.get_by_test_id("numerator")
    count = numerator.inner_text()
    numerator.click()
    expect(page.get_by_test_id("case-count")).to_contain_text(f"共 {count} 件")
    expect(page.locator("body")).to_contain_text("统计口径：一审败诉")


# Where a chart element is drawn in the window, once the chart's opening animation (if any) is over: ECharts' own
# conversion from a data value to a pixel of its canvas.
POINT_JS = """async ([id, series, x, y]) => {
  const el = document.getElementById(id);
  el.scrollIntoView({block: "center"});
  const chart = echarts.getInstanceByDom(el);
  if (chart.getOption().animation !== false) {
    await new Promise((done) => { chart.on("finished", done); setTimeout(done, 2000); });
  }
  const [px, py] = chart.convertToPixel({seriesIndex: series}, [x, y]);
  const box = el.getBoundingClientRect();
  return [box.left + px, box.top + py];
}"""


def test_clicking_a_trend_point_and_a_loss_bar_opens_the_cases_behind_them(page: Page) -> None:
    _fill()
    login(page, "rol_pref")
    page.goto(page.base_url + "/stats/dashboard/?date_from=2021-01-01&date_to=2021-08-31")  # type: ignore[attr-defined]
    expect(page.locator("body[data-charts-ready=true]")).to_have_count(1)
    data = page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent)")

    # 败诉率 in May 2021: the point of the first series over the fifth month.
    point = data["trend"]["series"][0]["points"][4]
    x, y = page.evaluate(POINT_JS, ["trend-chart", 0, 4, point["value"]])
    page.mouse.click(x, y)
    expect(page.get_by_test_id("case-count")).to_contain_text(f"共 {point['count']} 件")
    expect(page.get_by_test_id("figure-banner")).to_contain_text("统计口径：一审败诉，2021-05-01 至 2021-05-31")

    page.go_back()
    expect(page.locator("body[data-charts-ready=true]")).to_have_count(1)
    # The longest bar of 一审败诉 · 按案由 (drawn last: the chart lists the bars from the bottom up), clicked halfway.
    bar = data["losses"][0]["bars"][0]
    shown = len(data["losses"][0]["bars"]) - 1
    x, y = page.evaluate(POINT_JS, ["losses-cause", 0, bar["count"] / 2, shown])
    page.mouse.click(x, y)
    expect(page.get_by_test_id("case-count")).to_contain_text(f"共 {bar['count']} 件")
    expect(page.get_by_label("案由")).to_have_value(re.compile(r"\w+"))
