from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fuyuan.core.forms import NamedErrors
from fuyuan.core.masking import mask_email, mask_phone
from fuyuan.core.models import User
from fuyuan.core.paging import paginate
from fuyuan.notifications import queries, workflow
from fuyuan.notifications.models import Channel, Notification, NotificationState


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def inbox(request: HttpRequest) -> HttpResponse:
    """我的消息: the user's in-app notifications, newest first, unread ones in bold."""
    notifications = Notification.objects.filter(recipient=_user(request), channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )
    page = paginate(request, notifications)
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


# ---------------------------------------------------------------------------------------------------------------
# 消息发送情况: the outbox for the system administrator (no subject, body or link: 三员管理, SPEC §2)

CHANNEL_LABELS = dict(Channel.choices)
STATE_CHOICES = [
    ("", "全部"),
    (NotificationState.PENDING.value, NotificationState.PENDING.label),
    (queries.RETRYING, "待发送（重试中）"),
    (NotificationState.SENT.value, NotificationState.SENT.label),
    (NotificationState.FAILED.value, NotificationState.FAILED.label),
]


class OutboxFilterForm(NamedErrors, forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=STATE_CHOICES)
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部"), *Channel.choices])
    with_error = forms.BooleanField(label="只看有错误的", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("state", "channel"):
            self.fields[name].error_messages["invalid_choice"] = f"{self.fields[name].label}“%(value)s”不存在"

    def filters(self) -> queries.OutboxFilter:
        """The filters asked for; none when the form is invalid (the errors are shown instead)."""
        if not self.is_valid():
            return queries.OutboxFilter()
        data = self.cleaned_data
        return queries.OutboxFilter(state=data["state"], channel=data["channel"], errors_only=data["with_error"])

    def error_text(self) -> str:
        return "；".join(str(error) for errors in self.errors.values() for error in errors)


def _system_administrator(request: HttpRequest) -> User:
    return workflow.require_system_administrator(_user(request), "消息发送情况仅供系统管理员查看")


def recipient_label(notification: Notification) -> str:
    """Whom a message is for: the user's name, or a bare address masked (个人信息保护法 第6条 最小必要)."""
    if notification.recipient is not None:
        return notification.recipient.display_name
    if notification.channel == Channel.SMS:
        return mask_phone(notification.phone)
    return mask_email(notification.email)


def _filter_query(form: OutboxFilterForm) -> str:
    """The filters as a query string (without the page), to keep them across the pager and the actions."""
    query = QueryDict(mutable=True)
    for name in ("state", "channel", "with_error"):
        value = form.data.get(name, "")
        if value:
            query[name] = value
    return query.urlencode()


def outbox(request: HttpRequest) -> HttpResponse:
    """消息发送情况: the counts per state and channel, and the messages as filtered, newest first."""
    _system_administrator(request)
    form = OutboxFilterForm(request.GET)
    filters = form.filters()
    listed = queries.outbox_messages(filters)
    page = paginate(request, listed)
    failed_here = queries.failed_matching(filters).count() if form.is_valid() else 0
    counts = queries.outbox_counts()
    context = {
        "nav": "outbox",
        "form": form,
        "filter_error": form.error_text() if form.errors else "",
        "counts": [(channel, CHANNEL_LABELS.get(channel, channel), c) for channel, c in counts.by_channel.items()],
        "totals": {key: counts.total(key) for key in ("pending", "retrying", "sent", "failed")},
        "page": page,
        "rows": [
            {"n": n, "recipient": recipient_label(n), "category": queries.category_of(n.dedup_key)}
            for n in page.object_list
        ],
        "query": _filter_query(form),
        "failed_here": failed_here,
    }
    return render(request, "notifications/outbox.html", context)


def _back_to_outbox(request: HttpRequest) -> HttpResponse:
    """The outbox with the filters (and page) the administrator was looking at."""
    form = OutboxFilterForm(request.POST)
    query = QueryDict(_filter_query(form), mutable=True)
    page = request.POST.get("page", "")
    if page.isdigit():
        query["page"] = page
    return redirect(reverse("notifications:outbox") + (f"?{query.urlencode()}" if query else ""))


@require_POST
def requeue(request: HttpRequest, pk: int) -> HttpResponse:
    """重新发送 one message whose sending finally failed."""
    by = _system_administrator(request)
    notification = get_object_or_404(
        Notification.objects.only("channel", "dedup_key", "state", "attempts", "last_error"), pk=pk
    )
    try:
        workflow.requeue_failed(notification, by=by, request=request)
    except workflow.RequeueRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"第 {pk} 号消息已重新排入发送队列，将在下一次发送时发出")
    return _back_to_outbox(request)


@require_POST
def requeue_all(request: HttpRequest) -> HttpResponse:
    """全部重新发送: every failed message matching the filters shown."""
    by = _system_administrator(request)
    form = OutboxFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"筛选条件有误，未重新发送：{form.error_text()}")
        return redirect("notifications:outbox")
    count = workflow.requeue_all_failed(form.filters(), by=by, request=request)
    if count:
        messages.success(request, f"已将 {count} 条发送失败的消息重新排入发送队列，将在下一次发送时发出")
    else:
        messages.info(request, "没有符合条件的发送失败消息")
    return _back_to_outbox(request)
