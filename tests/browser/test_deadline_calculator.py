import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_court_liaison_computes_the_defence_deadline_across_national_day(page: Page, world: World) -> None:
    login(page, "court_duyun")
    page.get_by_role("link", name="期限计算器").click()

    page.get_by_label("期限规则").select_option("litigation.defence")
    page.get_by_label("起算日").fill("2026-09-20")
    page.get_by_role("button", name="计算").click()

    result = page.get_by_test_id("deadline-result")
    expect(result).to_contain_text("2026年10月8日")
    expect(result).to_contain_text("期间原应于2026年10月5日届满，该日为法定节假日")
    expect(result).to_contain_text("行政诉讼法 第67条")
    screenshot(page, "deadline-calculator", docs=True)
