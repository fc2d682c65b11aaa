"""Every written-report duty gets its due obligation (``obligations``), with the 临期 reminder and the 逾期 notice it
has already had, so nobody is told twice after the upgrade: open while the report is awaited (待报告, 退回补充), met
once it is sent or the duty is closed (a returned report reopens it with what was sent)."""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone

KIND = "accountability.report_duty"
AWAITING_REPORT = ("open", "returned")


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_check(state, warn_on, due_on, warned_at, chased_at):
    if state != "open" or chased_at is not None:
        return None
    if warned_at is None and warn_on <= due_on:
        return start_of(warn_on)
    return start_of(due_on + datetime.timedelta(days=1))


def forwards(apps, schema_editor):
    ReportDuty = apps.get_model("accountability", "ReportDuty")
    Obligation = apps.get_model("obligations", "Obligation")
    warn_days = datetime.timedelta(days=settings.FUYUAN_DEADLINE_WARN_DAYS)
    rows = []
    for duty in ReportDuty.objects.only(
        "pk", "government_id", "due_on", "state", "warned_at", "overdue_notified_at"
    ).iterator():
        state = "open" if duty.state in AWAITING_REPORT else "met"
        warn_on = duty.due_on - warn_days
        rows.append(
            Obligation(
                kind=KIND,
                subject_id=duty.pk,
                due_on=duty.due_on,
                warn_on=warn_on,
                owner_organisation_id=duty.government_id,
                state=state,
                warned_at=duty.warned_at,
                chased_at=duty.overdue_notified_at,
                next_check_at=next_check(state, warn_on, duty.due_on, duty.warned_at, duty.overdue_notified_at),
            )
        )
    Obligation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    apps.get_model("obligations", "Obligation").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0005_report_duty_deadline_notices"),
        ("obligations", "0001_due_obligations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
