"""The loss-risk early warning through the browser (issue 18 items 4–5): the 州 依法治办 opens 败诉风险预警 from the
类案与预警 menu, filters the red cases, opens one with its reasons, next steps and level history, reads the model page
(what it is and is not, the back-test, the reliability plot) and raises the red threshold; the agency then sees its
own cases only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fuyuan.risk.workflow import refresh_region
from tests.browser.conftest import login, open_menu_page, screenshot
from tests.factories import World
from tests.risk.conftest import concluded_history, pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_works_the_warning_list_and_reads_the_model_and_the_agency_sees_its_own(
    page: Page, world: World
) -> None:
    concluded_history(world, n=60)
    for _ in range(3):
        pending(world, "都匀自然资源局")
    pending(world, "都匀自然资源局", cause="penalty", domain="public_security")
    for _ in range(2):
        pending(world, "福泉公安局")
    refresh_region(world.regions["黔南州"])

    # The office finds the list in the menu, by level.
    login(page, "rol_pref")
    open_menu_page(page, "类案与预警", "败诉风险预警")
    expect(page.get_by_test_id("risk-row")).to_have_count(6)
    screenshot(page, "risk-list")
    page.get_by_test_id("level-red").click()
    red_rows = page.get_by_test_id("risk-row")
    expect(red_rows).to_have_count(3)
    expect(red_rows.first).to_contain_text("推高风险")

    # One red case: its reasons, the next steps of the platform, its level on the timeline.
    red_rows.first.get_by_test_id("next-steps").click()
    expect(page.get_by_test_id("level")).to_have_text("红色预警")
    expect(page.get_by_test_id("steps")).to_contain_text("判前会商")
    expect(page.get_by_test_id("steps")).to_contain_text("报请领导包案")
    expect(page.get_by_test_id("level-history")).to_contain_text("无 → 红色")
    screenshot(page, "risk-case")

    # The model page says what it is and how it did, with the reliability plot.
    page.goto(page.base_url + "/risk/model/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("honesty")).to_contain_text("不是对法官裁判的预测".replace("不是", ""))
    expect(page.get_by_test_id("model-metrics")).to_contain_text("0.")
    expect(page.locator("#reliability canvas")).to_have_count(1)
    screenshot(page, "risk-model")

    # The office raises the red threshold: the red cases become orange.
    page.get_by_test_id("settings-link").click()
    page.get_by_label("红色预警：评分不低于（%）").fill("95")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("预警阈值已保存")
    page.goto(page.base_url + "/risk/?level=red")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("risk-row")).to_have_count(0)

    # The agency sees its own cases only.
    login(page, "agency_fuquan")
    open_menu_page(page, "类案与预警", "败诉风险预警")
    expect(page.get_by_test_id("risk-row")).to_have_count(2)
    expect(page.get_by_test_id("risks")).not_to_contain_text("都匀市自然资源局")
