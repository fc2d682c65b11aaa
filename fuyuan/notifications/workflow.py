"""Creating notifications and reading them. Sending is ``sender.send_due``'s job."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fuyuan.core.models import User
from fuyuan.notifications.models import Channel, Notification


@dataclass(frozen=True)
class Address:
    """Someone without a user account, reached by email or SMS (e.g. a party's phone number)."""

    email: str = ""
    phone: str = ""


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
    """Put one message per recipient and channel in the outbox, unless that key was already used for them.

    Race-safe: the unique constraints are the guard, and a conflicting row is silently not inserted, so two
    sweeps creating the same reminder at once leave one row. ``phones`` maps user ids to mobile numbers for
    the SMS channel (users have no phone field). Nothing is sent here.
    """
    now = timezone.now()
    phones = phones or {}
    rows = []
    for recipient in recipients:
        for channel in channels:
            if isinstance(recipient, Address):
                user, email, phone = None, recipient.email, recipient.phone
            else:
                user, email, phone = recipient, "", phones.get(recipient.pk, "")
            rows.append(
                Notification(
                    recipient=user,
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
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


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
