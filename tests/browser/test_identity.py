"""Identity through the browser: an administrator enrols an authenticator app and logs in with a code; a person
whose password expired changes it and cannot reuse the old one; a locked account is told until when."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from fuyuan.security.models import PasswordHistory
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, World, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_enrols_an_authenticator_app_then_logs_in_with_a_code(page: Page, world: World) -> None:
    admin = world.users["secadmin"]

    login(page, "secadmin")
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    page.goto(page.base_url + "/security/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    expect(page.get_by_test_id("otp-required")).to_contain_text("管理员账号必须启用双因素认证")
    expect(page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    screenshot(page, "security-otp-setup")
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    page.get_by_label("6 位动态验证码").fill(totp_code(device))
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_role("alert").first).to_contain_text("身份验证器已绑定")
    expect(page.get_by_test_id("otp-state")).to_have_text("已启用")

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    login(page, "secadmin")
    expect(page.get_by_role("heading", name="动态验证码")).to_be_visible()
    screenshot(page, "security-otp-verify")
    page.get_by_label("6 位动态验证码").fill(totp_code(device, drift=1))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="动态验证码")).not_to_be_visible()
    page.goto(page.base_url + "/security/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("otp-state")).to_have_text("已启用")
    expect(page.get_by_test_id("login-history")).to_contain_text("登录")
    screenshot(page, "security-home")


def test_a_correct_code_typed_right_after_a_wrong_one_is_met_with_how_long_to_wait(page: Page, world: World) -> None:
    login(page, "sysadmin")
    device = TOTPDevice.objects.get(user=world.users["sysadmin"], confirmed=False)
    page.get_by_label("6 位动态验证码").fill(f"{(int(totp_code(device)) + 1) % 1000000:06d}")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("验证码不正确")).to_be_visible()
    # Typed at once after the fourth wrong code: django-otp then refuses every code for 8 seconds (1 s doubled with each
    # further wrong code), long enough that a loaded machine still submits inside the wait (after one wrong code the
    # 1-second wait could be over before the click arrives).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now(), throttling_failure_count=4
    )

    page.get_by_label("6 位动态验证码").fill(totp_code(device))
    page.get_by_role("button", name="完成绑定").click()

    expect(page.get_by_text(re.compile(r"请等待 [1-8] 秒后再提交（本次输入的验证码未核对）"))).to_be_visible()
    expect(page.get_by_text("验证码不正确")).not_to_be_visible()
    screenshot(page, "security-otp-wait")


def test_a_person_changes_an_expired_password_and_cannot_reuse_the_old_one(page: Page, world: World) -> None:
    user = world.users["agency_duyun"]
    PasswordHistory.objects.filter(user=user).update(set_at=timezone.now() - timedelta(days=120))

    login(page, "agency_duyun")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_test_id("password-notice")).to_contain_text("您的密码已使用超过 90 天，已过期")
    page.goto(page.base_url + "/cases/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()

    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入新密码").fill(PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("不能使用最近 5 次用过的密码")
    screenshot(page, "security-password-reuse")

    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("Spring-rain-2027")
    page.get_by_label("再次输入新密码").fill("Spring-rain-2027")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("alert").first).to_contain_text("密码已修改")
    expect(page.get_by_role("heading", name="修改密码")).not_to_be_visible()


def test_a_locked_account_is_told_it_is_locked_and_until_when(page: Page, world: World) -> None:
    for _ in range(5):
        login(page, "agency_duyun", "Wrong-guess-2026")
    expect(page.get_by_test_id("locked")).to_contain_text("连续 5 次登录失败，该账号已被锁定至")
    screenshot(page, "security-locked")

    login(page, "agency_duyun")
    expect(page.get_by_test_id("locked")).to_be_visible()
