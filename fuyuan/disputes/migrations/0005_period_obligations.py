"""The running periods of the open disputes become due obligations (``disputes.obligations``): from now on each is
reminded once before it ends and chased once after (they were never reminded before)."""

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone

KIND = "disputes.period"
WARN_DAYS = {"centre.expert_review": 1, "centre.plan": 1}
# (rule, the dispute's due-date column, the states in which it runs)
PERIODS = [
    ("centre.pre_litigation", "mediation_due_on", ("accepted", "assigned", "reviewed", "planned")),
    ("centre.expert_review", "review_due_on", ("assigned",)),
    ("centre.plan", "plan_due_on", ("reviewed",)),
]


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def forwards(apps, schema_editor):
    Dispute = apps.get_model("disputes", "Dispute")
    Obligation = apps.get_model("obligations", "Obligation")
    rows = []
    for rule_id, column, states in PERIODS:
        warn_days = WARN_DAYS.get(rule_id, settings.FUYUAN_DEADLINE_WARN_DAYS)
        for pk, centre_id, due_on in Dispute.objects.filter(state__in=states, **{f"{column}__isnull": False}).values_list(
            "pk", "centre_id", column
        ):
            warn_on = due_on - datetime.timedelta(days=warn_days)
            rows.append(
                Obligation(
                    kind=KIND,
                    subject_id=pk,
                    rule_id=rule_id,
                    due_on=due_on,
                    warn_on=warn_on,
                    owner_organisation_id=centre_id,
                    state="open",
                    next_check_at=start_of(warn_on),
                )
            )
    Obligation.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    apps.get_model("obligations", "Obligation").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0004_record_mediation_consent"),
        ("obligations", "0001_due_obligations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
