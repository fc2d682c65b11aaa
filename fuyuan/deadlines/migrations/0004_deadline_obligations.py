"""Every open or overdue case deadline gets its due obligation (``obligations``, kind ``deadlines.deadline``), with
the reminder it has already had, so nobody is told twice after the upgrade: an open deadline is reminded (if it was
not yet) and chased by the one sweep step; an overdue one was chased by the sweep of before (or saved already
overdue) and is not chased again. Met and cancelled deadlines have nothing left to send and get none."""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone

KIND = "deadlines.deadline"


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_check(warn_on, due_on, warned_at, chased_at):
    if chased_at is not None:
        return None
    if warned_at is None and warn_on <= due_on:
        return start_of(warn_on)
    return start_of(due_on + datetime.timedelta(days=1))


def forwards(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    Obligation = apps.get_model("obligations", "Obligation")
    warn_days = datetime.timedelta(days=settings.FUYUAN_DEADLINE_WARN_DAYS)
    now = timezone.now()
    rows = []
    found = Deadline.objects.filter(state__in=["open", "overdue"]).only(
        "pk", "rule_id", "owner_id", "due_on", "state", "warned_at"
    )
    for d in found.iterator(chunk_size=2000):
        warn_on = d.due_on - warn_days
        # Overdue: from the day after its due date (a period includes its last day), as the sweep marked it.
        chased_at = start_of(d.due_on + datetime.timedelta(days=1)) if d.state == "overdue" else None
        rows.append(
            Obligation(
                kind=KIND,
                subject_id=d.pk,
                rule_id=d.rule_id,
                due_on=d.due_on,
                warn_on=warn_on,
                owner_organisation_id=d.owner_id,
                state="open",
                warned_at=d.warned_at,
                chased_at=chased_at,
                next_check_at=next_check(warn_on, d.due_on, d.warned_at, chased_at),
                created_at=now,
                updated_at=now,
            )
        )
        if len(rows) >= 2000:
            Obligation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
            rows = []
    Obligation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    """The reminders already sent go back onto the deadlines."""
    Deadline = apps.get_model("deadlines", "Deadline")
    Obligation = apps.get_model("obligations", "Obligation")
    warned = Obligation.objects.filter(kind=KIND, warned_at__isnull=False).values_list("subject_id", "warned_at")
    for subject_id, warned_at in warned.iterator(chunk_size=2000):
        Deadline.objects.filter(pk=subject_id).update(warned_at=warned_at)
    Obligation.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0003_accountability_and_rectification_rules"),
        ("obligations", "0002_obligation_date_changes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
