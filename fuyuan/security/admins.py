"""The three administrators (三员管理): who may do what, and the separation of their roles.

GB/T 22239-2019 8.1.4.2 d) 应授予管理用户所需的最小权限，实现管理用户的权限分离, and 8.1.10 安全管理中心:
- 系统管理员 (8.1.10.1 b): accounts (create, reset a password, deactivate) and the system configuration;
- 安全管理员 (8.1.10.3 b, 8.1.4.2 e): authorisation — a user's role and scope — and the security policy, lock-outs;
- 审计管理员 (8.1.10.2): the audit log only (``fuyuan.audit``).
None of them reads case contents (SPEC §2). Every app scopes its records by role, region and organisation; an
administrator role never carries a region or an organisation, so every ``visible_to`` gives them nothing.

The separation is enforced in one place: ``separation_problems`` (used by the forms for a clear message) and the
``pre_save`` receiver below, so no door — a page, the shell, a script — can save an administrator account that
also holds Django's superuser or staff flag or a case scope. Every action is one function that checks the actor's
right, validates, changes the account, writes the account's Event and an audit record, in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.models import ADMIN_ROLES, Organisation, OrganisationKind, Region, Role, User
from fuyuan.core.timeline import record_event
from fuyuan.security.passwords import require_change

BUSINESS_ROLES = tuple(r for r in Role if r not in ADMIN_ROLES)

# Which scope a business role needs to see anything (as each app's ``visible_to`` reads it).
REGION_SCOPED_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.COORDINATOR})
ORGANISATION_KIND_OF_ROLE: dict[str, str | None] = {
    Role.COURT_LIAISON: OrganisationKind.COURT,
    Role.CENTRE_STAFF: OrganisationKind.COORDINATION_CENTRE,
    Role.DISCIPLINE_LIAISON: OrganisationKind.DISCIPLINE,
    Role.RECONSIDERATION_BODY: None,  # usually a 司法局, but a 人民政府 may hold the duty
    Role.AGENCY_LIAISON: None,
}

# The fields that decide an account's powers: a save that touches none of them (``last_login`` at log-in) needs no
# check, so an account saved before these rules existed can still log in.
GUARDED_FIELDS = frozenset({"role", "is_superuser", "is_staff", "region", "organisation", "is_head"})


class AdministrationError(Exception):
    """An administrator's action refused, with the reason in Chinese for the page."""


def separation_problems(user: User) -> list[str]:
    """What stops ``user`` from being saved as it is: an administrator role combined with another power."""
    if user.role not in ADMIN_ROLES:
        return []
    label = Role(user.role).label
    problems = []
    # GB/T 22239-2019 8.1.4.2 d): administrators' powers are separated; Django's superuser and staff flags would
    # give all of them at once (and the Django admin bypasses every app's scoping).
    if user.is_superuser:
        problems.append(f"{label}账号不能同时是超级用户（三员分立）")
    if user.is_staff:
        problems.append(f"{label}账号不能同时拥有 Django 后台职员权限（三员分立）")
    # SPEC §2: the three administrators never see case contents; a scope is what opens cases to a role.
    if user.region_id or user.organisation_id:
        problems.append(f"{label}账号不能带有所属地区或所属单位：三员不得查阅案件内容")
    if user.is_head:
        problems.append(f"{label}账号不能是负责人（负责人接收案件督办）")
    return problems


