"""Whatever changes what an account may see or do is audited with before and after (GB/T 22239-2019 8.1.4.3 b)),
through any door: a page, the admin, the shell."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from fuyuan.audit.context import current_request
from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.models import Role
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db


def _permission_records() -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(kind=AuditKind.PERMISSION).order_by("id"))


def test_a_role_change_is_recorded_with_before_and_after(world: World) -> None:
    user = world.users["agency_duyun"]
    last = AuditRecord.objects.order_by("id").last().pk

    user.role = Role.RULE_OF_LAW_OFFICE
    user.organisation = None
    user.region = world.regions["都匀市"]
    user.save()

    [rec] = AuditRecord.objects.filter(pk__gt=last)
    assert rec.kind == AuditKind.PERMISSION
    assert (rec.target_type, rec.target_id) == ("core.user", str(user.pk))
    assert rec.detail["before"] == {
        "role": "agency_liaison",
        "organisation_id": world.orgs["都匀自然资源局"].pk,
        "region_id": None,
    }
    assert rec.detail["after"] == {"role": "rule_of_law_office", "organisation_id": None, "region_id": user.region_id}
    assert "角色" in rec.summary and "agency_duyun" in rec.summary


def test_deactivating_and_making_superuser_are_recorded(world: World) -> None:
    user = world.users["court_duyun"]
    before = len(_permission_records())

    user.is_active = False
    user.save()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])

    records = _permission_records()[before:]
    assert [r.detail["after"] for r in records] == [{"is_active": False}, {"is_superuser": True}]


def test_saving_an_account_without_changing_its_permissions_records_nothing(world: World) -> None:
    user = world.users["court_duyun"]
    before = AuditRecord.objects.count()

    user.full_name = "李法官"
    user.save()
    user.save(update_fields=["last_login"])

    assert AuditRecord.objects.count() == before


def test_creating_an_account_records_its_role(world: World) -> None:
    user = make_user("new_clerk", Role.COURT_LIAISON, org=world.orgs["福泉法院"])

    rec = _permission_records()[-1]
    assert rec.target_id == str(user.pk)
    assert rec.detail["after"]["role"] == "court_liaison"
    assert "创建账号 new_clerk" in rec.summary


def test_groups_and_permissions_given_and_taken_are_recorded(world: World) -> None:
    user = world.users["centre"]
    group = Group.objects.create(name="导出审批")
    perm = Permission.objects.get(codename="view_user")
    before = len(_permission_records())

    user.groups.add(group)
    user.user_permissions.add(perm)
    user.groups.remove(group)
    group.user_set.add(user)
    user.groups.clear()

    summaries = [r.summary for r in _permission_records()[before:]]
    assert summaries == [
        "授予账号 centre 的用户组：导出审批",
        f"授予账号 centre 的权限：{perm}",
        "撤销账号 centre 的用户组：导出审批",
        "授予账号 centre 的用户组：导出审批",
        "撤销账号 centre 的用户组：导出审批",
    ]


def test_the_person_who_made_the_change_is_named_when_it_came_through_a_page(world: World) -> None:
    request = RequestFactory().post("/security/admins/", REMOTE_ADDR="10.1.2.3")
    request.user = world.users["sysadmin"]
    token = current_request.set(request)
    try:
        user = world.users["leader_pref"]
        user.is_active = False
        user.save()
    finally:
        current_request.reset(token)

    rec = _permission_records()[-1]
    assert (rec.username, rec.role, rec.ip) == ("sysadmin", "system_admin", "10.1.2.3")
    assert rec.target_id == str(world.users["leader_pref"].pk)
