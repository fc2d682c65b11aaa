"""Lock-out after repeated failed log-ins (django-axes; GB/T 22239-2019 8.1.4.1 b) 限制非法登录次数), and failed
log-ins that reveal nothing about which accounts exist."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from tests.factories import PASSWORD, log_in_through_page

pytestmark = pytest.mark.django_db


def alert(response) -> str:
    """The text of the page's alert: what a person reads after pressing 登录."""
    found = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def fail(client, username: str, times: int):
    response = None
    for _ in range(times):
        response = log_in_through_page(client, username, "wrong-Password-1")
    return response


def test_four_failures_do_not_lock_and_the_right_password_then_works(client, world):
    response = fail(client, "agency_duyun", 4)
    assert response.status_code == 200
    assert alert(response) == "用户名或密码不正确，请重新输入。"
    assert log_in_through_page(client, "agency_duyun").url == "/"


def test_the_fifth_failure_locks_the_account_and_says_until_when(client, world):
    response = fail(client, "agency_duyun", 5)

    assert response.status_code == 429
    until = timezone.localtime(AccessAttempt.objects.get(username="agency_duyun").attempt_time + timedelta(minutes=30))
    message = alert(response)
    assert "连续 5 次登录失败，该账号已被锁定至" in message
    assert f"{until:%Y年}{until.month}月{until.day}日 {until:%H:%M}" in message


def test_a_locked_account_is_refused_even_with_the_right_password_and_the_lock_does_not_grow(client, world):
    fail(client, "agency_duyun", 5)
    first = AccessAttempt.objects.get(username="agency_duyun").attempt_time

    response = log_in_through_page(client, "agency_duyun", PASSWORD)

    assert response.status_code == 429
    assert "该账号已被锁定" in alert(response)
    assert client.get("/cases/").status_code == 302  # not logged in
    assert AccessAttempt.objects.get(username="agency_duyun").attempt_time == first


def test_the_lock_is_per_account_from_every_address(client, world):
    fail(client, "agency_duyun", 5)
    other_address = client.post("/login/", {"username": "agency_duyun", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 429
    assert log_in_through_page(client, "agency_fuquan").url == "/"  # another account is not locked


def test_after_the_lock_time_the_right_password_works_again(client, world):
    fail(client, "agency_duyun", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert log_in_through_page(client, "agency_duyun").url == "/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_failure_limit_is_a_setting(client, world):
    assert fail(client, "agency_duyun", 3).status_code == 429


def test_a_failed_log_in_reads_the_same_whether_or_not_the_account_exists(client, world):
    existing = log_in_through_page(client, "agency_duyun", "wrong-Password-1")
    unknown = log_in_through_page(client, "nobody_here", "wrong-Password-1")
    assert existing.status_code == unknown.status_code == 200
    assert alert(existing) == alert(unknown) == "用户名或密码不正确，请重新输入。"


def test_a_deactivated_account_reads_like_a_wrong_password(client, world):
    user = world.users["agency_duyun"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert alert(log_in_through_page(client, "agency_duyun")) == "用户名或密码不正确，请重新输入。"


def test_an_unknown_username_is_locked_the_same_way_as_a_real_one(client, world):
    real = fail(client, "agency_duyun", 5)
    unknown = fail(client, "nobody_here", 5)
    assert real.status_code == unknown.status_code == 429
    strip_time = re.compile(r"\d{4}年\d+月\d+日 \d\d:\d\d")
    assert strip_time.sub("…", alert(real)) == strip_time.sub("…", alert(unknown))


def test_a_successful_log_in_clears_the_count_of_failures(client, world):
    fail(client, "agency_duyun", 4)
    log_in_through_page(client, "agency_duyun")
    client.post("/logout/")
    assert fail(client, "agency_duyun", 4).status_code == 200


def test_the_security_administrator_sees_which_accounts_are_locked_until_when_and_can_unlock(client, world):
    from axes.utils import reset

    from fuyuan.security.lockout import locked_accounts

    fail(client, "agency_duyun", 3)
    client.post("/login/", {"username": "agency_duyun", "password": "x-Wrong-1"}, REMOTE_ADDR="10.9.8.7")
    client.post("/login/", {"username": "agency_duyun", "password": "x-Wrong-1"}, REMOTE_ADDR="10.9.8.7")
    fail(client, "agency_fuquan", 2)

    [(username, until)] = locked_accounts()

    assert username == "agency_duyun"
    assert timedelta(minutes=29) < until - timezone.now() <= timedelta(minutes=30)
    reset(username="agency_duyun")
    assert locked_accounts() == []
    assert log_in_through_page(client, "agency_duyun").url == "/"
