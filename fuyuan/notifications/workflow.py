"""Creating notifications and reading them, and sending failed messages again. Sending is ``sender.send_due``'s
job; the system administrator's view of the outbox is in ``queries``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Role, User
from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.queries import OutboxFilter, category_of, failed_matching


@dataclass(slots=True)
class OutboxRow:
    """An outbox row not yet written (``put`` writes it as a ``Notification``): the columns a new message sets.

    Not a model instance: a day's sweep builds some 18,000 and a ``Notification`` costs several times as much to
    make (``bench/bench_sweep.py``). The other columns start at their defaults (pending, no attempt yet).
    """

    recipient_id: int | None
    email: str
    phone: str
    channel: str
    subject: str
    body: str
    link: str
    dedup_key: str
    next_attempt_at: datetime.datetime
    created_at: datetime.datetime


OUTBOX_FIELDS = tuple(OutboxRow.__slots__)


@dataclass(frozen=True)
class Address:
    """Someone without a user account, reached by email or SMS (e.g. a party's phone number)."""

    email: str = ""
    phone: str = ""


def outbox_rows(
    recipients: Iterable[User | Address],
    *,
    subject: str,
    body: str,
    link: str = "",
    dedup_key: str,
    channels: Sequence[str] = (Channel.IN_APP,),
    phones: dict[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> list[OutboxRow]:
    """The outbox rows for one message: one per recipient and channel (not saved; see ``put``).

    ``phones`` maps user ids to mobile numbers for the SMS channel; a user without one gets no SMS row.
    """
    now = now or timezone.now()
    phones = phones or {}
    rows = []
    for recipient in recipients:
        for channel in channels:
            if isinstance(recipient, Address):
                user, email, phone = None, recipient.email, recipient.phone
            else:
                user, email, phone = recipient, "", phones.get(recipient.pk, "")
            if channel == Channel.SMS and not phone:
                continue
            rows.append(
                OutboxRow(
                    recipient_id=user.pk if user is not None else None,
                    email=email if channel == Channel.EMAIL else "",
                    phone=phone if channel == Channel.SMS else "",
                    channel=channel,
                    subject=subject,
                    body=body,
                    link=link,
                    dedup_key=dedup_key,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    return rows


def put(rows: Iterable[OutboxRow]) -> None:
    """Insert outbox rows in one statement; a row whose key was already used for its recipient is left out.

    Race-safe: the unique constraints are the guard, and a conflicting row is silently not inserted, so two
    sweeps creating the same reminder at once leave one row. Nothing is sent here. The rows take the raw bulk
    path of ``core.bulk`` (a day's sweep puts some 18,000 rows, and ``bulk_create``'s per-value preparation was
    most of its time: ``bench/bench_sweep.py``).
    """
    values_of = attrgetter(*OUTBOX_FIELDS)
    insert_rows(Notification, OUTBOX_FIELDS, [values_of(row) for row in rows], ignore_conflicts=True)


def notify(
    recipients: Iterable[User | Address],
    *,
    subject: str,
    body: str,
    link: str = "",
    dedup_key: str,
    channels: Sequence[str] = (Channel.IN_APP,),
    phones: dict[int, str] | None = None,
) -> None:
    """Put one message per recipient and channel in the outbox, unless that key was already used for them."""
    put(
        outbox_rows(
            recipients, subject=subject, body=body, link=link, dedup_key=dedup_key, channels=channels, phones=phones
        )
    )


def personal_rows(
    users: Iterable[User], *, subject: str, body: str, link: str, dedup_key: str, now: datetime.datetime | None = None
) -> list[OutboxRow]:
    """A message to users on every channel they can be reached on: in-app always, email and SMS where known.
    A user named twice (the office head who is also the verifier, say) gets it once."""
    users = list({u.pk: u for u in users}.values())
    mailed = [u for u in users if u.email]
    phones = {u.pk: u.mobile for u in users if u.mobile}
    rows: list[OutboxRow] = []
    for channel, who in ((Channel.IN_APP, users), (Channel.EMAIL, mailed), (Channel.SMS, users)):
        rows += outbox_rows(
            who, subject=subject, body=body, link=link, dedup_key=dedup_key, channels=[channel], phones=phones, now=now
        )
    return rows


def mark_read(notification: Notification, *, by: User) -> None:
    """The recipient has seen an in-app message; reading it again keeps the first time."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied("只能阅读发给自己的消息")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)


def mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, channel=Channel.IN_APP, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True).count()


# ---------------------------------------------------------------------------------------------------------------
# Sending a failed message again (重新发送)


class RequeueRefused(Exception):
    """A message that cannot be sent again (it did not fail), with the reason in Chinese."""


def require_system_administrator(by: User, refusal: str = "只有系统管理员可以重新发送消息") -> User:
    """The outbox's page and its resending are the system administrator's (三员管理: the outbox is the system's
    plumbing, kept by the system administrator; GB/T 22239-2019 8.1.10.1); anyone else is refused with ``refusal``."""
    if not by.is_active or by.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied(refusal)
    return by


NOTIFICATION_TARGET = "notifications.notification"
# Rows requeued per UPDATE: well under SQLite's limit on a statement's parameters.
REQUEUE_CHUNK = 500


@transaction.atomic
def requeue_failed(notification: Notification, *, by: User, request: HttpRequest | None = None) -> None:
    """Put a message whose sending finally failed back in the queue, due now and with its attempts reset, so the
    next ``send_due`` sends it with the whole retry schedule ahead of it (after the gateway is repaired, say).

    Only a failed message: a pending one is still being tried and a sent one has arrived. The UPDATE is
    conditional on the state, so two administrators pressing at once requeue it once. Notifications have no
    timeline: the audit log records who requeued which message."""
    require_system_administrator(by)
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, state=NotificationState.FAILED).update(
        state=NotificationState.PENDING, attempts=0, next_attempt_at=now
    )
    if not changed:
        current = Notification.objects.filter(pk=notification.pk).values_list("state", flat=True).first()
        label = NotificationState(current).label if current else "已删除"
        raise RequeueRefused(f"第 {notification.pk} 号消息当前状态为“{label}”，只有发送失败的消息可以重新发送")
    record(
        AuditKind.CHANGE,
        f"重新发送第 {notification.pk} 号消息（{notification.get_channel_display()}，"
        f"{category_of(notification.dedup_key)}）",
        request=request,
        actor=by,
        target_type=NOTIFICATION_TARGET,
        target_id=str(notification.pk),
        detail={
            "channel": notification.channel,
            "category": category_of(notification.dedup_key),
            "attempts_before": notification.attempts,
            "last_error": notification.last_error,
        },
    )
    notification.state, notification.attempts, notification.next_attempt_at = NotificationState.PENDING, 0, now


@transaction.atomic
def requeue_all_failed(filters: OutboxFilter, *, by: User, request: HttpRequest | None = None) -> int:
    """``requeue_failed`` for every failed message the filters match (the channel, errors only); returns how many.

    The rows are locked while they are requeued, and the one audit record names every message requeued."""
    require_system_administrator(by)
    ids = list(failed_matching(filters).select_for_update().order_by("id").values_list("id", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    changed = 0
    for start in range(0, len(ids), REQUEUE_CHUNK):
        changed += Notification.objects.filter(
            pk__in=ids[start : start + REQUEUE_CHUNK], state=NotificationState.FAILED
        ).update(state=NotificationState.PENDING, attempts=0, next_attempt_at=now)
    channel = f"，渠道：{Channel(filters.channel).label}" if filters.channel else ""
    record(
        AuditKind.CHANGE,
        f"重新发送全部发送失败的消息 {changed} 条{channel}",
        request=request,
        actor=by,
        target_type=NOTIFICATION_TARGET,
        detail={"count": changed, "ids": ids, "channel": filters.channel, "errors_only": filters.errors_only},
    )
    return changed