@receiver(pre_save, sender=User)
def refuse_combined_administrator(
    sender: type[User], instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """The model-level guard of the separation: whatever the door, such an account is not saved."""
    if raw:  # loading a backup or a fixture restores what was, it does not grant anything
        return
    if update_fields is not None and not GUARDED_FIELDS & set(update_fields):
        return
    problems = separation_problems(instance)
    if problems:
        raise ValidationError(problems)


def scope_problems(role: str, region: Region | None, organisation: Organisation | None) -> list[str]:
    """What is wrong with giving ``role`` this scope (a business role without one would see nothing)."""
    if role in ADMIN_ROLES:
        return [] if region is None and organisation is None else ["管理员角色不能带有所属地区或所属单位"]
    label = Role(role).label
    if role in REGION_SCOPED_ROLES:
        return [] if region or organisation else [f"{label}须选择所属地区（决定其可见范围）"]
    if role in ORGANISATION_KIND_OF_ROLE:
        if organisation is None:
            return [f"{label}须选择所属单位（决定其可见范围）"]
        kind = ORGANISATION_KIND_OF_ROLE[role]
        if kind is not None and organisation.kind != kind:
            return [f"{label}的所属单位应为{OrganisationKind(kind).label}，「{organisation.name}」不是"]
    return []


# --- who may do what ------------------------------------------------------------------------------------------


def administrator_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view only for the given administrator roles; everyone else, a superuser included, gets 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_active or getattr(user, "role", "") not in roles:
                raise PermissionDenied("此页面仅供" + "、".join(Role(r).label for r in roles) + "使用")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _require(actor: User, role: str) -> None:
    if not actor.is_active or actor.role != role:
        raise PermissionDenied(f"此操作仅限{Role(role).label}")


def _account_of_business(user: User, doing: str) -> None:
    """The pages act on business accounts only. An administrator account's password, state and role are changed
    at the server (``fuyuan changepassword``, ``fuyuan shell``), so that no administrator can take over, disable
    or demote another — the audit administrator above all (三员互相制约)."""
    if user.role in ADMIN_ROLES:
        raise AdministrationError(f"不能在此{doing}（{user.get_role_display()}）：为使三员互相制约，请在服务器上操作")


def _audit_and_event(
    user: User, *, by: User, request: HttpRequest | None, kind: AuditKind, action: str, summary: str, changes: dict
) -> None:
    record_event(user, by=by, action=action, summary=summary, changes=changes)
    record(kind, summary, request=request, actor=by, target=user, detail={"action": action, "changes": changes})


# --- the system administrator: accounts -------------------------------------------------------------------------


@dataclass
class AccountDraft:
    username: str
    full_name: str
    mobile: str
    password: str


def create_account(draft: AccountDraft, *, by: User, request: HttpRequest | None = None) -> User:
    """A new account with no role: it sees nothing until the security administrator authorises it.

    GB/T 22239-2019 8.1.10.1 b) the system administrator manages user identities; 8.1.4.2 e) access is configured
    by the authorising subject (the security administrator) — so creating an account and granting it powers take
    two administrators, and neither alone can make an administrator.
    """
    _require(by, Role.SYSTEM_ADMIN)
    if User.objects.filter(username__iexact=draft.username).exists():
        raise AdministrationError(f"用户名「{draft.username}」已被使用")
    user = User(username=draft.username, full_name=draft.full_name, mobile=draft.mobile, role="")
    validate_password(draft.password, user)
    with transaction.atomic():
        user.set_password(draft.password)
        user.save()
        require_change(user)
        _audit_and_event(
            user,
            by=by,
            request=request,
            kind=AuditKind.PERMISSION,
            action="account_created",
            summary=f"创建账号 {user.username}（{user.display_name}），待安全管理员分配角色",
            changes={"账号": ["", user.username]},
        )
    return user


def reset_password(user: User, password: str, *, by: User, request: HttpRequest | None = None) -> None:
    """Set a temporary password that the user must change at the next log-in (the administrator must not keep
    knowing a working password)."""
    _require(by, Role.SYSTEM_ADMIN)
    _account_of_business(user, "重置管理员账号的密码")
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        require_change(user)
        _audit_and_event(
            user,
            by=by,
            request=request,
            kind=AuditKind.SECURITY,
            action="password_reset",
            summary=f"重置账号 {user.username} 的密码，下次登录须修改",
            changes={},
        )


def deactivate_account(user: User, reason: str, *, by: User, request: HttpRequest | None = None) -> None:
    """停用: the account can no longer log in; nothing is deleted, so its history and records keep their author.

    GB/T 22239-2019 8.1.4.2 c) 应及时删除或停用多余的、过期的账户.
    """
    _set_active(user, False, reason, by=by, request=request)


def reactivate_account(user: User, reason: str, *, by: User, request: HttpRequest | None = None) -> None:
    _set_active(user, True, reason, by=by, request=request)


def _set_active(user: User, active: bool, reason: str, *, by: User, request: HttpRequest | None) -> None:
    verb = "启用" if active else "停用"
    _require(by, Role.SYSTEM_ADMIN)
    _account_of_business(user, f"{verb}管理员账号")
    reason = reason.strip()
    if not reason:
        raise AdministrationError(f"请填写{verb}原因")
    if user.is_active == active:
        raise AdministrationError(f"账号 {user.username} {'未停用' if active else '已停用'}")
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        _audit_and_event(
            user,
            by=by,
            request=request,
            kind=AuditKind.PERMISSION,
            action="account_reactivated" if active else "account_deactivated",
            summary=f"{'重新启用' if active else '停用'}账号 {user.username}：{reason}",
            changes={"状态": ["停用", "启用"] if active else ["启用", "停用"]},
        )


# --- the security administrator: authorisation and lock-outs --------------------------------------------------


def _scope_label(region: Region | None, organisation: Organisation | None) -> str:
    return " · ".join(str(x) for x in (region, organisation) if x is not None) or "无"


def assign_role(
    user: User,
    *,
    role: str,
    region: Region | None,
    organisation: Organisation | None,
    is_head: bool = False,
    by: User,
    request: HttpRequest | None = None,
) -> bool:
    """Give ``user`` a role and the scope it sees. Returns False when nothing changed.

    GB/T 22239-2019 8.1.10.3 b) 通过安全管理员对主体进行授权. The security administrator never changes their own
    account (no one grants themselves a power) nor another administrator's (an administrator role is given once,
    to a new account with no role; see ``_account_of_business``).
    """
    _require(by, Role.SECURITY_ADMIN)
    if user.pk == by.pk:
        raise AdministrationError("不能更改自己账号的角色或范围")
    _account_of_business(user, "更改管理员账号的角色")
    if role not in Role.values:
        raise AdministrationError("请选择角色")
    problems = scope_problems(role, region, organisation)
    if role in ADMIN_ROLES:
        if user.role:
            raise AdministrationError(
                f"{Role(role).label}角色只能授予尚未分配角色的新账号（{user.username} 已是{user.get_role_display()}）"
            )
        is_head = False
    before = {
        "角色": user.get_role_display() or "未分配",
        "范围": _scope_label(user.region, user.organisation),
        "负责人": "是" if user.is_head else "否",
    }
    was = (user.role, user.region, user.organisation, user.is_head)
    user.role, user.region, user.organisation, user.is_head = role, region, organisation, is_head
    problems += separation_problems(user)
    if problems:
        user.role, user.region, user.organisation, user.is_head = was
        raise AdministrationError("；".join(problems))
    after = {
        "角色": user.get_role_display(),
        "范围": _scope_label(region, organisation),
        "负责人": "是" if is_head else "否",
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return False
    with transaction.atomic():
        user.save(update_fields=["role", "region", "organisation", "is_head"])
        _audit_and_event(
            user,
            by=by,
            request=request,
            kind=AuditKind.PERMISSION,
            action="role_assigned",
            summary=f"账号 {user.username} 授权为{after['角色']}，范围：{after['范围']}",
            changes=changes,
        )
    return True


def reset_second_factor(user: User, *, by: User, request: HttpRequest | None = None) -> int:
    """A lost or replaced phone: remove the person's authenticator devices. An administrator must enrol a new one
    at the next log-in (the password is still needed); anyone else is no longer asked for a code until they enrol.

    GB/T 22239-2019 8.1.10.3 b): authentication parameters are the security administrator's. Not their own account.
    """
    _require(by, Role.SECURITY_ADMIN)
    if user.pk == by.pk:
        raise AdministrationError("不能重置自己账号的动态验证码")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        if not removed:
            raise AdministrationError(f"账号 {user.username} 没有绑定身份验证器")
        _audit_and_event(
            user,
            by=by,
            request=request,
            kind=AuditKind.SECURITY,
            action="second_factor_reset",
            summary=f"重置账号 {user.username} 的动态验证码（解除身份验证器绑定）",
            changes={"身份验证器": ["已绑定", "未绑定"]},
        )
    return removed


def has_second_factor(user: User) -> bool:
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return False
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_attempt: datetime.datetime
    until: datetime.datetime
    ip_addresses: tuple[str, ...]


def axes_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("axes")


def locked_out_accounts() -> list[Lockout]:
    """Usernames that django-axes refuses now: failures within the cool-off reach the limit (B1's settings)."""
    if not axes_installed():
        return []
    from axes.models import AccessAttempt

    limit = int(getattr(settings, "AXES_FAILURE_LIMIT", 5))
    cool_off = datetime.timedelta(hours=float(getattr(settings, "AXES_COOLOFF_TIME", 0.5) or 0.5))
    since = timezone.now() - cool_off
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since, username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )
    addresses: dict[str, set[str]] = {}
    for username, ip in AccessAttempt.objects.filter(
        attempt_time__gte=since, username__in=[r["username"] for r in rows]
    ).values_list("username", "ip_address"):
        addresses.setdefault(username, set()).add(ip or "")
    return [
        Lockout(
            username=r["username"],
            failures=r["failures"],
            last_attempt=r["last"],
            until=r["last"] + cool_off,
            ip_addresses=tuple(sorted(addresses.get(r["username"], set()) - {""})),
        )
        for r in rows
    ]


def unlock_account(username: str, *, by: User, request: HttpRequest | None = None) -> int:
    """解锁: forget the failed log-ins of ``username`` so that they can try again at once."""
    _require(by, Role.SECURITY_ADMIN)
    if not axes_installed():
        raise AdministrationError("未启用登录失败锁定（django-axes），没有可解锁的账号")
    from axes.utils import reset

    with transaction.atomic():
        removed = reset(username=username)
        if not removed:
            raise AdministrationError(f"账号 {username} 当前未被锁定")
        user = User.objects.filter(username=username).first()
        summary = f"解锁账号 {username}（清除 {removed} 条失败登录记录）"
        if user is not None:
            _audit_and_event(
                user, by=by, request=request, kind=AuditKind.SECURITY, action="unlocked", summary=summary, changes={}
            )
        else:
            record(AuditKind.SECURITY, summary, request=request, actor=by, target_type="core.user", target_id=username)
    return removed


# --- what the administrators read: the configuration and the security policy, never a secret ------------------


@dataclass(frozen=True)
class Setting:
    label: str
    value: str
    warning: str = ""  # why the value is a risk in production, when it is


def _database_description() -> str:
    from django.db import connection

    db = settings.DATABASES["default"]
    where = (
        db.get("NAME")
        if connection.vendor == "sqlite"
        else f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}/{db.get('NAME')}"
    )
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
    return f"{vendor}（{where}）"


