"""``core.bulk.insert_rows``, the raw path of the import and the sweep's outbox: the rows stored are those the ORM
would store, a repeated outbox key is left out (never sent twice) whether the rows are few or many, and a bad row writes
nothing."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fuyuan.core import bulk
from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.workflow import outbox_rows, put
from tests.factories import World

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 10, 9, 9, 30))


def rows(world: World, key: str, *names: str) -> list[Notification]:
    users = [world.users[n] for n in names]
    return outbox_rows(users, subject=f"提醒 {key}", body="正文", link="/cases/1/", dedup_key=key, now=NOW)


def test_put_stores_each_row_as_the_orm_would(world: World) -> None:
    put(rows(world, "deadline:1:due_soon", "agency_duyun", "rol_duyun"))

    stored = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.channel, n.subject, n.link) for n in stored] == [
        ("agency_duyun", Channel.IN_APP, "提醒 deadline:1:due_soon", "/cases/1/"),
        ("rol_duyun", Channel.IN_APP, "提醒 deadline:1:due_soon", "/cases/1/"),
    ]
    first = stored[0]
    assert (first.state, first.attempts, first.next_attempt_at, first.created_at) == (
        NotificationState.PENDING, 0, NOW, NOW
    )  # fmt: skip


def test_a_key_already_used_for_a_recipient_is_left_out_and_the_others_go_in(world: World) -> None:
    put(rows(world, "deadline:1:due_soon", "agency_duyun"))

    put(
        rows(world, "deadline:1:due_soon", "agency_duyun", "rol_duyun")
        + rows(world, "deadline:2:due_soon", "agency_duyun")
    )

    assert sorted(Notification.objects.values_list("dedup_key", "recipient__username")) == [
        ("deadline:1:due_soon", "agency_duyun"),
        ("deadline:1:due_soon", "rol_duyun"),
        ("deadline:2:due_soon", "agency_duyun"),
    ]


def test_a_put_of_more_rows_than_one_statement_takes_leaves_out_the_used_keys_as_well(world: World) -> None:
    # Past FEW_ROWS, PostgreSQL takes the rows through a scratch table (COPY) instead of one INSERT.
    keys = [f"deadline:{n}:due_soon" for n in range(bulk.FEW_ROWS + 20)]
    put([row for key in keys[:5] for row in rows(world, key, "agency_duyun")])

    put([row for key in keys for row in rows(world, key, "agency_duyun")])

    stored = Notification.objects.filter(recipient=world.users["agency_duyun"])
    assert sorted(stored.values_list("dedup_key", flat=True)) == sorted(keys)


def test_a_row_breaking_another_rule_fails_the_whole_put(world: World) -> None:
    good = rows(world, "deadline:3:overdue", "agency_duyun")
    bad = rows(world, "deadline:4:overdue", "rol_duyun")
    bad[0].subject = None  # type: ignore[assignment]  # the title is required

    with pytest.raises(IntegrityError), transaction.atomic():
        put(good + bad)

    assert not Notification.objects.exists()
    put(good)  # and the next put works (nothing of the failed one is left behind)
    assert Notification.objects.count() == 1
