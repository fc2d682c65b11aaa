"""The first administrators of an installation are created at the server with ``fuyuan create_administrator``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.models import Event, Role, User


def create(username: str, role: str) -> str:
    out = StringIO()
    call_command("create_administrator", username, "--role", role, "--name", "张安全", stdout=out)
    return out.getvalue()


def test_an_administrator_is_created_with_a_one_time_password_that_must_be_changed(db: None) -> None:
    out = create("aq_admin", Role.SECURITY_ADMIN)

    password = out.split("初始密码（只显示这一次）：")[1].splitlines()[0]
    user = User.objects.get(username="aq_admin")
    assert user.role == Role.SECURITY_ADMIN and not user.is_superuser and not user.is_staff
    assert user.check_password(password)
    client = Client()
    response = client.post("/login/", {"username": "aq_admin", "password": password})
    assert response.status_code == 302
    # the first page after the password is the change of password (or the second factor), never the product
    assert client.get("/security/admins/users/").status_code == 302
    summaries = AuditRecord.objects.filter(kind=AuditKind.PERMISSION, target_id=str(user.pk)).values_list(
        "summary", flat=True
    )
    assert "在服务器上创建安全管理员账号 aq_admin" in summaries
    assert Event.objects.filter(object_id=user.pk, action="administrator_created").exists()


def test_an_existing_account_is_not_turned_into_an_administrator(db: None) -> None:
    create("sys1", Role.SYSTEM_ADMIN)
    with pytest.raises(CommandError, match="已存在"):
        create("SYS1", Role.AUDIT_ADMIN)
    assert User.objects.filter(username__iexact="sys1").count() == 1


def test_only_the_three_administrator_roles_are_accepted(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("create_administrator", "boss", "--role", Role.LEADER, stdout=StringIO())
    assert not User.objects.filter(username="boss").exists()
