"""The system and security administrators' pages (/security/admins/): who may open them, and what they do."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.models import Role, User
from tests.factories import PASSWORD, World, make_user

NEW_PASSWORD = "Qiannan-2026!x"


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def root(world: World) -> User:
    """A superuser made with `fuyuan createsuperuser`: Django's flags, no business role."""
    user = make_user("root", "")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


PAGES = {
    "/security/admins/users/": {"sysadmin", "secadmin"},
    "/security/admins/users/new/": {"sysadmin"},
    "/security/admins/users/{agency}/": {"sysadmin", "secadmin"},
    "/security/admins/system/": {"sysadmin"},
    "/security/admins/policy/": {"secadmin"},
    "/security/admins/lockouts/": {"secadmin"},
    "/audit/": {"auditadmin"},
}
PERSONAS = ["sysadmin", "secadmin", "auditadmin", "root", "rol_pref", "agency_duyun", "leader_pref"]


def test_each_administrator_opens_only_their_own_pages(world: World) -> None:
    world.users["root"] = root(world)
    agency = world.users["agency_duyun"].pk
    opened = {}
    for persona in PERSONAS:
        client = client_for(world.users[persona])
        for page in PAGES:
            status = client.get(page.format(agency=agency)).status_code
            assert status in (200, 403), (persona, page, status)
            opened[(persona, page)] = status == 200

    assert opened == {(persona, page): persona in allowed for persona in PERSONAS for page, allowed in PAGES.items()}


