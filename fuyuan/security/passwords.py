"""The password policy (GB/T 22239-2019 8.1.4.1 a): 身份标识具有唯一性，身份鉴别信息具有复杂度要求并定期更换).

Django password validators, listed in ``AUTH_PASSWORD_VALIDATORS``: every door that sets a password (the
change-password page, the administrators' pages, ``createsuperuser``) applies them. ``PasswordHistoryValidator``
also remembers each new password's hash through Django's ``password_changed`` hook, which ``User.save`` calls
after ``set_password``."""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from fuyuan.security.models import PasswordHistory

CHARACTER_CLASSES = (
    ("大写字母", lambda c: c.isascii() and c.isupper()),
    ("小写字母", lambda c: c.isascii() and c.islower()),
    ("数字", lambda c: c.isascii() and c.isdigit()),
    ("符号", lambda c: c in string.punctuation or c == " "),
)


class MinimumLengthValidator:
    """Reads ``FUYUAN_PASSWORD_MIN_LENGTH`` when it validates (Django keeps one instance per process)."""

    def __init__(self, min_length: int | None = None) -> None:
        self._min_length = min_length

    @property
    def min_length(self) -> int:
        return self._min_length or settings.FUYUAN_PASSWORD_MIN_LENGTH

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符（现在 {len(password)} 个）。", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """Reads ``FUYUAN_PASSWORD_MIN_CLASSES`` when it validates (Django keeps one instance per process)."""

    def __init__(self, min_classes: int | None = None) -> None:
        self._min_classes = min_classes

    @property
    def min_classes(self) -> int:
        return self._min_classes or settings.FUYUAN_PASSWORD_MIN_CLASSES

    def validate(self, password: str, user: Any = None) -> None:
        present = [name for name, test in CHARACTER_CLASSES if any(test(c) for c in password)]
        if len(present) < self.min_classes:
            missing = "、".join(name for name, _ in CHARACTER_CLASSES if name not in present)
            raise ValidationError(
                f"密码过于简单：大写字母、小写字母、数字、符号四类中至少要有 {self.min_classes} 类，"
                f"现在只有 {len(present)} 类（缺少{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"大写字母、小写字母、数字、符号四类中至少包含 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """Reads ``FUYUAN_PASSWORD_HISTORY`` when it validates (Django keeps one instance per process)."""

    def __init__(self, keep: int | None = None) -> None:
        self._keep = keep

    @property
    def keep(self) -> int:
        return self._keep or settings.FUYUAN_PASSWORD_HISTORY

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in recent_hashes(user, self.keep)):
            raise ValidationError(f"不能使用最近 {self.keep} 次用过的密码，请换一个新密码。", code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            remember_password(user)

    def get_help_text(self) -> str:
        return f"不能与最近 {self.keep} 次使用过的密码相同。"


def recent_hashes(user: Any, keep: int) -> list[str]:
    """The hashes of the user's last ``keep`` passwords, the current one included."""
    hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:keep])
    if user.password and user.password not in hashes:
        hashes = [user.password, *hashes][:keep]
    return hashes


def remember_password(user: Any) -> PasswordHistory:
    """Record the user's current password hash, now; keep only the rows the policy needs."""
    entry = PasswordHistory.objects.create(user=user, password=user.password, set_at=timezone.now())
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[settings.FUYUAN_PASSWORD_HISTORY :]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    return entry


def current_password(user: Any) -> PasswordHistory:
    """The entry of the current password. A person with no history yet (an account from before the policy) is
    seen for the first time now: their password's age counts from today, so nobody is expired on the day the
    policy is switched on."""
    return PasswordHistory.objects.filter(user=user).first() or remember_password(user)


def password_expires_at(entry: PasswordHistory) -> datetime | None:
    """The moment the password expires: at once if an administrator set it, after the maximum age otherwise;
    None when passwords never expire (``FUYUAN_PASSWORD_MAX_AGE_DAYS`` = 0)."""
    if entry.change_required:
        return entry.set_at
    days = settings.FUYUAN_PASSWORD_MAX_AGE_DAYS
    return entry.set_at + timedelta(days=days) if days > 0 else None


def require_change(user: Any) -> None:
    """After an administrator sets someone's password: that person must replace it at their next log-in
    (the administrator must not keep knowing a working password)."""
    entry = current_password(user)
    PasswordHistory.objects.filter(pk=entry.pk).update(change_required=True)
