"""The error pages as a user meets them with debug off: in the site's layout, styled, in Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stale_link_opens_the_chinese_not_found_page_with_the_sites_menu(page: Page, world: World) -> None:
    login(page, "rol_pref")

    response = page.goto(page.base_url + "/cases/999999/")  # type: ignore[attr-defined]

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在（404）")).to_be_visible()
    expect(page.get_by_role("link", name="案件台账")).to_be_visible()
    # site.css is applied: the bar has the site's colour, not the browser's default white.
    colour = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    screenshot(page, "error-404")


@pytest.mark.urls("tests.core.test_hardening")
def test_a_server_error_opens_the_chinese_error_page_in_the_sites_layout(page: Page, world: World) -> None:
    login(page, "rol_pref")

    response = page.goto(page.base_url + "/boom/500/")  # type: ignore[attr-defined]

    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", name="系统出错（500）")).to_be_visible()
    expect(page.get_by_role("link", name="首页")).to_be_visible()
    colour = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    screenshot(page, "error-500")
