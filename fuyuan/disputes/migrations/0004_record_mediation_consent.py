# 行政诉讼法 第60条 and SPEC §10: who agreed to mediation, when and how.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0003_conflict_withdrawal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="consent_by",
            field=models.CharField(blank=True, max_length=500, verbose_name="同意调解的当事人"),
        ),
        migrations.AddField(
            model_name="dispute",
            name="consent_on",
            field=models.DateField(blank=True, null=True, verbose_name="同意调解日期"),
        ),
        migrations.AddField(
            model_name="dispute",
            name="consent_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="同意记录人",
            ),
        ),
        migrations.AddField(
            model_name="dispute",
            name="consent_way",
            field=models.CharField(
                blank=True,
                choices=[
                    ("online", "线上申请时勾选同意"),
                    ("written", "书面签字同意"),
                    ("oral", "口头同意并记录在卷"),
                ],
                max_length=10,
                verbose_name="同意方式",
            ),
        ),
        migrations.AddConstraint(
            model_name="dispute",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("consent_on__isnull", True), ("consent_way", ""), ("consent_by", "")),
                    models.Q(
                        ("consent_on__isnull", False),
                        models.Q(("consent_way", ""), _negated=True),
                        models.Q(("consent_by", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="dispute_consent_says_who_when_how",
            ),
        ),
    ]
