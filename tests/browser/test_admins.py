"""三员管理 through the browser: the system administrator creates an account, the security administrator gives it a
role and a region, the new person logs in (changing the initial password) and sees their region's cases only;
the system administrator deactivates the account and the person can no longer log in."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from fuyuan.core.models import User
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL = "Chushi-2026!mima"
CHOSEN = "Fuquan-2026!wode"


def enrol(username: str) -> TOTPDevice:
    """The administrator's authenticator app, as set up at their first log-in (tests/browser/test_identity.py)."""
    return TOTPDevice.objects.create(user=User.objects.get(username=username), name="身份验证器", confirmed=True)


def login_admin(page: Page, username: str) -> None:
    """Log in with the password and, when the page asks for it, the code of the administrator's authenticator."""
    login(page, username)
    if "/security/otp" not in page.url:
        return
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    # A code is accepted once: a second log-in within the same 30 seconds takes the next step's code.
    now_t = int((time.time() - device.t0) // device.step)
    drift = max(0, device.last_t - now_t + 1)
    page.get_by_label("6 位动态验证码").fill(totp_code(device, drift=drift))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")
    assert "/security/otp" not in page.url, "the code was refused"


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def open_admin_page(page: Page, path: str) -> None:
    page.goto(page.base_url + path)  # type: ignore[attr-defined]


def test_an_account_is_created_authorised_used_and_deactivated_by_separate_administrators(
    page: Page, world: World
) -> None:
    enrol("sysadmin")
    enrol("secadmin")
    fuquan_case = make_case(
        number="（2026）黔2702行初31号", defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"]
    )
    duyun_case = make_case(number="（2026）黔2701行初32号", defendant=world.orgs["都匀自然资源局"])

    # The system administrator creates the account: it has no role yet.
    login_admin(page, "sysadmin")
    open_admin_page(page, "/security/admins/users/")
    page.get_by_test_id("create-link").click()
    page.get_by_label("用户名").fill("lixiao")
    page.get_by_label("姓名").fill("李晓")
    page.get_by_label("手机号码").fill("13900001234")
    page.get_by_label("初始密码").fill(INITIAL)
    page.get_by_label("再次输入").fill(INITIAL)
    screenshot(page, "admins-create-form")
    page.get_by_test_id("create").click()
    expect(page.get_by_text("已创建账号 lixiao，请安全管理员为其分配角色和范围")).to_be_visible()
    expect(page.get_by_test_id("account-role")).to_have_text("未分配")
    expect(page.get_by_test_id("role-form")).to_have_count(0)  # authorising is not the system administrator's
    screenshot(page, "admins-created")
    logout(page)

    # The security administrator makes it the 依法治办 of 福泉市.
    login_admin(page, "secadmin")
    open_admin_page(page, "/security/admins/users/?role=none")
    expect(page.get_by_test_id("create-link")).to_have_count(0)
    page.get_by_role("link", name="lixiao").click()
    page.get_by_label("角色").select_option(label="依法治办")
    page.get_by_label("所属地区").select_option(label="福泉市（县/市/区）")
    page.get_by_test_id("assign-role").click()
    expect(page.get_by_text("已将账号 lixiao 授权为依法治办")).to_be_visible()
    expect(page.get_by_test_id("account-region")).to_have_text("福泉市")
    expect(page.get_by_test_id("timeline")).to_contain_text("账号 lixiao 授权为依法治办，范围：福泉市")
    screenshot(page, "admins-authorised")
    logout(page)

    # The new person logs in, must replace the initial password, and sees 福泉市's cases only.
    login(page, "lixiao", INITIAL)
    expect(page).to_have_url(re.compile(r"/security/password/"))
    page.get_by_label("当前密码").fill(INITIAL)
    page.get_by_label("新密码", exact=True).fill(CHOSEN)
    page.get_by_label("再次输入新密码").fill(CHOSEN)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_load_state("networkidle")
    open_admin_page(page, "/cases/")
    expect(page.get_by_text(fuquan_case.number)).to_be_visible()
    expect(page.get_by_text(duyun_case.number)).to_have_count(0)
    logout(page)

    # The system administrator deactivates the account with a reason.
    login_admin(page, "sysadmin")
    open_admin_page(page, "/security/admins/users/?q=lixiao")
    page.get_by_role("link", name="lixiao").click()
    page.get_by_label("原因").fill("借调结束，返回原单位")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("deactivate").click()
    expect(page.get_by_text("已停用账号 lixiao")).to_be_visible()
    expect(page.get_by_test_id("account-state")).to_have_text("停用")
    expect(page.get_by_test_id("timeline")).to_contain_text("停用账号 lixiao：借调结束，返回原单位")
    screenshot(page, "admins-deactivated")
    open_admin_page(page, "/security/admins/users/")
    screenshot(page, "admins-users")
    logout(page)

    # The person can no longer log in.
    login(page, "lixiao", CHOSEN)
    expect(page).to_have_url(f"{page.base_url}/login/")  # type: ignore[attr-defined]
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "admins-login-refused")


def test_the_administrators_read_the_configuration_and_the_policy(page: Page, world: World) -> None:
    enrol("sysadmin")
    enrol("secadmin")

    login_admin(page, "sysadmin")
    open_admin_page(page, "/security/admins/system/")
    expect(page.get_by_role("heading", name="系统配置")).to_be_visible()
    screenshot(page, "admins-system")
    logout(page)

    login_admin(page, "secadmin")
    open_admin_page(page, "/security/admins/policy/")
    expect(page.get_by_test_id("second-factor")).to_contain_text("sysadmin")
    screenshot(page, "admins-policy")
    open_admin_page(page, "/security/admins/lockouts/")
    expect(page.get_by_text("当前没有被锁定的账号")).to_be_visible()
    screenshot(page, "admins-lockouts")


def test_the_system_administrator_keeps_the_reference_data_in_the_configuration_site(page: Page, world: World) -> None:
    enrol("sysadmin")

    login_admin(page, "sysadmin")
    open_admin_page(page, "/admin/")
    expect(page.get_by_role("link", name="地区")).to_be_visible()
    expect(page.get_by_role("link", name="用户")).to_have_count(0)
    page.get_by_role("link", name="单位").first.click()
    page.get_by_role("link", name="都匀市自然资源局").click()
    expect(page.get_by_text("王局长")).to_be_visible()
    screenshot(page, "admins-configuration-site")
