"""How often an obligation's due date has moved, so the reminder of a new date is told apart from the first."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('obligations', '0001_due_obligations'),
    ]

    operations = [
        migrations.AddField(
            model_name='obligation',
            name='date_changes',
            field=models.PositiveSmallIntegerField(db_default=0, default=0, verbose_name='届满日变更次数'),
        ),
    ]
