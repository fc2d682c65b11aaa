"""Idle session timeout, the absolute session limit, the second factor and password expiry, for every request.

GB/T 22239-2019 8.1.4.1 b): 应具有登录失败处理功能，应配置并启用结束会话、限制非法登录次数和当登录连接超时自动退出等相关措施.
GB/T 22239-2019 8.1.4.1 a) (定期更换) and d) (two factors for the administrators) are enforced here too: until the
code is entered, or an expired password changed, a person reaches only the page that asks for it and log-out."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from fuyuan.core.models import ADMIN_ROLES
from fuyuan.security.second_factor import confirmed_device
from fuyuan.security.session import LOGIN_AT, OTP_REQUIRED, PASSWORD_EXPIRES, SEEN, stamp_session

# The idle clock is written at most once a minute: a session row is not rewritten on every page.
SEEN_RESOLUTION_SECONDS = 60


class SecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if LOGIN_AT not in session:
            stamp_session(session, user)  # a session begun before this policy
        now = int(time.time())
        if now - session[LOGIN_AT] > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return end_session(request, f"登录已超过 {hours} 小时，请重新登录。")
        if now - session.get(SEEN, now) > settings.FUYUAN_SESSION_IDLE_MINUTES * 60:
            return end_session(request, "登录已超时，请重新登录。")
        if not is_passive(request) and now - session.get(SEEN, 0) >= SEEN_RESOLUTION_SECONDS:
            session[SEEN] = now

        path = request.path_info
        code_required = session.get(OTP_REQUIRED) or user.is_superuser or user.role in ADMIN_ROLES
        if (
            code_required
            and not user.is_verified()
            and path not in _paths("security:otp", "security:otp_setup", "logout")
        ):
            target = "security:otp" if confirmed_device(user) else "security:otp_setup"
            return redirect_with_next(request, target)
        expires = session.get(PASSWORD_EXPIRES)
        if expires and now >= expires and path not in _paths("security:password", "logout"):
            return redirect_with_next(request, "security:password")
        return self.get_response(request)


def is_passive(request: HttpRequest) -> bool:
    """A request the page made by itself (a poll, marked with the header) does not keep the session alive."""
    return bool(request.headers.get(settings.FUYUAN_SESSION_PASSIVE_HEADER))


def end_session(request: HttpRequest, message: str) -> HttpResponse:
    next_url = request.get_full_path()
    logout(request)
    messages.warning(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(reverse(settings.LOGIN_URL))
    return redirect_to_login(next_url)


def redirect_with_next(request: HttpRequest, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    if request.method == "GET" and not request.htmx:  # type: ignore[attr-defined]
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _paths(*names: str) -> set[str]:
    return {reverse(name) for name in names}
