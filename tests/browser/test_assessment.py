"""The 依法治办's yearly assessment through the browser (SPEC §6.7): the 州 依法治办 draws up the 2026 scheme from
执法监督 › 法治考核, weighs the appearance rate more, adopts it, reads the ranking of its counties (an indicator whose
records are missing says so), and opens the cases behind a county's 败诉率."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.assessment.conftest import lawsuits, rectification_item
from tests.browser.conftest import login, open_menu_page, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_draws_up_the_scheme_ranks_the_counties_and_opens_a_scores_records(page: Page, world: World) -> None:
    import datetime

    o = world.orgs
    lawsuits(o["都匀自然资源局"], lost=2, won=2, appeared=3)
    lawsuits(o["福泉公安局"], lost=1, won=4, appeared=2)
    rectification_item(world, o["都匀自然资源局"], due=datetime.date(2026, 6, 30), on_time=True)
    rectification_item(world, o["福泉公安局"], due=datetime.date(2026, 6, 30), on_time=False)

    login(page, "rol_pref")
    open_menu_page(page, "执法监督", "法治考核")
    page.get_by_label("考核年度").fill("2026")
    page.get_by_role("button", name="编制考核方案").click()
    expect(page.get_by_role("alert")).to_contain_text("已编制2026年度考核方案")

    # Weigh the appearance rate 20 instead of 10: the change is on the scheme's timeline.
    row = page.get_by_test_id("indicator-appearance_rate")
    row.get_by_label("负责人出庭应诉率分值").fill("20")
    row.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("scheme-timeline")).to_contain_text("调整指标“负责人出庭应诉率”：分值 10.00 → 20.00")
    page.get_by_role("button", name="启用方案").click()
    expect(page.get_by_role("alert")).to_contain_text("方案已启用")
    screenshot(page, "assessment-scheme")

    page.get_by_role("link", name="2026年度考核排名").click()
    counties = page.get_by_test_id("ranking-counties")
    expect(counties.get_by_test_id("rank-row")).to_have_count(2)
    fuquan = counties.get_by_test_id("rank-row").filter(has_text="福泉市")
    expect(fuquan.get_by_test_id("cell-loss_rate")).to_contain_text("20%")
    expect(fuquan.get_by_test_id("cell-certificate_coverage")).to_contain_text("无记录")  # no officers registered
    screenshot(page, "assessment-ranking", docs=True)

    # 福泉's 败诉率 opens the five first-instance cases concluded in 2026 that the rate counts.
    fuquan.get_by_test_id("cell-loss_rate").get_by_role("link", name="20%").click()
    expect(page.get_by_text("一审结案")).not_to_have_count(0)
    expect(page.locator("tbody tr")).to_have_count(5)
    screenshot(page, "assessment-score-records")

    # 都匀's 销账 opens the items counted, the one reported on time ticked.
    page.go_back()
    page.get_by_test_id("ranking-counties").get_by_test_id("rank-row").filter(has_text="都匀市").get_by_test_id(
        "cell-rectification_on_time"
    ).get_by_role("link", name="100%").click()
    expect(page.get_by_test_id("record-row")).to_have_count(1)
    expect(page.get_by_text("本年度计入 1 件，其中按期销账 1 件")).to_be_visible()
