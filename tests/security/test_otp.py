"""The second factor (TOTP, django-otp): required for the three administrators and superusers, optional for
everyone else (GB/T 22239-2019 8.1.4.1 d) 两种或两种以上组合的鉴别技术)."""

import base64
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fuyuan.core.models import User
from tests.factories import PASSWORD, log_in_through_page, totp_code

pytestmark = pytest.mark.django_db


def wait_after_a_wrong_code() -> None:
    """django-otp makes a person wait (1 s, doubling) after a wrong code before the next is checked."""
    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))


def enrolled(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=confirmed)


def test_an_administrator_without_an_app_is_taken_to_enrolment_and_can_open_nothing_else(client, world):
    response = log_in_through_page(client, "secadmin")
    assert response.url == "/"

    page = client.get("/", follow=True)

    assert page.redirect_chain[-1][0] == "/security/otp/setup/?next=%2F"
    body = page.content.decode()
    assert "管理员账号必须启用双因素认证" in body
    assert "<svg" in body and 'class="segno"' in body
    device = TOTPDevice.objects.get(user=world.users["secadmin"], confirmed=False)
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', body).group(1)
    assert secret.replace(" ", "") == base64.b32encode(device.bin_key).decode()
    for path in ("/cases/", "/security/", "/security/password/", "/audit/"):
        assert client.get(path).url.startswith("/security/otp/setup/")
    assert client.post("/logout/").url == "/login/"


def test_enrolment_is_confirmed_by_a_code_from_the_app(client, world):
    log_in_through_page(client, "sysadmin")
    client.get("/security/otp/setup/")
    device = TOTPDevice.objects.get(user=world.users["sysadmin"])

    wrong = client.post("/security/otp/setup/", {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    assert "6 位数字" in client.post("/security/otp/setup/", {"code": "12ab"}).content.decode()
    wait_after_a_wrong_code()

    response = client.post("/security/otp/setup/", {"code": totp_code(device), "next": "/security/"})

    assert response.url == "/security/"
    device.refresh_from_db()
    assert device.confirmed
    assert "已启用" in client.get("/security/").content.decode()


def test_an_enrolled_administrator_enters_the_code_after_the_password(client, world):
    device = enrolled(world.users["auditadmin"])
    log_in_through_page(client, "auditadmin")

    page = client.get("/security/", follow=True)
    assert page.redirect_chain[-1][0] == "/security/otp/?next=%2Fsecurity%2F"
    assert "动态验证码" in page.content.decode()

    wrong = client.post("/security/otp/", {"code": f"{(int(totp_code(device)) + 1) % 1000000:06d}"})
    assert "验证码不正确或已过期" in wrong.content.decode()
    assert client.get("/security/").status_code == 302
    wait_after_a_wrong_code()
    key_before = client.session.session_key

    response = client.post("/security/otp/", {"code": totp_code(device), "next": "/security/"})
    assert response.url == "/security/"
    assert client.session.session_key != key_before
    assert client.get("/security/").status_code == 200


def test_after_a_wrong_code_the_next_is_checked_only_after_a_pause(client, world):
    device = enrolled(world.users["auditadmin"])
    log_in_through_page(client, "auditadmin")
    client.post("/security/otp/", {"code": f"{(int(totp_code(device)) + 1) % 1000000:06d}"})

    at_once = client.post("/security/otp/", {"code": totp_code(device)})

    page = at_once.content.decode()
    assert "请等待 1 秒后再提交（本次输入的验证码未核对）" in page
    assert "验证码不正确" not in page
    assert client.get("/security/").status_code == 302


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(totp_code(device)) + 1) % 1000000:06d}"


