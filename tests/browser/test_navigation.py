"""The dropdown menus: the 依法治办 reaches 一清周报, 通报, 书面报告, 对标数据, 复议办案指标, 败诉问责, 典型案例, 移送纪委,
领导包案 and 销账本 from 监督问责; the 依法治办, the court and the agency reach 联席会议, 风险提示, 裁判履行 and 非诉执行
from 府院联动."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, open_linkage_page, screenshot
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


def test_the_linkage_menu_opens_the_four_linkage_pages_for_each_role_that_takes_part(page: Page, world: World) -> None:
    active = re.compile(r"\bactive\b")
    # A liaison's 联席会议 is its own unit's tasks; the 依法治办's the meetings of its region.
    for username, meetings in (("rol_pref", "/meetings/"), ("court_duyun", "/meetings/mine/"),
                               ("agency_duyun", "/meetings/mine/")):  # fmt: skip
        login(page, username)
        menu = page.get_by_test_id("nav-linkage")
        toggle = menu.get_by_role("button", name="府院联动")
        expect(menu.get_by_role("link", name="风险提示")).to_have_count(0)  # closed: the entries are not shown

        open_linkage_page(page, "非诉执行")

        expect(page).to_have_url(re.compile(r"/nonlitigation/$"))
        expect(toggle).to_have_class(active)
        page.wait_for_load_state("load")
        toggle.click()
        links = menu.get_by_role("link")
        expect(links).to_have_text(["联席会议", "风险提示", "裁判履行", "非诉执行"])
        assert [link.get_attribute("href") for link in links.all()] == [
            meetings,
            "/consultation/",
            "/performance/",
            "/nonlitigation/",
        ]
        expect(links.last).to_have_class(active)
        expect(links.first).not_to_have_class(active)
        screenshot(page, f"nav-linkage-{username}")

    # A role outside the linkage has no such menu.
    login(page, "recon_pref")
    expect(page.get_by_test_id("nav-linkage")).to_have_count(0)
