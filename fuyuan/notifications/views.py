from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fuyuan.core.models import User
from fuyuan.notifications import workflow
from fuyuan.notifications.models import Channel, Notification

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def inbox(request: HttpRequest) -> HttpResponse:
    """我的消息: the user's in-app notifications, newest first, unread ones in bold."""
    notifications = Notification.objects.filter(recipient=_user(request), channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "nav": "inbox"})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one message read, then go where it points (or back to the inbox)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=_user(request), channel=Channel.IN_APP)
    workflow.mark_read(notification, by=_user(request))
    target = notification.link
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = workflow.mark_all_read(by=_user(request))
    messages.success(request, f"已将 {count} 条消息标为已读" if count else "没有未读消息")
    return redirect("notifications:inbox")
