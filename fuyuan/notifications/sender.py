"""Sending the outbox: ``send_due`` picks the due rows and sends each once, even with several workers.

The shape is Healthchecks' ``sendalerts``: select due work in one query, then claim each row with a
conditional UPDATE and act only if this worker's UPDATE changed the row. The claim also moves the row's next
attempt forward, so a worker that dies mid-send leaves a row that is retried later, not lost.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.sms import gateway

MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]


class DeliveryError(Exception):
    pass


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (
            f"已发送 {self.sent} 条，失败待重试 {self.retrying} 条，"
            f"最终失败 {self.failed} 条，跳过 {self.skipped} 条（已由其他进程处理）"
        )


def send_due(now: datetime.datetime | None = None, limit: int = 500) -> SendReport:
    """Send pending notifications whose time has come, oldest first, at most ``limit`` of them."""
    now = now or timezone.now()
    report = SendReport()
    for notification in due_rows(now, limit):
        attempt = notification.attempts + 1
        if not claim(notification, now):
            report.skipped += 1
            continue
        try:
            deliver(notification)
        except Exception as error:  # any gateway failure is recorded and retried
            final = attempt >= MAX_ATTEMPTS
            Notification.objects.filter(pk=notification.pk).update(
                state=NotificationState.FAILED if final else NotificationState.PENDING,
                last_error=(str(error) or type(error).__name__)[:500],
            )
            if final:
                report.failed += 1
            else:
                report.retrying += 1
        else:
            Notification.objects.filter(pk=notification.pk).update(
                state=NotificationState.SENT, sent_at=timezone.now(), last_error=""
            )
            report.sent += 1
    return report


def due_rows(now: datetime.datetime, limit: int) -> list[Notification]:
    """The pending rows whose time has come, oldest first: one query on the ``notification_due`` index."""
    return list(
        Notification.objects.filter(state=NotificationState.PENDING, next_attempt_at__lte=now)
        .select_related("recipient")
        .order_by("next_attempt_at", "pk")[:limit]
    )


def claim(notification: Notification, now: datetime.datetime) -> bool:
    """Take the row for this worker: true only if no other worker changed it since it was read.

    The UPDATE counts the attempt and moves the next attempt forward by the backoff in one statement; a
    second worker holding the same stale row matches nothing (its ``attempts`` no longer match) and skips it.
    """
    attempt = notification.attempts + 1
    retry_at = now + BACKOFF[min(attempt, len(BACKOFF)) - 1]
    return bool(
        Notification.objects.filter(
            pk=notification.pk, state=NotificationState.PENDING, attempts=notification.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=retry_at)
    )


def deliver(notification: Notification) -> None:
    """Deliver one message on its channel; raise ``DeliveryError`` (or the backend's error) if it cannot."""
    text = notification.body
    if notification.link:
        text = f"{text}\n\n{notification.link}" if text else notification.link
    if notification.channel == Channel.IN_APP:
        return  # already in the recipient's inbox
    if notification.channel == Channel.EMAIL:
        address = notification.email or (notification.recipient.email if notification.recipient else "")
        if not address:
            raise DeliveryError("没有邮箱地址")
        send_mail(notification.subject, text, None, [address])
        return
    if notification.channel == Channel.SMS:
        if not notification.phone:
            raise DeliveryError("没有手机号码")
        gateway().send(notification.phone, f"【府院联动】{notification.subject}：{text}")
        return
    raise DeliveryError(f"未知的渠道：{notification.channel}")