def test_a_correct_code_right_after_a_wrong_one_at_enrolment_is_told_to_wait_not_called_wrong(client, world):
    log_in_through_page(client, "sysadmin")
    client.get("/security/otp/setup/")
    device = TOTPDevice.objects.get(user=world.users["sysadmin"])
    client.post("/security/otp/setup/", {"code": wrong_code(device)})

    at_once = client.post("/security/otp/setup/", {"code": totp_code(device)})

    page = at_once.content.decode()
    assert at_once.status_code == 200
    assert "请等待 1 秒后再提交（本次输入的验证码未核对）" in page
    assert "验证码不正确" not in page
    device.refresh_from_db()
    assert not device.confirmed
    wait_after_a_wrong_code()
    assert client.post("/security/otp/setup/", {"code": totp_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_the_wait_after_wrong_codes_doubles_and_the_page_says_how_long(client, world):
    log_in_through_page(client, "sysadmin")
    client.get("/security/otp/setup/")
    device = TOTPDevice.objects.get(user=world.users["sysadmin"])
    for _ in range(3):
        wait_after_a_wrong_code()
        assert "验证码不正确" in client.post("/security/otp/setup/", {"code": wrong_code(device)}).content.decode()
    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now())

    page = client.post("/security/otp/setup/", {"code": totp_code(device)}).content.decode()

    assert "请等待 4 秒后再提交" in page


def test_a_code_cannot_be_used_twice(client, world):
    device = enrolled(world.users["auditadmin"])
    code = totp_code(device)
    log_in_through_page(client, "auditadmin")
    client.post("/security/otp/", {"code": code})
    client.post("/logout/")

    log_in_through_page(client, "auditadmin")
    again = client.post("/security/otp/", {"code": code})

    assert "验证码不正确或已过期" in again.content.decode()


def test_with_a_password_alone_an_enrolled_administrator_cannot_enrol_another_app(client, world):
    enrolled(world.users["secadmin"])
    log_in_through_page(client, "secadmin")

    assert client.get("/security/otp/setup/").url == "/security/otp/"
    assert TOTPDevice.objects.filter(user=world.users["secadmin"]).count() == 1


def test_a_superuser_without_an_administrator_role_needs_the_code_too(client, world):
    User.objects.create_superuser("root", password=PASSWORD, role="")
    log_in_through_page(client, "root")
    assert client.get("/").url.startswith("/security/otp/setup/")


def test_other_people_are_not_asked_for_a_code(client, world):
    log_in_through_page(client, "agency_duyun")
    assert client.get("/cases/").status_code == 200
    assert "未启用" in client.get("/security/").content.decode()


def test_someone_who_enrols_by_choice_is_asked_for_the_code_from_then_on(client, world):
    log_in_through_page(client, "agency_duyun")
    client.get("/security/otp/setup/")
    device = TOTPDevice.objects.get(user=world.users["agency_duyun"])
    client.post("/security/otp/setup/", {"code": totp_code(device)})
    assert client.get("/cases/").status_code == 200
    client.post("/logout/")

    log_in_through_page(client, "agency_duyun")

    assert client.get("/cases/").url == "/security/otp/?next=%2Fcases%2F"
    client.post("/security/otp/", {"code": totp_code(device, drift=1)})
    assert client.get("/cases/").status_code == 200


def test_re_enrolling_a_new_phone_retires_the_old_one(client, world):
    old = enrolled(world.users["agency_duyun"])
    log_in_through_page(client, "agency_duyun")
    client.post("/security/otp/", {"code": totp_code(old)})

    client.get("/security/otp/setup/")
    new = TOTPDevice.objects.get(user=world.users["agency_duyun"], confirmed=False)
    client.post("/security/otp/setup/", {"code": totp_code(new)})

    assert list(TOTPDevice.objects.filter(user=world.users["agency_duyun"])) == [new]


def test_after_a_reset_of_the_second_factor_the_administrator_enrols_again(client, world):
    from fuyuan.security.second_factor import reset_second_factor

    enrolled(world.users["secadmin"])
    assert reset_second_factor(world.users["secadmin"]) == 1

    log_in_through_page(client, "secadmin")

    assert client.get("/").url.startswith("/security/otp/setup/")


def test_the_code_page_never_sends_a_person_to_another_site(client, world):
    device = enrolled(world.users["auditadmin"])
    log_in_through_page(client, "auditadmin")

    response = client.post("/security/otp/", {"code": totp_code(device), "next": "https://evil.example/"})

    assert response.url == "/"


def test_an_htmx_request_before_the_code_sends_the_whole_page_to_the_code_page(client, world):
    enrolled(world.users["auditadmin"])
    log_in_through_page(client, "auditadmin")

    response = client.get("/cases/", HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == "/security/otp/"
