"""Receivers that audit log-ins, log-outs, lock-outs and permission changes (GB/T 22239-2019 8.1.4.3 a)、b):
审计覆盖到每个用户, 对重要的用户行为和重要安全事件进行审计; 审计记录包括事件的日期和时间、用户、事件类型、事件是否成功)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest

from fuyuan.audit.context import current_request
from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind

# The fields of an account that decide what it may see and do.
PERMISSION_FIELDS = ("role", "region_id", "organisation_id", "is_active", "is_staff", "is_superuser")
FIELD_LABELS = {
    "role": "角色",
    "region_id": "所属地区",
    "organisation_id": "所属单位",
    "is_active": "启用",
    "is_staff": "可登录后台",
    "is_superuser": "超级用户",
    "groups": "用户组",
    "user_permissions": "权限",
}


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(AuditKind.LOGIN, f"{user.get_username()} 登录", request=request, actor=user)


def on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    # Django has already masked the password in ``credentials``; only the username tried is kept.
    tried = str(credentials.get("username") or "")[:150]
    record(AuditKind.LOGIN_FAILED, f"以账号「{tried}」登录失败", request=request, username=tried)


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    record(AuditKind.LOGOUT, f"{user.get_username()} 退出", request=request, actor=user)


def on_locked_out(sender: Any, request: HttpRequest | None = None, username: str = "", **kwargs: Any) -> None:
    name = str(username or "")[:150]
    record(AuditKind.LOCKED_OUT, f"账号「{name}」因连续登录失败被锁定", request=request, username=name)


def _permission_state(user: Any) -> dict[str, Any]:
    return {f: getattr(user, f) for f in PERMISSION_FIELDS}


def remember_permissions(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Before a user is saved, keep what their permission fields were (one query, skipped for saves that touch
    none of them, such as the ``last_login`` update at every log-in)."""
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not {f.removesuffix("_id") for f in PERMISSION_FIELDS} & {
        f.removesuffix("_id") for f in update_fields
    }:
        return
    before = type(instance)._base_manager.filter(pk=instance.pk).values(*PERMISSION_FIELDS).first()
    instance._audit_permissions_before = before


def record_permission_change(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    after = _permission_state(instance)
    before = getattr(instance, "_audit_permissions_before", None)
    instance._audit_permissions_before = None
    if created:
        changed = {f: [None, v] for f, v in after.items()}
        summary = f"创建账号 {instance.get_username()}（角色：{instance.get_role_display() or '无'}）"
    else:
        if before is None:
            return
        changed = {f: [before[f], after[f]] for f in PERMISSION_FIELDS if before[f] != after[f]}
        if not changed:
            return
        names = "、".join(FIELD_LABELS[f] for f in changed)
        summary = f"变更账号 {instance.get_username()} 的{names}"
    record(
        AuditKind.PERMISSION,
        summary,
        request=current_request.get(),
        target=instance,
        detail={"before": {f: v[0] for f, v in changed.items()}, "after": {f: v[1] for f, v in changed.items()}},
    )


def record_membership_change(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Groups and permissions given or taken (``user.groups.add(...)``, ``group.user_set.remove(...)``)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    User = get_user_model()
    field = "groups" if sender is User.groups.through else "user_permissions"
    if reverse:  # the change was made from the group's or permission's side: one record per user touched
        users = (
            User._base_manager.filter(pk__in=pk_set or [])
            if action != "pre_clear"
            else getattr(instance, "user_set", User._base_manager.none()).all()
        )
        names = [str(instance)]
        for user in users:
            _record_membership(user, field, action, names)
        return
    if action == "pre_clear":
        names = [str(o) for o in getattr(instance, field).all()]
    else:
        names = [str(o) for o in model._base_manager.filter(pk__in=pk_set or [])]
    if names:
        _record_membership(instance, field, action, names)


def _record_membership(user: Any, field: str, action: str, names: list[str]) -> None:
    verb = "授予" if action == "post_add" else "撤销"
    record(
        AuditKind.PERMISSION,
        f"{verb}账号 {user.get_username()} 的{FIELD_LABELS[field]}：{'、'.join(names)}"[:500],
        request=current_request.get(),
        target=user,
        detail={"field": field, "action": "add" if action == "post_add" else "remove", "names": names},
    )


def connect() -> None:
    User = get_user_model()
    user_logged_in.connect(on_logged_in, dispatch_uid="audit_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit_logout")
    pre_save.connect(remember_permissions, sender=User, dispatch_uid="audit_permissions_before")
    post_save.connect(record_permission_change, sender=User, dispatch_uid="audit_permissions_after")
    m2m_changed.connect(record_membership_change, sender=User.groups.through, dispatch_uid="audit_groups")
    m2m_changed.connect(
        record_membership_change, sender=User.user_permissions.through, dispatch_uid="audit_user_permissions"
    )
    if apps.is_installed("axes"):  # the identity part's lock-out (django-axes)
        from axes.signals import user_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="audit_locked_out")
