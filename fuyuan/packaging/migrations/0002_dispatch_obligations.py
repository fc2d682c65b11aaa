"""Every active package gets the due obligation of its monthly dispatch (``obligations``), for the first month not
yet reminded (``dispatch_reminded_for``), so no month is reminded twice after the upgrade."""

import datetime

from django.db import migrations
from django.utils import timezone

KIND = "packaging.dispatch"


def next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def forwards(apps, schema_editor):
    CasePackage = apps.get_model("packaging", "CasePackage")
    Obligation = apps.get_model("obligations", "Obligation")
    this_month = timezone.localdate().replace(day=1)
    rows = []
    for pk, leader_id, reminded_for in CasePackage.objects.filter(state="active").values_list(
        "pk", "leader_id", "dispatch_reminded_for"
    ):
        month = this_month if reminded_for is None else next_month(reminded_for)
        rows.append(
            Obligation(
                kind=KIND,
                subject_id=pk,
                due_on=next_month(month) - datetime.timedelta(days=1),
                warn_on=month,
                owner_user_id=leader_id,
                state="open",
                next_check_at=timezone.make_aware(datetime.datetime.combine(month, datetime.time.min)),
            )
        )
    Obligation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    apps.get_model("obligations", "Obligation").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("packaging", "0001_case_packages"),
        ("obligations", "0001_due_obligations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
