"""What a locked-out person sees (GB/T 22239-2019 8.1.4.1 b): 限制非法登录次数).

django-axes counts failed log-ins per username and, at ``FUYUAN_LOGIN_FAILURE_LIMIT``, calls ``lockout_response``
(``AXES_LOCKOUT_CALLABLE``) instead of showing the login form's error. The page says the account is locked and until
when. It says so for any username, existing or not, so the lock reveals nothing about which accounts exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fuyuan.core.forms import LoginForm


def locked_until(username: str) -> datetime | None:
    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off()
    if last is None or cool_off is None:
        return None
    return timezone.localtime(last + cool_off)


def locked_accounts() -> list[tuple[str, datetime]]:
    """The usernames locked now, with the time each lock ends, soonest first (for the security administrator's
    page; unlocking is ``axes.utils.reset(username=...)``). Failures of one username from several addresses add up,
    as axes counts them."""
    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    now = timezone.now()
    locked = [(r["username"], timezone.localtime(r["last"] + cool_off)) for r in rows if cool_off is not None]
    return sorted(((u, until) for u, until in locked if until > now), key=lambda pair: pair[1])


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "locked_until": locked_until(username),
        "failure_limit": settings.FUYUAN_LOGIN_FAILURE_LIMIT,
        "next": request.POST.get("next", ""),
    }
    return render(request, "core/login.html", context, status=429)
