"""The deadline's own 临期 column goes: what the sweep has sent is its due obligation's (``0004_deadline_obligations``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0004_deadline_obligations")]

    operations = [
        migrations.RemoveIndex(model_name="deadline", name="deadline_state_warned_due"),
        migrations.RemoveField(model_name="deadline", name="warned_at"),
    ]
