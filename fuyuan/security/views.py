"""The person's own security pages: 账号安全 (log-in history, password age, second factor), changing the password,
and the second factor's two pages (entering a code after the password; enrolling an authenticator app)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.security.forms import ChangePasswordForm, CodeForm
from fuyuan.security.passwords import current_password, password_expires_at
from fuyuan.security.second_factor import (
    confirm_device,
    confirmed_device,
    pending_device,
    qr_svg,
    second_factor_mandatory,
    seconds_to_wait,
    secret_base32,
    wait_message,
)
from fuyuan.security.session import OTP_REQUIRED, stamp_password_expiry

HISTORY_KINDS = (AuditKind.LOGIN, AuditKind.LOGIN_FAILED, AuditKind.LOCKED_OUT, AuditKind.LOGOUT)
HISTORY_LENGTH = 50


def next_url(request: HttpRequest) -> str:
    """Where to go after this step: the page the person asked for, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return settings.LOGIN_REDIRECT_URL


def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # OTPMiddleware adds is_verified()
    entry = current_password(user)
    expires = password_expires_at(entry)
    history = AuditRecord.objects.filter(username=user.get_username(), kind__in=HISTORY_KINDS).order_by("-at", "-id")[
        :HISTORY_LENGTH
    ]
    return render(
        request,
        "security/home.html",
        {
            "nav": "security",
            "history": history,
            "history_length": HISTORY_LENGTH,
            "password_set_at": entry.set_at,
            "password_expires": expires,
            "password_expired": expires is not None and expires <= timezone.now(),
            "max_age_days": settings.FUYUAN_PASSWORD_MAX_AGE_DAYS,
            "device": confirmed_device(user),
            "mandatory": second_factor_mandatory(user),
        },
    )


def change_password(request: HttpRequest) -> HttpResponse:
    user: Any = request.user  # OTPMiddleware adds is_verified()
    form = ChangePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        stamp_password_expiry(request.session, user)
        record(AuditKind.SECURITY, "修改本人密码", request=request, target=user)
        messages.success(request, "密码已修改。")
        return redirect(next_url(request))
    entry = current_password(user)
    expires = password_expires_at(entry)
    return render(
        request,
        "security/password.html",
        {
            "nav": "security",
            "form": form,
            "rules": password_validators_help_texts(),
            "expired": expires is not None and expires <= timezone.now(),
            "change_required": entry.change_required,
            "max_age_days": settings.FUYUAN_PASSWORD_MAX_AGE_DAYS,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


def verify_code(request: HttpRequest) -> HttpResponse:
    """The second step of a log-in: the code from the person's authenticator app."""
    user: Any = request.user  # OTPMiddleware adds is_verified()
    if user.is_verified():
        return redirect(next_url(request))
    device = confirmed_device(user)
    if device is None:
        return redirect("security:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = seconds_to_wait(device)
        if wait:
            record(AuditKind.LOGIN_FAILED, "动态验证码提交过快（未核对）", request=request,
                   detail={"factor": "totp", "throttled": True})  # fmt: skip
            form.add_error("code", wait_message(wait))
        elif device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            request.session.cycle_key()  # a new key for the now fully authenticated session
            return redirect(next_url(request))
        else:
            record(AuditKind.LOGIN_FAILED, "动态验证码错误", request=request, detail={"factor": "totp"})
            form.add_error("code", "验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。")
    return render(request, "security/otp_verify.html", {"form": form, "next": next_url(request)})


def setup_code(request: HttpRequest) -> HttpResponse:
    """Enrolling an authenticator app. Someone who has one and has not yet entered its code in this session may not
    enrol another here (that would let a stolen password skip the second factor)."""
    user: Any = request.user  # OTPMiddleware adds is_verified()
    if confirmed_device(user) is not None and not user.is_verified():
        return redirect("security:otp")
    device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = seconds_to_wait(device)
        if wait:
            form.add_error("code", wait_message(wait))
        elif device.verify_token(form.cleaned_data["code"]):
            confirm_device(device)
            otp_login(request, device)
            request.session.cycle_key()
            request.session[OTP_REQUIRED] = True
            record(AuditKind.SECURITY, "启用双因素认证（身份验证器）", request=request, target=user)
            messages.success(request, "身份验证器已绑定：以后登录时，输入密码后还需输入动态验证码。")
            return redirect(next_url(request))
        else:
            form.add_error("code", "验证码不正确：请确认已扫描本页二维码，并输入身份验证器上当前显示的 6 位数字。")
    return render(
        request,
        "security/otp_setup.html",
        {
            "nav": "security",
            "form": form,
            "qr_svg": qr_svg(device),
            "secret": secret_base32(device),
            "mandatory": second_factor_mandatory(user),
            "replacing": confirmed_device(user) is not None,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )
