"""账号安全: the person's own log-in history, password age and second-factor state."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.security.models import PasswordHistory
from tests.factories import log_in_through_page

pytestmark = pytest.mark.django_db


def event(kind: AuditKind, summary: str, username: str, ip: str = "10.1.2.3") -> None:
    request = RequestFactory().get("/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox/140")
    record(kind, summary, request=request, username=username)


def test_the_page_lists_the_persons_own_log_ins_failures_lock_outs_and_log_outs(client, world):
    event(AuditKind.LOGIN_FAILED, "密码错误", "agency_duyun", ip="10.6.6.6")
    event(AuditKind.LOCKED_OUT, "连续 5 次失败，账号锁定", "agency_duyun", ip="10.6.6.6")
    event(AuditKind.LOGIN, "登录", "agency_duyun")
    event(AuditKind.LOGOUT, "退出", "agency_duyun")
    event(AuditKind.LOGIN, "登录", "agency_fuquan", ip="10.7.7.7")
    event(AuditKind.EXPORT, "导出台账", "agency_duyun", ip="10.8.8.8")
    client.force_login(world.users["agency_duyun"])

    body = client.get("/security/").content.decode()

    table = body[body.index('data-testid="login-history"') :]
    for text in ("登录失败", "密码错误", "账号锁定", "10.6.6.6", "10.1.2.3", "退出", "成功", "Firefox/140"):
        assert text in table
    assert "10.7.7.7" not in body  # someone else's
    assert "10.8.8.8" not in body  # not a log-in event
    assert table.index("退出") < table.index("10.6.6.6")  # newest first


def test_the_page_shows_at_most_fifty_entries(client, world, django_assert_max_num_queries):
    for n in range(60):
        event(AuditKind.LOGIN_FAILED, f"密码错误 {n}", "agency_duyun")
    client.force_login(world.users["agency_duyun"])

    with django_assert_max_num_queries(12):
        body = client.get("/security/").content.decode()

    table = body[body.index('data-testid="login-history"') :]
    assert table.count("<tr>") == 1 + 50  # the header and fifty entries, the newest first
    assert "密码错误 59" in table
    assert "密码错误 9<" not in table


def test_a_real_log_in_appears_in_the_history(client, world):
    log_in_through_page(client, "agency_duyun", "wrong-Password-1")
    log_in_through_page(client, "agency_duyun")
    body = client.get("/security/").content.decode()
    assert "127.0.0.1" in body
    assert "登录失败" in body


def test_the_page_shows_the_password_age_its_expiry_and_the_second_factor_state(client, world):
    user = world.users["agency_duyun"]
    set_at = timezone.now() - timedelta(days=30)
    PasswordHistory.objects.filter(user=user).update(set_at=set_at)
    client.force_login(user)

    body = client.get("/security/").content.decode()

    assert timezone.localtime(set_at).strftime("%Y-%m-%d %H:%M") in body
    assert (timezone.localtime(set_at) + timedelta(days=90)).strftime("%Y-%m-%d") in body
    assert 'href="/security/password/"' in body
    assert "未启用" in body
    assert 'href="/security/otp/setup/"' in body
