"""The system administrator registers a court's system, creates its token (shown once), the token works on the API,
and the administrator revokes it; and the endpoint list for developers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _status(base_url: str, token: str) -> int:
    request = urllib.request.Request(base_url + "/api/v1/cases/", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_an_administrator_creates_a_token_shown_once_and_revokes_it(page: Page, world: World) -> None:
    # The three administrators log in with a second factor (fuyuan.security).
    device = TOTPDevice.objects.create(user=world.users["sysadmin"], name="身份验证器", confirmed=True)
    login(page, "sysadmin")
    page.get_by_label("6 位动态验证码").fill(totp_code(device))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="动态验证码")).not_to_be_visible()
    page.goto(page.base_url + "/api/systems/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="外部系统与接口令牌")).to_be_visible()
    page.get_by_label("系统名称").fill("都匀法院审判系统")
    page.get_by_label("系统类别").select_option(label="法院系统")
    page.get_by_label("所属单位").select_option(label="都匀市人民法院")
    page.get_by_test_id("register-system").click()
    expect(page.get_by_text("已登记外部系统“都匀法院审判系统”，请为其生成令牌")).to_be_visible()
    row = page.get_by_test_id("system-row").filter(has_text="都匀法院审判系统")
    expect(row).to_contain_text("尚无令牌")

    row.get_by_test_id("create-token").click()
    expect(page.get_by_text("令牌只在本页显示")).to_be_visible()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    assert len(secret) == 40
    screenshot(page, "api-token-created")
    assert _status(page.base_url, secret) == 200  # type: ignore[attr-defined]

    page.get_by_test_id("back").click()
    token_row = page.get_by_test_id("token-row")
    expect(token_row).to_contain_text(secret[:8])
    expect(token_row.get_by_test_id("token-state")).to_have_text("有效")
    expect(page.get_by_text(secret)).to_have_count(0)
    screenshot(page, "api-systems")

    page.on("dialog", lambda dialog: dialog.accept())
    token_row.get_by_test_id("revoke").click()
    expect(page.get_by_text(f"已吊销“都匀法院审判系统”的令牌 {secret[:8]}…")).to_be_visible()
    expect(page.get_by_test_id("token-state")).to_have_text("已吊销")
    assert _status(page.base_url, secret) == 401  # type: ignore[attr-defined]


def test_the_docs_page_lists_the_endpoints_in_chinese(page: Page, world: World) -> None:
    page.goto(page.base_url + "/api/docs/")  # type: ignore[attr-defined]

    expect(page.get_by_role("heading", name="府院联动平台对外接口")).to_be_visible()
    expect(page.get_by_test_id("endpoint")).to_have_count(6)
    expect(page.get_by_test_id("endpoint").filter(has_text="推送案件（按案号登记或更新）")).to_contain_text("number")
    screenshot(page, "api-docs")
