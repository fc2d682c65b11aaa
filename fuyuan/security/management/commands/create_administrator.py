"""``fuyuan create_administrator --role system_admin|security_admin|audit_admin USERNAME``: the three
administrators (三员) of a new installation are created at the server, by whoever runs the machine — no page can
create or promote one (GB/T 22239-2019 8.1.10.1: administrators are separate, each with their own account).

The initial password is random, printed once, and must be replaced at the first log-in; the second factor is
enrolled at that log-in too. The creation is written to the audit log and the account's timeline."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.models import ADMIN_ROLES, Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.security.passwords import require_change

CONSOLE = Actor(label="服务器命令行")


def initial_password() -> str:
    """16 characters with every class, so it passes any policy the validators hold."""
    alphabet = string.ascii_letters + string.digits + "@#%+=-"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
            and any(not c.isalnum() for c in password)
        ):
            return password


class Command(BaseCommand):
    help = "在服务器上创建三员管理账号（系统管理员、安全管理员、审计管理员）；初始密码只显示一次，首次登录须修改"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="账号")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES), help="三员角色")
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        username, role = options["username"].strip(), options["role"]
        if not username:
            raise CommandError("账号不能为空")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"账号「{username}」已存在：三员账号只能新建，不能由已有账号转换")
        password = initial_password()
        user = User(username=username, full_name=options["name"].strip(), role=role)
        try:
            validate_password(password, user)
        except ValidationError as error:  # pragma: no cover - the generator meets the policy
            raise CommandError("；".join(error.messages)) from error
        with transaction.atomic():
            user.set_password(password)
            user.save()
            require_change(user)
            summary = f"在服务器上创建{Role(role).label}账号 {username}"
            record_event(user, by=CONSOLE, action="administrator_created", summary=summary)
            record(AuditKind.PERMISSION, summary, username="（服务器命令行）", target=user, detail={"role": role})
        self.stdout.write(f"已创建{Role(role).label}账号 {username}")
        self.stdout.write(f"初始密码（只显示这一次）：{password}")
        self.stdout.write("首次登录时须修改密码，并绑定身份验证器（动态验证码）。")
