import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_is_refused_in_chinese(page: Page, world: World) -> None:
    login(page, "rol_pref", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    screenshot(page, "login-refused")


def test_agency_liaison_logs_in_and_sees_their_name_and_role(page: Page, world: World) -> None:
    login(page, "agency_duyun")
    expect(page.get_by_test_id("current-user")).to_contain_text("机关联络员")
    expect(page.get_by_test_id("current-user")).to_contain_text("都匀市自然资源局")
