"""The second factor (GB/T 22239-2019 8.1.4.1 d): 应采用口令、密码技术、生物技术等两种或两种以上组合的鉴别技术).

A time-based one-time code (TOTP, RFC 6238) from an authenticator app, with django-otp's ``TOTPDevice``. The three
administrators and every superuser must use it; anyone else may enrol, and then must use it too."""

from __future__ import annotations

import base64
import math
from typing import Any

import segno
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from fuyuan.core.models import ADMIN_ROLES

DEVICE_NAME = "身份验证器"


def second_factor_mandatory(user: Any) -> bool:
    return bool(user.is_superuser or user.role in ADMIN_ROLES)


def second_factor_required(user: Any) -> bool:
    """Whether this person must enter a code after the password: mandatory for them, or they enrolled."""
    return second_factor_mandatory(user) or user_has_device(user, confirmed=True)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled; one is made (with a fresh random key) if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_device(device: TOTPDevice) -> None:
    """The enrolled device becomes the person's only one: an older device (a lost phone) stops working."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def seconds_to_wait(device: TOTPDevice) -> int:
    """Seconds before ``device`` checks another code; 0 when it checks one now. After a wrong code django-otp
    refuses every code, right or wrong, for 1 second, doubling with each further wrong code
    (``OTP_TOTP_THROTTLE_FACTOR``), so a page must say "wait" instead of "wrong" while this is not 0."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def wait_message(seconds: int) -> str:
    return (
        f"上次输入的验证码有误，为防止猜测，请等待 {seconds} 秒后再提交（本次输入的验证码未核对）。"
        "届时请输入身份验证器上当前显示的 6 位数字。"
    )


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps take it by hand, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, nothing leaves the page)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title="扫码添加到身份验证器")


def reset_second_factor(user: Any) -> int:
    """A lost or replaced phone: the person's devices are removed, so their next log-in starts a new enrolment
    (mandatory for administrators). For the security administrator's pages; returns how many were removed."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
