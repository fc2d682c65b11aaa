"""Creating notifications and reading them. Sending is ``sender.send_due``'s job."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import User
from fuyuan.notifications.models import Channel, Notification


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
