"""The password policy: length, character classes, no reuse of the last five, expiry (GB/T 22239-2019 8.1.4.1 a))."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from fuyuan.security.models import PasswordHistory
from fuyuan.security.passwords import require_change
from tests.factories import PASSWORD, log_in_through_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def messages_for(password: str, user=None) -> str:
    try:
        validate_password(password, user)
    except ValidationError as e:
        return " ".join(e.messages)
    return ""


def change(client, old: str, new: str):
    return client.post(
        "/security/password/", {"old_password": old, "new_password1": new, "new_password2": new}, follow=True
    )


def test_the_demo_password_and_the_test_password_meet_the_policy(world):
    assert messages_for("Fuyuan@2026") == ""
    assert messages_for(PASSWORD) == ""


def test_a_short_password_is_refused_naming_the_minimum_length():
    assert "至少需要 10 个字符（现在 7 个）" in messages_for("Ab1!xyz")


@override_settings(FUYUAN_PASSWORD_MIN_LENGTH=14)
def test_the_minimum_length_is_a_setting():
    assert "至少需要 14 个字符" in messages_for("Abcdef1!23xy")


def test_a_password_of_two_character_classes_is_refused_naming_what_is_missing():
    message = messages_for("abcdefgh1234")
    assert "至少要有 3 类" in message
    assert "缺少大写字母、符号" in message


def test_three_classes_of_four_are_enough():
    assert messages_for("abcdefgh123!") == ""
    assert messages_for("ABCDEFgh1234") == ""


def test_each_of_the_last_five_passwords_is_refused_and_the_sixth_is_allowed_again(world):
    user = world.users["agency_duyun"]
    passwords = [f"Old-pass-{n}-2026" for n in range(6)]
    for p in passwords:
        user.set_password(p)
        user.save()
    for recent in passwords[1:]:
        assert "不能使用最近 5 次用过的密码" in messages_for(recent, user)
    assert messages_for(passwords[0], user) == ""
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_the_change_password_page_refuses_an_old_password_and_accepts_a_new_one(client, world):
    user = world.users["agency_duyun"]
    client.force_login(user)
    page = change(client, PASSWORD, PASSWORD)
    assert "不能使用最近 5 次用过的密码" in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    page = change(client, PASSWORD, "New-secret-2026")
    assert "密码已修改" in page.content.decode()
    user.refresh_from_db()
    assert user.check_password("New-secret-2026")
    assert client.get("/cases/").status_code == 200  # still logged in

    page = change(client, "New-secret-2026", PASSWORD)
    assert "不能使用最近 5 次用过的密码" in page.content.decode()


def test_a_wrong_current_password_changes_nothing(client, world):
    user = world.users["agency_duyun"]
    client.force_login(user)
    page = change(client, "not-my-password", "New-secret-2026")
    assert "当前密码不正确" in page.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_account_from_before_the_policy_starts_its_password_age_at_its_first_log_in(client, world):
    user = world.users["agency_duyun"]
    PasswordHistory.objects.filter(user=user).delete()
    user.date_joined = timezone.now() - timedelta(days=400)
    user.save(update_fields=["date_joined"])

    response = log_in_through_page(client, "agency_duyun")

    assert response.url == "/"
    assert client.get("/cases/").status_code == 200
    assert PasswordHistory.objects.get(user=user).set_at > timezone.now() - timedelta(minutes=1)


def test_an_expired_password_must_be_changed_before_anything_else(client, world):
    user = world.users["agency_duyun"]
    PasswordHistory.objects.filter(user=user).update(set_at=timezone.now() - timedelta(days=91))

    log_in_through_page(client, "agency_duyun")
    page = client.get("/cases/", follow=True)

    assert page.redirect_chain[-1][0].startswith("/security/password/")
    body = page.content.decode()
    assert "您的密码已使用超过 90 天，已过期：请修改密码后继续使用" in body
    assert client.get("/security/").status_code == 302

    page = change(client, PASSWORD, "Fresh-secret-2026")
    assert page.redirect_chain[-1][0] == "/hearings/mine/"  # where the agency liaison lands (core.views.LANDING)
    assert client.get("/cases/").status_code == 200
    expiry = client.get("/security/").content.decode()
    assert (timezone.localdate() + timedelta(days=90)).isoformat() in expiry


def test_a_password_younger_than_the_maximum_age_is_not_expired(client, world):
    user = world.users["agency_duyun"]
    PasswordHistory.objects.filter(user=user).update(set_at=timezone.now() - timedelta(days=89))
    log_in_through_page(client, "agency_duyun")
    assert client.get("/cases/").status_code == 200


@override_settings(FUYUAN_PASSWORD_MAX_AGE_DAYS=0)
def test_a_maximum_age_of_zero_means_passwords_never_expire(client, world):
    user = world.users["agency_duyun"]
    PasswordHistory.objects.filter(user=user).update(set_at=timezone.now() - timedelta(days=3000))
    log_in_through_page(client, "agency_duyun")
    assert client.get("/cases/").status_code == 200
    assert "长期有效" in client.get("/security/").content.decode()


def test_a_password_set_by_an_administrator_must_be_replaced_at_the_next_log_in(client, world):
    user = world.users["agency_duyun"]
    user.set_password("Given-by-admin-2026")
    user.save()
    require_change(user)

    log_in_through_page(client, "agency_duyun", "Given-by-admin-2026")
    page = client.get("/", follow=True)

    assert page.redirect_chain[-1][0].startswith("/security/password/")
    assert "您的密码由管理员设置" in page.content.decode()
    change(client, "Given-by-admin-2026", "Only-mine-2026")
    assert client.get("/cases/").status_code == 200
