"""The rectification item's own 临期/逾期 columns go: what the sweep has sent is its due obligation's (``0003_item_obligations``)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rectification', '0003_item_obligations'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='item',
            name='overdue_notified_at',
        ),
        migrations.RemoveField(
            model_name='item',
            name='warned_at',
        ),
    ]
