"""The outbox's migration run for real, schema and data: rows written in plaintext before it are encrypted and
indexed (so the once-per-number guard can be created over the index), and migrating back restores them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fuyuan.core import crypto
from tests import migrated

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0002_encrypt_outbox_phone")]


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def stored_phones() -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "notifications_notification")]
        picked = "phone, phone_index" if "phone_index" in columns else "phone"
        cursor.execute(f"SELECT {picked} FROM notifications_notification ORDER BY id")
        return [tuple(row) for row in cursor.fetchall()]


def test_the_outbox_migration_encrypts_old_sms_rows_and_its_reverse_restores_them() -> None:
    migrate(BEFORE)
    try:
        now = timezone.now()
        with connection.cursor() as cursor:
            for phone in ("13912341234", "13800000000"):  # two numbers, one occasion: two rows under the new guard
                cursor.execute(
                    "INSERT INTO notifications_notification (email, phone, channel, subject, body, link, dedup_key,"
                    " state, attempts, last_error, next_attempt_at, created_at) VALUES"
                    " ('', %s, 'sms', '开庭提醒', '', '', 'hearing:1:t7', 'pending', 0, '', %s, %s)",
                    [phone, now, now],
                )

        migrate(AFTER)

        after = stored_phones()
        assert all(phone.startswith("aesgcm$") and "13912341234" not in phone for phone, _ in after)
        assert [index for _, index in after] == [
            crypto.blind_index("13912341234", "phone"),
            crypto.blind_index("13800000000", "phone"),
        ]
        from fuyuan.notifications.models import Notification

        assert sorted(Notification.objects.values_list("phone", flat=True)) == ["13800000000", "13912341234"]

        migrate(BEFORE)

        assert stored_phones() == [("13912341234",), ("13800000000",)]
    finally:
        migrated.restore_test_database(connection)
