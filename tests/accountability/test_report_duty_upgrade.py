"""Written-report duties moved onto the due obligations (issue 13 item 15): the data migration gives each duty its
obligation with the notices it has already had, so nobody is told twice after the upgrade.

都匀市's duty opens on 18 March 2026 and is due on 17 April (conftest: 30 calendar days)."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone

from fuyuan.accountability.workflow import DUTY, chase_report_duties, open_report_duties
from fuyuan.notifications.models import Notification
from fuyuan.obligations.models import Obligation, ObligationState
from tests import migrated
from tests.accountability.conftest import NOW, Setup

D = datetime.date
upgrade = import_module("fuyuan.accountability.migrations.0006_report_duty_obligations")
# Run for real: the duty's own reminder columns, which the upgrade reads, are dropped by the next migration; the test
# takes that migration back (tests/migrated.unapply), runs the upgrade on the table as it was, and applies it again.
DROPS_COLUMNS = ("accountability", "0007_remove_reminder_columns")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.mark.django_db(transaction=True)
def test_a_duty_chased_before_the_upgrade_is_neither_reminded_nor_chased_again(setup: Setup, settings) -> None:  # type: ignore[no-untyped-def]
    # given a duty reminded and chased by the sweep of before, with no obligation yet
    settings.FUYUAN_DEADLINE_WARN_DAYS = 3
    (duty,) = open_report_duties(NOW)
    Obligation.objects.filter(kind=DUTY).delete()
    apps = migrated.unapply(connection, *DROPS_COLUMNS)
    try:
        apps.get_model("accountability", "ReportDuty").objects.filter(pk=duty.pk).update(
            warned_at=at(D(2026, 4, 14)), overdue_notified_at=at(D(2026, 4, 18))
        )

        upgrade.forwards(apps, None)
    finally:
        migrated.reapply(connection, *DROPS_COLUMNS)

    ob = Obligation.objects.get(kind=DUTY, subject_id=duty.pk)
    assert (ob.state, ob.warned_at, ob.chased_at) == (ObligationState.OPEN, at(D(2026, 4, 14)), at(D(2026, 4, 18)))
    assert ob.next_check_at is None
    report = chase_report_duties(at(D(2026, 4, 20)))
    assert (report.warned, report.overdue) == (0, 0)
    assert not Notification.objects.filter(subject__in=["【书面报告】报告临期", "【书面报告】报告逾期"]).exists()