def test_the_audit_administrator_has_no_door_to_accounts_and_roles(world: World) -> None:
    client = client_for(world.users["auditadmin"])
    agency = world.users["agency_duyun"]

    responses = [
        client.post(f"/security/admins/users/{agency.pk}/role/", {"role": Role.RULE_OF_LAW_OFFICE}),
        client.post(f"/security/admins/users/{agency.pk}/deactivate/", {"reason": "试图停用"}),
        client.post(
            f"/security/admins/users/{agency.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        ),
        client.post("/security/admins/lockouts/unlock/", {"username": "agency_duyun"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    agency.refresh_from_db()
    assert agency.is_active and agency.role == Role.AGENCY_LIAISON and agency.check_password(PASSWORD)
    assert "此页面仅供" in responses[0].content.decode()


def test_the_account_list_shows_role_scope_state_and_a_masked_mobile(world: World) -> None:
    agency = world.users["agency_duyun"]
    agency.mobile = "13912345678"
    agency.last_login = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 15))
    agency.save()
    client = client_for(world.users["sysadmin"])

    html = client.get("/security/admins/users/?q=agency_duyun").content.decode()

    assert "139****5678" in html and "13912345678" not in html
    assert "机关联络员" in html and "都匀市自然资源局" in html and "2026-11-30 09:15" in html
    assert "agency_fuquan" not in html


def test_the_account_list_filters_by_role_and_state(world: World) -> None:
    User.objects.filter(username="agency_fuquan").update(is_active=False)
    client = client_for(world.users["secadmin"])

    html = client.get("/security/admins/users/?role=agency_liaison&state=inactive").content.decode()

    assert "agency_fuquan" in html and "agency_duyun" not in html and "共 1 个账号" in html


def test_the_account_list_costs_the_same_queries_for_many_accounts(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(60):
        make_user(f"staff{n:02d}", Role.AGENCY_LIAISON, org=world.orgs["福泉公安局"])
    client = client_for(world.users["sysadmin"])

    with django_assert_max_num_queries(12):
        response = client.get("/security/admins/users/")

    assert response.status_code == 200 and "下一页" in response.content.decode()


def test_the_system_administrator_creates_an_account_from_the_page(world: World) -> None:
    client = client_for(world.users["sysadmin"])

    response = client.post(
        "/security/admins/users/new/",
        {"username": "lixiao", "full_name": "李晓", "mobile": "13900001234", "password1": NEW_PASSWORD,
         "password2": NEW_PASSWORD},
        follow=True,
    )  # fmt: skip

    user = User.objects.get(username="lixiao")
    html = response.content.decode()
    assert "已创建账号 lixiao，请安全管理员为其分配角色和范围" in html
    assert "未分配角色" in html and "创建账号 lixiao（李晓），待安全管理员分配角色" in html
    assert user.role == "" and user.full_name == "李晓"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "rol_pref", "用户名「rol_pref」已被使用"),
        ("username", "有 空格", "请输入合法的用户名"),
        ("mobile", "1390000", "手机号码应为 11 位数字，以 1 开头"),
        ("password2", "Other-2026!x", "两次输入的密码不一致"),
        ("password1", "12345678", "密码"),
    ],
)
def test_a_bad_account_form_says_what_is_wrong_and_creates_nothing(
    world: World, field: str, value: str, message: str
) -> None:
    client = client_for(world.users["sysadmin"])
    data = {
        "username": "lixiao",
        "full_name": "李晓",
        "mobile": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data[field] = value
    if field == "password1":
        data["password2"] = value
    count = User.objects.count()

    response = client.post("/security/admins/users/new/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == count


def test_the_system_administrator_deactivates_an_account_with_a_reason_from_the_page(world: World) -> None:
    agency = world.users["agency_duyun"]
    client = client_for(world.users["sysadmin"])

    refused = client.post(f"/security/admins/users/{agency.pk}/deactivate/", {"reason": ""})
    done = client.post(f"/security/admins/users/{agency.pk}/deactivate/", {"reason": "调离岗位"}, follow=True)

    assert refused.status_code == 400 and "请填写原因（记入账号记录）" in refused.content.decode()
    html = done.content.decode()
    assert "已停用账号 agency_duyun" in html and "停用账号 agency_duyun：调离岗位" in html
    assert not User.objects.get(pk=agency.pk).is_active
    assert not Client().login(username="agency_duyun", password=PASSWORD)


def test_the_system_administrator_resets_a_password_from_the_page(world: World) -> None:
    agency = world.users["agency_duyun"]
    client = client_for(world.users["sysadmin"])

    response = client.post(
        f"/security/admins/users/{agency.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert "已重置账号 agency_duyun 的密码" in response.content.decode()
    assert User.objects.get(pk=agency.pk).check_password(NEW_PASSWORD)
    assert AuditRecord.objects.filter(kind=AuditKind.SECURITY, username="sysadmin", summary__contains="重置").exists()


def test_an_administrator_accounts_page_offers_no_reset_and_no_deactivation(world: World) -> None:
    client = client_for(world.users["sysadmin"])

    html = client.get(f"/security/admins/users/{world.users['auditadmin'].pk}/").content.decode()
    forced = client.post(f"/security/admins/users/{world.users['auditadmin'].pk}/deactivate/", {"reason": "试一试"})

    assert 'data-testid="admin-account-note"' in html and 'data-testid="deactivate"' not in html
    assert forced.status_code == 400 and "不能在此停用管理员账号" in forced.content.decode()
    assert User.objects.get(username="auditadmin").is_active


def test_the_security_administrator_assigns_a_role_and_region_from_the_page(world: World) -> None:
    fresh = make_user("lixiao", "")
    client = client_for(world.users["secadmin"])

    response = client.post(
        f"/security/admins/users/{fresh.pk}/role/",
        {"role": Role.RULE_OF_LAW_OFFICE, "region": world.regions["福泉市"].pk, "organisation": ""},
        follow=True,
    )

    fresh.refresh_from_db()
    assert fresh.role == Role.RULE_OF_LAW_OFFICE and fresh.region == world.regions["福泉市"]
    html = response.content.decode()
    assert "已将账号 lixiao 授权为依法治办" in html and "账号 lixiao 授权为依法治办，范围：福泉市" in html


def test_a_wrong_scope_is_refused_on_the_page_next_to_the_field_and_nothing_changes(world: World) -> None:
    agency = world.users["agency_duyun"]
    client = client_for(world.users["secadmin"])

    response = client.post(
        f"/security/admins/users/{agency.pk}/role/",
        {"role": Role.COURT_LIAISON, "region": "", "organisation": world.orgs["州人社局"].pk},
    )

    assert response.status_code == 400
    assert "法院联络员的所属单位应为法院，「黔南州人力资源和社会保障局」不是" in response.content.decode()
    agency.refresh_from_db()
    assert agency.role == Role.AGENCY_LIAISON and agency.organisation == world.orgs["都匀自然资源局"]


def test_the_system_configuration_shows_what_matters_and_no_secret(world: World, settings: Any) -> None:
    settings.SECRET_KEY = "django-insecure-very-secret-key-0123456789"
    settings.EMAIL_HOST_PASSWORD = "mail-password-42"
    settings.FUYUAN_SWEEP_INTERVAL = 45
    client = client_for(world.users["sysadmin"])

    html = client.get("/security/admins/system/").content.decode()

    assert "调试模式 DEBUG" in html and "关闭" in html
    assert ("SQLite" in html) or ("PostgreSQL" in html)
    assert "45 秒" in html and "30%" in html and "183 天" in html
    assert settings.SECRET_KEY not in html and "mail-password-42" not in html


def test_the_security_policy_page_reads_the_policy_in_force(world: World, settings: Any) -> None:
    settings.FUYUAN_SESSION_IDLE_MINUTES = 20
    client = client_for(world.users["secadmin"])

    html = client.get("/security/admins/policy/").content.decode()

    assert f"{settings.FUYUAN_PASSWORD_MIN_LENGTH} 位" in html
    assert f"最近 {settings.FUYUAN_PASSWORD_HISTORY} 个口令" in html
    assert f"{settings.AXES_FAILURE_LIMIT} 次" in html and f"{settings.FUYUAN_LOCKOUT_MINUTES} 分钟" in html
    assert "20 分钟" in html and "口令 + 动态验证码（TOTP）" in html
    assert "auditadmin" in html  # the administrators and their second factor


def test_the_security_administrator_unlocks_a_locked_account_from_the_lockout_page(world: World) -> None:
    from tests.security.test_three_admins import lock

    lock("agency_duyun")
    client = client_for(world.users["secadmin"])

    listed = client.get("/security/admins/lockouts/").content.decode()
    response = client.post("/security/admins/lockouts/unlock/", {"username": "agency_duyun"}, follow=True)

    assert "agency_duyun" in listed and "10.1.2.3" in listed
    html = response.content.decode()
    assert "已解锁账号 agency_duyun，可重新登录" in html and "当前没有被锁定的账号" in html
    assert Client().login(username="agency_duyun", password=PASSWORD)


def test_the_security_administrator_removes_a_lost_authenticator_from_the_account_page(world: World) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    agency = world.users["agency_duyun"]
    TOTPDevice.objects.create(user=agency, name="旧手机", confirmed=True)
    client = client_for(world.users["secadmin"])

    before = client.get(f"/security/admins/users/{agency.pk}/").content.decode()
    response = client.post(f"/security/admins/users/{agency.pk}/second-factor/reset/", follow=True)

    assert "已绑定身份验证器" in before and 'data-testid="reset-second-factor"' in before
    html = response.content.decode()
    assert "已解除账号 agency_duyun 的身份验证器绑定" in html and "重置账号 agency_duyun 的动态验证码" in html
    assert not TOTPDevice.objects.filter(user=agency).exists()
    assert (
        client_for(world.users["sysadmin"]).post(f"/security/admins/users/{agency.pk}/second-factor/reset/").status_code
        == 403
    )


def test_an_administrator_accounts_page_offers_the_security_administrator_no_role_change(world: World) -> None:
    client = client_for(world.users["secadmin"])
    auditor = world.users["auditadmin"]

    html = client.get(f"/security/admins/users/{auditor.pk}/").content.decode()
    forced = client.post(
        f"/security/admins/users/{auditor.pk}/role/", {"role": Role.LEADER, "region": world.regions["黔南州"].pk}
    )

    assert 'data-testid="admin-account-note"' in html and 'data-testid="role-form"' not in html
    assert forced.status_code == 400 and "不能在此更改管理员账号的角色（审计管理员）" in forced.content.decode()
    assert User.objects.get(pk=auditor.pk).role == Role.AUDIT_ADMIN
