"""对标数据 in a browser (SPEC §4): the 州 依法治办 enters the 2025 全省平均 of the 败诉率 with its source (a first try
without the source is refused), sees it in the year's table, and finds it beside the prefecture's own 败诉率 on the
supervision dashboard, marked 差于 since 25.00% is above it."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import CaseKind, LitigationOutcome
from fuyuan.stats.models import Benchmark
from tests.browser.conftest import login, screenshot
from tests.factories import build_world, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date
SOURCE = "省司法厅《2025年全省行政复议行政应诉工作情况通报》"


def _fill() -> None:
    """2025: 16 first-instance cases concluded, 4 lost (25.00%)."""
    world = build_world()
    for org in ("都匀自然资源局", "福泉公安局"):
        for n in range(8):
            make_case(
                CaseKind.LITIGATION,
                defendant=world.orgs[org],
                filed_on=D(2025, 3, 1),
                concluded_on=D(2025, 6, 10 + n),
                outcome=LitigationOutcome.REVOKED if n < 2 else LitigationOutcome.CLAIM_DISMISSED,
            )


def test_the_office_enters_a_provincial_average_and_sees_it_beside_the_loss_rate(page: Page) -> None:
    _fill()
    login(page, "rol_pref")
    menu = page.get_by_test_id("nav-supervision")
    page.wait_for_load_state("load")  # the dropdown opens by Bootstrap's (deferred) script
    menu.get_by_role("button", name="监督问责").click()
    menu.get_by_role("link", name="对标数据", exact=True).click()
    loss_row = page.get_by_test_id("benchmark-loss_rate")
    expect(loss_row).to_contain_text("未录入")

    # 全省平均 is the first column: its 录入 link opens the form with the rate and the scope filled in.
    loss_row.get_by_role("link", name="录入").first.click()
    expect(page.get_by_label("比率")).to_have_value("loss_rate")
    expect(page.get_by_label("范围")).to_have_value("province")
    page.get_by_label("年度").fill("2025")
    page.get_by_label("数值（%）").fill("22.33")
    page.get_by_test_id("benchmark-save").click()
    expect(page.get_by_text("请填写来源（发布单位与文件名称）")).to_be_visible()
    assert not Benchmark.objects.exists()

    page.get_by_label("来源").fill(SOURCE)
    page.get_by_test_id("benchmark-save").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存：2025年全省平均败诉率 22.33%")
    loss_row = page.get_by_test_id("benchmark-loss_rate")
    expect(loss_row.get_by_test_id("benchmark-value")).to_have_text("22.33%")
    expect(loss_row).to_contain_text(f"来源：{SOURCE}")
    screenshot(page, "benchmarks")

    page.get_by_role("link", name="监督看板").click()
    page.get_by_label("起始日期").fill("2025-01-01")
    page.get_by_label("截止日期").fill("2025-12-31")
    page.get_by_role("button", name="查看").click()
    page.wait_for_load_state("networkidle")
    card = page.locator("[data-testid=card][data-rate=loss_rate]")
    expect(card.get_by_test_id("rate")).to_have_text("25.00%")
    bench = card.get_by_test_id("benchmark")
    expect(bench).to_contain_text("全省平均 22.33%")
    expect(bench.get_by_test_id("worse")).to_have_text("差于")
    expect(bench).to_have_attribute("title", f"来源：{SOURCE}")
    expect(page.get_by_test_id("benchmark-row")).to_contain_text("2025年全省平均")
    expect(page.get_by_test_id("benchmark-row")).to_contain_text("22.33%")
    screenshot(page, "benchmarks-dashboard")
