"""Every rectification item gets its due obligation (``obligations``), with the reminder and the overdue notice it
has already had, so nobody is told twice after the upgrade: open while the item is being rectified, met once
reported or verified (a returned item reopens it with what was sent)."""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone

KIND = "rectification.item"


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_check(state, warn_on, due_on, warned_at, chased_at):
    if state != "open" or chased_at is not None:
        return None
    if warned_at is None and warn_on <= due_on:
        return start_of(warn_on)
    return start_of(due_on + datetime.timedelta(days=1))


def forwards(apps, schema_editor):
    Item = apps.get_model("rectification", "Item")
    Obligation = apps.get_model("obligations", "Obligation")
    warn_days = datetime.timedelta(days=settings.FUYUAN_DEADLINE_WARN_DAYS)
    rows = []
    for item in Item.objects.only("pk", "owner_id", "due_on", "state", "warned_at", "overdue_notified_at").iterator():
        state = "open" if item.state == "in_progress" else "met"
        warn_on = item.due_on - warn_days
        rows.append(
            Obligation(
                kind=KIND,
                subject_id=item.pk,
                due_on=item.due_on,
                warn_on=warn_on,
                owner_organisation_id=item.owner_id,
                state=state,
                warned_at=item.warned_at,
                chased_at=item.overdue_notified_at,
                next_check_at=next_check(state, warn_on, item.due_on, item.warned_at, item.overdue_notified_at),
            )
        )
    Obligation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    apps.get_model("obligations", "Obligation").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0002_item_reminders"),
        ("obligations", "0001_due_obligations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
