"""Rectification items moved onto the due obligations (issue 13 item 15): the data migration gives each item its
obligation with the notices it has already had, so nobody is told twice after the upgrade."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone

from fuyuan.notifications.models import Notification
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.rectification.workflow import ITEM, sweep_items
from tests import migrated
from tests.rectification.conftest import Ledger

D = datetime.date
upgrade = import_module("fuyuan.rectification.migrations.0003_item_obligations")
# Run for real: the item's own reminder columns, which the upgrade reads, are dropped by the next migration; the test
# takes that migration back (tests/migrated.unapply), runs the upgrade on the table as it was, and applies it again.
pytestmark = pytest.mark.django_db(transaction=True)
DROPS_COLUMNS = ("rectification", "0004_remove_reminder_columns")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def test_an_item_reminded_before_the_upgrade_is_not_reminded_again_and_is_still_chased(ledger: Ledger) -> None:
    # given the opinion's item (due 31 March) reminded on 28 March by the sweep of before, with no obligation yet
    item = ledger.opinion.items.get()
    Obligation.objects.filter(kind=ITEM).delete()
    apps = migrated.unapply(connection, *DROPS_COLUMNS)
    try:
        apps.get_model("rectification", "Item").objects.filter(pk=item.pk).update(warned_at=at(D(2026, 3, 28)))

        upgrade.forwards(apps, None)
    finally:
        migrated.reapply(connection, *DROPS_COLUMNS)

    ob = Obligation.objects.get(kind=ITEM, subject_id=item.pk)
    assert (ob.state, ob.warned_at, ob.chased_at) == (ObligationState.OPEN, at(D(2026, 3, 28)), None)
    assert ob.next_check_at == timezone.make_aware(datetime.datetime(2026, 4, 1))
    assert sweep_items(at(D(2026, 3, 29))).warned == 0
    assert sweep_items(at(D(2026, 4, 2))).overdue == 1
    assert not Notification.objects.filter(dedup_key__endswith=":warned").exists()
    # The judicial recommendation's two items (due in May) are open and not yet due for anything.
    assert Obligation.objects.filter(kind=ITEM, state=ObligationState.OPEN).count() == 3
