"""The supervision menu: the 依法治办 reaches 一清周报, 通报, 书面报告, 对标数据, 复议办案指标, 败诉问责, 典型案例, 移送纪委,
领导包案 and 销账本 from one dropdown."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_supervision_menu_opens_each_of_its_pages(page: Page, world: World) -> None:
    login(page, "rol_pref")
    menu = page.get_by_test_id("nav-supervision")

    pages = (
        ("一清周报", "一清"), ("通报", "通报"), ("书面报告", "书面报告"), ("对标数据", "对标数据"),
        ("复议办案指标", "办案指标"), ("败诉问责", "败诉"), ("典型案例", "典型案例"), ("移送纪委", "移送"), ("领导包案", "包案"), ("销账本", "销账本"),
    )  # fmt: skip
    for item, heading in pages:
        page.wait_for_load_state("load")  # the dropdown opens by Bootstrap's (deferred) script
        menu.get_by_role("button", name="监督问责").click()
        menu.get_by_role("link", name=item, exact=True).click()
        expect(page.locator("h1").first).to_contain_text(heading)
    page.wait_for_load_state("load")
    menu.get_by_role("button", name="监督问责").click()
    screenshot(page, "nav-supervision")