def system_configuration() -> list[tuple[str, list[Setting]]]:
    """The settings that matter to running the system, as the system administrator reads them. No secret (the
    secret key, database and mail passwords) is ever part of it."""
    import django

    https = bool(getattr(settings, "FUYUAN_HTTPS", False))
    return [
        (
            "运行环境",
            [
                Setting(
                    "调试模式 DEBUG", "开启" if settings.DEBUG else "关闭", "生产环境必须关闭" if settings.DEBUG else ""
                ),
                Setting("数据库", _database_description()),
                Setting("允许访问的主机名", "、".join(settings.ALLOWED_HOSTS) or "（未设置）"),
                Setting("HTTPS", "是" if https else "否", "" if https else "生产环境应通过 HTTPS 提供服务"),
                Setting("时区", settings.TIME_ZONE),
                Setting("数据目录", str(getattr(settings, "DATA_DIR", ""))),
                Setting("Django 版本", django.get_version()),
            ],
        ),
        (
            "提醒与督办",
            [
                Setting("后台任务轮询间隔", f"{settings.FUYUAN_SWEEP_INTERVAL} 秒"),
                Setting("每日提醒开始时间", f"{settings.FUYUAN_REMINDER_HOUR} 时"),
                Setting("临期提醒提前天数", f"{settings.FUYUAN_DEADLINE_WARN_DAYS} 天"),
                Setting("败诉率书面报告阈值", f"{settings.FUYUAN_LOSS_THRESHOLD}%"),
                Setting(
                    "败诉率统计窗口",
                    {"year": "本年度", "previous_year": "上一年度"}.get(
                        settings.FUYUAN_LOSS_WINDOW, settings.FUYUAN_LOSS_WINDOW
                    ),
                ),
                Setting("书面报告期限", f"{settings.FUYUAN_REPORT_DUE_DAYS} 天"),
                Setting("群体性争议人数标准", f"{getattr(settings, 'FUYUAN_GROUP_DISPUTE_SIZE', '')} 人"),
                Setting("监督看板缓存时间", f"{settings.FUYUAN_DASHBOARD_CACHE_SECONDS} 秒"),
            ],
        ),
        (
            "消息通道",
            [
                Setting("邮件发送方式", settings.EMAIL_BACKEND.rsplit(".", 2)[-2]),
                Setting("邮件服务器", f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"),
                Setting("短信网关", str(getattr(settings, "FUYUAN_SMS_BACKEND", "")).rsplit(".", 1)[-1]),
            ],
        ),
        (
            "日志与上传",
            [
                # 网络安全法 第21条: network logs are kept for at least six months.
                Setting(
                    "审计日志保存期限",
                    f"{getattr(settings, 'FUYUAN_AUDIT_RETENTION_DAYS', '')} 天",
                    "不得少于六个月（网络安全法第二十一条）"
                    if int(getattr(settings, "FUYUAN_AUDIT_RETENTION_DAYS", 183)) < 180
                    else "",
                ),
                Setting("上传文件大小上限", f"{getattr(settings, 'FUYUAN_MAX_UPLOAD_BYTES', 0) // (1024 * 1024)} MB"),
            ],
        ),
    ]


VALIDATOR_LABELS = {
    "UserAttributeSimilarityValidator": "不得与用户名、姓名相近",
    "MinimumLengthValidator": "最小长度",
    "CharacterClassesValidator": "字符种类",
    "CommonPasswordValidator": "不得使用常见弱口令",
    "NumericPasswordValidator": "不得全为数字",
    "PasswordHistoryValidator": "不得与最近使用过的口令相同",
}


def security_policy() -> list[tuple[str, list[Setting]]]:
    """The identity policy in force (GB/T 22239-2019 8.1.4.1), read from the settings of the identity part."""
    from django.apps import apps

    validators = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    min_length = getattr(settings, "FUYUAN_PASSWORD_MIN_LENGTH", None)
    max_age = getattr(settings, "FUYUAN_PASSWORD_MAX_AGE_DAYS", None)
    axes = apps.is_installed("axes")
    otp = apps.is_installed("django_otp")
    idle = getattr(settings, "FUYUAN_SESSION_IDLE_MINUTES", None)
    return [
        (
            "口令（8.1.4.1 a）",
            [
                Setting("最小长度", f"{min_length} 位" if min_length else "未配置", "" if min_length else "应设置"),
                Setting(
                    "字符种类",
                    f"大写、小写、数字、符号中至少 {getattr(settings, 'FUYUAN_PASSWORD_MIN_CLASSES', '—')} 类",
                ),
                Setting("不得重复使用", f"最近 {getattr(settings, 'FUYUAN_PASSWORD_HISTORY', '—')} 个口令"),
                Setting(
                    "定期更换",
                    "不过期" if not max_age else f"每 {max_age} 天",
                    "应定期更换口令" if not max_age else "",
                ),
                Setting("校验规则", "；".join(VALIDATOR_LABELS.get(v, v) for v in validators) or "无"),
            ],
        ),
        (
            "登录失败处理（8.1.4.1 b）",
            [
                Setting(
                    "连续失败锁定",
                    f"{getattr(settings, 'AXES_FAILURE_LIMIT', '—')} 次" if axes else "未启用",
                    "" if axes else "应启用登录失败锁定",
                ),
                Setting("锁定时长", f"{getattr(settings, 'FUYUAN_LOCKOUT_MINUTES', '—')} 分钟" if axes else "—"),
                Setting(
                    "锁定依据",
                    "账号"
                    if list(getattr(settings, "AXES_LOCKOUT_PARAMETERS", [])) == ["username"]
                    else "账号与来源地址",
                ),
            ],
        ),
        (
            "会话（8.1.4.1 b）",
            [
                Setting("无操作超时", f"{idle} 分钟" if idle else "未配置", "" if idle else "应设置登录超时"),
                Setting("最长会话时间", f"{settings.SESSION_COOKIE_AGE // 3600} 小时"),
            ],
        ),
        (
            "双因素认证（8.1.4.1 d）",
            [
                Setting(
                    "三员与超级用户",
                    "口令 + 动态验证码（TOTP）" if otp else "未启用",
                    "" if otp else "管理员应采用两种以上鉴别方式",
                ),
                Setting("其他用户", "可自愿启用动态验证码" if otp else "—"),
            ],
        ),
    ]


def administrators_second_factor() -> list[tuple[User, bool | None]]:
    """Each active administrator account and whether it has a confirmed TOTP device (None: no second factor)."""
    from django.apps import apps

    admins = list(User.objects.filter(role__in=ADMIN_ROLES, is_active=True).order_by("role", "username"))
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return [(u, None) for u in admins]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolled = set(TOTPDevice.objects.filter(user__in=admins, confirmed=True).values_list("user_id", flat=True))
    return [(u, u.pk in enrolled) for u in admins]
