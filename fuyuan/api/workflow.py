"""Registering external systems and issuing and revoking their tokens (the system administrator's work).

Each change is written to the audit log as a permission change (GB/T 22239-2019 8.1.4.3 安全审计; 8.1.4.2 访问控制).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from fuyuan.api.models import PREFIX_LENGTH, ApiToken, ExternalSystem, SystemKind, digest, new_secret
from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.models import Organisation, OrganisationKind, Role, User

# Kind of system → (the role its service account has, the kind of organisation it belongs to).
ACCOUNT_OF_KIND = {
    SystemKind.COURT: (Role.COURT_LIAISON, OrganisationKind.COURT),
    SystemKind.AGENCY: (Role.AGENCY_LIAISON, OrganisationKind.AGENCY),
    SystemKind.RECONSIDERATION_BODY: (Role.RECONSIDERATION_BODY, OrganisationKind.JUSTICE_BUREAU),
    SystemKind.RULE_OF_LAW_OFFICE: (Role.RULE_OF_LAW_OFFICE, OrganisationKind.RULE_OF_LAW_OFFICE),
}


class SystemRefused(Exception):
    """A refusal with the reason in Chinese."""


def _require_admin(by: User | None) -> None:
    # 等保 三员管理: configuring external access is the system administrator's work.
    if by is not None and by.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以管理外部系统和接口令牌")


@transaction.atomic
def register_system(
    name: str, kind: str, organisation: Organisation, *, by: User | None, request: HttpRequest | None = None
) -> ExternalSystem:
    """A new external system with its own service account: the role follows the kind and the scope the
    organisation (a court's system sees what the court's liaison sees). The account cannot log in to pages."""
    _require_admin(by)
    name = name.strip()
    if not name:
        raise SystemRefused("请填写系统名称")
    if ExternalSystem.objects.filter(name=name).exists():
        raise SystemRefused(f"系统名称“{name}”已存在")
    if kind not in ACCOUNT_OF_KIND:
        raise SystemRefused(f"未知的系统类别“{kind}”")
    role, org_kind = ACCOUNT_OF_KIND[SystemKind(kind)]
    if organisation.kind != org_kind:
        raise SystemRefused(
            f"{SystemKind(kind).label}须属于{OrganisationKind(org_kind).label}，“{organisation.name}”是"
            f"{organisation.get_kind_display()}"
        )
    account = User(
        username=f"api-{secrets.token_hex(6)}",
        full_name=f"{name}（接口）",
        role=role,
        organisation=organisation,
        region=organisation.region if role == Role.RULE_OF_LAW_OFFICE else None,
    )
    account.set_unusable_password()
    account.save()
    system = ExternalSystem.objects.create(name=name, kind=kind, account=account, created_by=by)
    record(
        AuditKind.PERMISSION,
        f"登记外部系统“{name}”（{SystemKind(kind).label}，{organisation.name}）",
        request=request,
        actor=by,
        target=system,
    )
    return system


@transaction.atomic
def issue_token(
    system: ExternalSystem,
    *,
    by: User | None,
    days: int | None = None,
    request: HttpRequest | None = None,
    username: str = "",
) -> tuple[ApiToken, str]:
    """A new token for ``system``; returns it with its secret, which is stored only as a digest and so can be
    shown this once."""
    _require_admin(by)
    if not system.is_active:
        raise SystemRefused(f"外部系统“{system.name}”已停用，不能生成令牌")
    days = settings.FUYUAN_API_TOKEN_DAYS if days is None else days
    secret = new_secret()
    token = ApiToken.objects.create(
        system=system,
        prefix=secret[:PREFIX_LENGTH],
        digest=digest(secret),
        created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
    )
    until = f"，有效至 {timezone.localtime(token.expires_at):%Y-%m-%d}" if token.expires_at else "，长期有效"
    record(
        AuditKind.PERMISSION,
        f"为外部系统“{system.name}”生成接口令牌 {token.prefix}…{until}",
        request=request,
        actor=by,
        username=username,
        target=token,
    )
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User | None, request: HttpRequest | None = None, username: str = "") -> bool:
    """Revoke ``token`` at once; False if it was already revoked."""
    _require_admin(by)
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()) != 1:
        return False
    token.refresh_from_db()
    record(
        AuditKind.PERMISSION,
        f"吊销外部系统“{token.system.name}”的接口令牌 {token.prefix}…",
        request=request,
        actor=by,
        username=username,
        target=token,
    )
    return True
