"""三员管理 (GB/T 22239-2019 8.1.4.2 d, 8.1.10): the separation of the three administrators and their actions,
through the workflow functions of ``fuyuan.security.admins``."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.models import Event, Role, User
from fuyuan.security import admins
from fuyuan.security.admins import AccountDraft, AdministrationError
from tests.factories import PASSWORD, World, make_case, make_user

NEW_PASSWORD = "Qiannan-2026!x"
ADMIN_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


def audit_of(user: User, kind: str, by: str) -> list[AuditRecord]:
    """The audit records an administrator's action wrote about ``user`` (the audit part also records every change
    of an account by itself, without an actor)."""
    records = AuditRecord.objects.filter(target_type="core.user", target_id=str(user.pk), kind=kind, username=by)
    return list(records)


# --- separation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize(
    ("flag", "reason"), [("is_superuser", "超级用户"), ("is_staff", "Django 后台职员"), ("is_head", "负责人")]
)
def test_an_administrator_account_cannot_also_hold_a_django_power(db: None, role: str, flag: str, reason: str) -> None:
    user = User(username="combined", role=role, **{flag: True})

    with pytest.raises(ValidationError) as refused:
        user.save()

    assert reason in str(refused.value)
    assert not User.objects.filter(username="combined").exists()


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_an_administrator_account_cannot_carry_a_region_or_an_organisation(world: World, role: str) -> None:
    for scope in ({"region": world.regions["都匀市"]}, {"organisation": world.orgs["都匀法院"]}):
        user = User(username="scoped_admin", role=role, **scope)

        with pytest.raises(ValidationError, match="三员不得查阅案件内容"):
            user.save()


def test_an_existing_administrator_cannot_be_given_a_scope_afterwards_through_any_door(world: World) -> None:
    auditor = world.users["auditadmin"]
    auditor.region = world.regions["黔南州"]

    with pytest.raises(ValidationError):
        auditor.save(update_fields=["region"])

    auditor.refresh_from_db()
    assert auditor.region is None


def test_a_business_account_may_hold_a_scope_and_a_superuser_without_a_role_may_exist(world: World) -> None:
    make_user("office2", Role.RULE_OF_LAW_OFFICE, region=world.regions["都匀市"])
    root = User(username="root", role="", is_superuser=True, is_staff=True)
    root.save()

    assert User.objects.filter(username__in=["office2", "root"]).count() == 2


def test_an_account_saved_before_the_rule_can_still_log_in(world: World) -> None:
    # given an administrator with the staff flag set by an older version (bulk writes bypass the receiver)
    User.objects.filter(username="sysadmin").update(is_staff=True)

    # when they log in, Django saves last_login only
    logged_in = Client().login(username="sysadmin", password=PASSWORD)

    assert logged_in
    assert User.objects.get(username="sysadmin").last_login is not None


# --- the system administrator: accounts ----------------------------------------------------------------------


def test_the_system_administrator_creates_an_account_that_sees_nothing_until_authorised(world: World) -> None:
    sysadmin = world.users["sysadmin"]

    user = admins.create_account(AccountDraft("lixiao", "李晓", "13900001234", NEW_PASSWORD), by=sysadmin)

    assert user.role == "" and user.region is None and user.organisation is None and user.is_active
    assert user.check_password(NEW_PASSWORD)
    event = Event.objects.get(object_id=user.pk, action="account_created")
    assert event.actor == sysadmin and "待安全管理员分配角色" in event.summary
    (audit,) = audit_of(user, AuditKind.PERMISSION, "sysadmin")
    assert "创建账号 lixiao" in audit.summary


def test_a_new_account_must_change_its_initial_password_at_first_log_in(world: World) -> None:
    from fuyuan.security.passwords import current_password, password_expires_at

    user = admins.create_account(AccountDraft("lixiao", "李晓", "", NEW_PASSWORD), by=world.users["sysadmin"])

    expires = password_expires_at(current_password(user))
    assert expires is not None and expires <= timezone.now()


@pytest.mark.parametrize("persona", ["secadmin", "auditadmin", "rol_pref"])
def test_only_the_system_administrator_creates_accounts(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        admins.create_account(AccountDraft("lixiao", "李晓", "", NEW_PASSWORD), by=world.users[persona])

    assert not User.objects.filter(username="lixiao").exists()


def test_a_taken_username_or_a_weak_password_is_refused_and_nothing_is_written(world: World) -> None:
    sysadmin = world.users["sysadmin"]

    with pytest.raises(AdministrationError, match="用户名「ROL_PREF」已被使用"):
        admins.create_account(AccountDraft("ROL_PREF", "重名", "", NEW_PASSWORD), by=sysadmin)
    with pytest.raises(ValidationError):
        admins.create_account(AccountDraft("weak", "弱口令", "", "12345678"), by=sysadmin)

    assert not User.objects.filter(username="weak").exists()
    assert not AuditRecord.objects.filter(kind=AuditKind.PERMISSION, username="sysadmin").exists()


def test_a_reset_password_works_once_and_must_be_changed_and_is_audited_as_security(world: World) -> None:
    from fuyuan.security.passwords import current_password

    agency = world.users["agency_duyun"]

    admins.reset_password(agency, NEW_PASSWORD, by=world.users["sysadmin"])

    agency.refresh_from_db()
    assert agency.check_password(NEW_PASSWORD)
    assert current_password(agency).change_required
    (audit,) = audit_of(agency, AuditKind.SECURITY, "sysadmin")
    assert "重置账号 agency_duyun 的密码" in audit.summary


@pytest.mark.parametrize("target", ["secadmin", "auditadmin"])
def test_the_system_administrator_cannot_take_over_another_administrators_account(world: World, target: str) -> None:
    account = world.users[target]

    with pytest.raises(AdministrationError, match="管理员账号"):
        admins.reset_password(account, NEW_PASSWORD, by=world.users["sysadmin"])
    with pytest.raises(AdministrationError, match="管理员账号"):
        admins.deactivate_account(account, "离职", by=world.users["sysadmin"])

    account.refresh_from_db()
    assert account.check_password(PASSWORD) and account.is_active


def test_a_deactivated_account_cannot_log_in_and_keeps_its_history(world: World) -> None:
    agency = world.users["agency_duyun"]
    case = make_case(defendant=world.orgs["都匀自然资源局"])

    admins.deactivate_account(agency, "调离岗位", by=world.users["sysadmin"])

    assert not Client().login(username="agency_duyun", password=PASSWORD)
    assert User.objects.filter(pk=agency.pk, is_active=False).exists()
    assert case.defendant == world.orgs["都匀自然资源局"]
    event = Event.objects.get(object_id=agency.pk, action="account_deactivated")
    assert "调离岗位" in event.summary and event.changes == {"状态": ["启用", "停用"]}
    assert "停用账号 agency_duyun：调离岗位" in audit_of(agency, AuditKind.PERMISSION, "sysadmin")[0].summary


def test_a_logged_in_person_is_logged_out_when_their_account_is_deactivated(world: World) -> None:
    client = Client()
    client.login(username="agency_duyun", password=PASSWORD)

    admins.deactivate_account(world.users["agency_duyun"], "调离岗位", by=world.users["sysadmin"])

    assert client.get("/cases/").status_code == 302


def test_deactivation_needs_a_reason_and_a_deactivated_account_can_be_enabled_again(world: World) -> None:
    agency, sysadmin = world.users["agency_duyun"], world.users["sysadmin"]

    with pytest.raises(AdministrationError, match="请填写停用原因"):
        admins.deactivate_account(agency, "  ", by=sysadmin)
    admins.deactivate_account(agency, "调离岗位", by=sysadmin)
    admins.reactivate_account(agency, "返岗", by=sysadmin)

    assert Client().login(username="agency_duyun", password=PASSWORD)


# --- the security administrator: authorisation --------------------------------------------------------------


def test_the_security_administrator_authorises_a_new_account_which_then_sees_its_scope(world: World) -> None:
    case = make_case(number="（2026）黔2701行初5号", defendant=world.orgs["都匀自然资源局"])
    user = admins.create_account(AccountDraft("lixiao", "李晓", "", NEW_PASSWORD), by=world.users["sysadmin"])

    changed = admins.assign_role(
        user,
        role=Role.AGENCY_LIAISON,
        region=None,
        organisation=world.orgs["都匀自然资源局"],
        by=world.users["secadmin"],
    )

    from fuyuan.cases.queries import visible_to

    assert changed
    assert list(visible_to(User.objects.get(pk=user.pk))) == [case]
    event = Event.objects.get(object_id=user.pk, action="role_assigned")
    assert event.changes["角色"] == ["未分配", "机关联络员"]
    assert event.changes["范围"] == ["无", "都匀市自然资源局"]
    (audit,) = audit_of(user, AuditKind.PERMISSION, "secadmin")
    assert audit.detail["changes"]["角色"] == ["未分配", "机关联络员"]


def test_an_unchanged_authorisation_writes_nothing(world: World) -> None:
    agency = world.users["agency_duyun"]

    changed = admins.assign_role(
        agency, role=Role.AGENCY_LIAISON, region=None, organisation=agency.organisation, by=world.users["secadmin"]
    )

    assert not changed
    assert not audit_of(agency, AuditKind.PERMISSION, "secadmin")


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.AGENCY_LIAISON, {}, "机关联络员须选择所属单位"),
        (Role.RULE_OF_LAW_OFFICE, {}, "依法治办须选择所属地区"),
        (
            Role.COURT_LIAISON,
            {"organisation": "都匀自然资源局"},
            "法院联络员的所属单位应为法院，「都匀市自然资源局」不是",
        ),
        (Role.AUDIT_ADMIN, {"region": "都匀市"}, "管理员角色不能带有所属地区或所属单位"),
    ],
)
def test_a_role_with_the_wrong_scope_is_refused_with_the_reason(
    world: World, role: str, scope: dict[str, str], message: str
) -> None:
    user = admins.create_account(AccountDraft("lixiao", "李晓", "", NEW_PASSWORD), by=world.users["sysadmin"])
    region = world.regions.get(scope.get("region", ""))
    organisation = world.orgs.get(scope.get("organisation", ""))

    with pytest.raises(AdministrationError, match=message):
        admins.assign_role(user, role=role, region=region, organisation=organisation, by=world.users["secadmin"])

    user.refresh_from_db()
    assert user.role == ""


def test_an_administrator_role_is_made_in_two_steps_by_two_administrators(world: World) -> None:
    user = admins.create_account(AccountDraft("audit2", "审计二", "", NEW_PASSWORD), by=world.users["sysadmin"])

    admins.assign_role(user, role=Role.AUDIT_ADMIN, region=None, organisation=None, by=world.users["secadmin"])

    assert User.objects.get(pk=user.pk).role == Role.AUDIT_ADMIN


@pytest.mark.parametrize("target", ["sysadmin", "auditadmin"])
def test_the_security_administrator_cannot_demote_or_rescope_another_administrator(world: World, target: str) -> None:
    account = world.users[target]

    with pytest.raises(AdministrationError, match="不能在此更改管理员账号的角色"):
        admins.assign_role(
            account, role=Role.RULE_OF_LAW_OFFICE, region=world.regions["黔南州"], organisation=None,
            by=world.users["secadmin"],
        )  # fmt: skip

    assert User.objects.get(pk=account.pk).role == target_role(target)


def target_role(username: str) -> str:
    return {"sysadmin": Role.SYSTEM_ADMIN, "auditadmin": Role.AUDIT_ADMIN}[username]


def test_an_administrator_role_goes_only_to_a_new_account_without_a_role(world: World) -> None:
    with pytest.raises(AdministrationError, match="审计管理员角色只能授予尚未分配角色的新账号"):
        admins.assign_role(
            world.users["agency_fuquan"], role=Role.AUDIT_ADMIN, region=None, organisation=None,
            by=world.users["secadmin"],
        )  # fmt: skip

    assert User.objects.get(username="agency_fuquan").role == Role.AGENCY_LIAISON


def test_the_security_administrator_cannot_change_their_own_account(world: World) -> None:
    secadmin = world.users["secadmin"]

    with pytest.raises(AdministrationError, match="不能更改自己账号"):
        admins.assign_role(
            secadmin, role=Role.RULE_OF_LAW_OFFICE, region=world.regions["黔南州"], organisation=None, by=secadmin
        )


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "rol_pref"])
def test_only_the_security_administrator_assigns_roles(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        admins.assign_role(
            world.users["agency_fuquan"],
            role=Role.RULE_OF_LAW_OFFICE,
            region=world.regions["黔南州"],
            organisation=None,
            by=world.users[persona],
        )

    assert User.objects.get(username="agency_fuquan").role == Role.AGENCY_LIAISON


# --- lock-outs ------------------------------------------------------------------------------------------------


def lock(username: str, failures: int = 5, ago: datetime.timedelta = datetime.timedelta(minutes=2)) -> None:
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address="10.1.2.3",
        user_agent="pytest",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - ago)


def test_the_locked_out_accounts_are_those_at_the_failure_limit_within_the_lock_time(world: World) -> None:
    lock("agency_duyun")
    lock("court_duyun", failures=2)
    lock("centre", ago=datetime.timedelta(hours=2))

    locked = admins.locked_out_accounts()

    assert [x.username for x in locked] == ["agency_duyun"]
    assert locked[0].failures == 5 and locked[0].ip_addresses == ("10.1.2.3",)
    assert locked[0].until - locked[0].last_attempt == datetime.timedelta(minutes=30)


def test_the_security_administrator_unlocks_an_account_which_can_log_in_again_at_once(world: World) -> None:
    lock("agency_duyun")

    admins.unlock_account("agency_duyun", by=world.users["secadmin"])

    assert admins.locked_out_accounts() == []
    assert Client().login(username="agency_duyun", password=PASSWORD)
    (audit,) = audit_of(world.users["agency_duyun"], AuditKind.SECURITY, "secadmin")
    assert "解锁账号 agency_duyun" in audit.summary


def test_unlocking_an_account_that_is_not_locked_says_so(world: World) -> None:
    with pytest.raises(AdministrationError, match="当前未被锁定"):
        admins.unlock_account("agency_duyun", by=world.users["secadmin"])
    with pytest.raises(PermissionDenied):
        admins.unlock_account("agency_duyun", by=world.users["sysadmin"])


# --- the second factor ----------------------------------------------------------------------------------------


def test_the_security_administrator_removes_a_lost_authenticator_and_the_administrator_must_enrol_again(
    world: World,
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    auditor = world.users["auditadmin"]
    TOTPDevice.objects.create(user=auditor, name="旧手机", confirmed=True)

    admins.reset_second_factor(auditor, by=world.users["secadmin"])

    assert not TOTPDevice.objects.filter(user=auditor).exists()
    client = Client()
    client.post("/login/", {"username": "auditadmin", "password": PASSWORD})
    assert client.get("/audit/").url.startswith("/security/otp/setup/")  # type: ignore[attr-defined]
    (audit,) = audit_of(auditor, AuditKind.SECURITY, "secadmin")
    assert "重置账号 auditadmin 的动态验证码" in audit.summary


def test_only_the_security_administrator_resets_someone_elses_second_factor(world: World) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    secadmin = world.users["secadmin"]
    TOTPDevice.objects.create(user=secadmin, name="手机", confirmed=True)

    with pytest.raises(AdministrationError, match="不能重置自己账号的动态验证码"):
        admins.reset_second_factor(secadmin, by=secadmin)
    with pytest.raises(PermissionDenied):
        admins.reset_second_factor(secadmin, by=world.users["sysadmin"])
    with pytest.raises(AdministrationError, match="没有绑定身份验证器"):
        admins.reset_second_factor(world.users["agency_duyun"], by=secadmin)

    assert TOTPDevice.objects.filter(user=secadmin).exists()
