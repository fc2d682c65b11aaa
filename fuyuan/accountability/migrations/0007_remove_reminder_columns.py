"""The written-report duty's own 临期/逾期 columns go: what the sweep has sent is its due obligation's (``0006_report_duty_obligations``)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accountability', '0006_report_duty_obligations'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='reportduty',
            name='overdue_notified_at',
        ),
        migrations.RemoveField(
            model_name='reportduty',
            name='warned_at',
        ),
    ]
