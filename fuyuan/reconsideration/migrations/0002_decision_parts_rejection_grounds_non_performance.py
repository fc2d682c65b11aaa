"""The decision in its three parts (认定的事实、理由和依据、决定内容), the grounds of a 不予受理, the extended 补正 period
and the record of non-performance (行政复议法 (2023) 第77条).

Existing decisions are split as the decision form stored them ("经审理查明：…\n本机关认为：…"): the facts and the
reasons; an unmarked text becomes the reasons. For 变更 and 责令履行 the last line of the reasons was the order (as
the 决定书 read it): it becomes the 决定内容. A file concluded by 调解 or 和解 stored its terms: they become the 决定内容.
A 不予受理 takes the reasons its case carries (without the sentence naming the competent body) and, when a competent
body was named, the ground 不属于本机关管辖 (第30条第1款第(六)项); other grounds were never stored and stay empty.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FACTS_MARK = "经审理查明："
REASONS_MARK = "本机关认为："
ORDER_IN_REASONS = ("varied", "ordered_to_perform")
TERMS = ("mediated", "settled")
COMPETENT_SUFFIX = "（告知申请人有管辖权的行政复议机关"


def split_decisions(apps, schema_editor):
    Application = apps.get_model("reconsideration", "Application")
    for a in Application.objects.select_related("case").exclude(decision_reasons="").iterator():
        stored = a.decision_reasons.strip()
        outcome = a.case.outcome
        if outcome in TERMS:
            a.decision_content = stored
        elif FACTS_MARK in stored and REASONS_MARK in stored:
            facts, _, reasons = stored.partition(REASONS_MARK)
            a.decision_facts, a.decision_grounds = facts.replace(FACTS_MARK, "", 1).strip(), reasons.strip()
        else:
            a.decision_grounds = stored
        if outcome in ORDER_IN_REASONS and a.decision_grounds:
            a.decision_content = a.decision_grounds.splitlines()[-1].strip()
        a.save(update_fields=["decision_facts", "decision_grounds", "decision_content"])
    for a in Application.objects.select_related("case").filter(stage="rejected").iterator():
        a.rejection_reason = (a.case.rejection_reason or "").split(COMPETENT_SUFFIX)[0].strip()
        a.rejection_grounds = ["not_competent"] if a.competent_body_id else []
        a.save(update_fields=["rejection_reason", "rejection_grounds"])


def join_decisions(apps, schema_editor):
    Application = apps.get_model("reconsideration", "Application")
    for a in Application.objects.exclude(decision_facts="", decision_grounds="", decision_content="").iterator():
        if a.decision_facts:
            a.decision_reasons = f"{FACTS_MARK}{a.decision_facts}\n{REASONS_MARK}{a.decision_grounds}"
        else:
            a.decision_reasons = a.decision_grounds or a.decision_content
        a.save(update_fields=["decision_reasons"])


class Migration(migrations.Migration):

    dependencies = [
        ('reconsideration', '0001_initial'),
        ('rectification', '0004_remove_reminder_columns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='correction_extended_to',
            field=models.DateField(blank=True, null=True, verbose_name='延长后的补正期限'),
        ),
        migrations.AddField(
            model_name='application',
            name='correction_extension_reason',
            field=models.TextField(blank=True, verbose_name='延长补正期限的理由'),
        ),
        migrations.AddField(
            model_name='application',
            name='decision_content',
            field=models.TextField(blank=True, verbose_name='决定内容'),
        ),
        migrations.AddField(
            model_name='application',
            name='decision_facts',
            field=models.TextField(blank=True, verbose_name='认定的事实'),
        ),
        migrations.AddField(
            model_name='application',
            name='decision_grounds',
            field=models.TextField(blank=True, verbose_name='理由和依据'),
        ),
        migrations.AddField(
            model_name='application',
            name='rejection_grounds',
            field=models.JSONField(blank=True, default=list, verbose_name='不予受理的情形'),
        ),
        migrations.AddField(
            model_name='application',
            name='rejection_reason',
            field=models.TextField(blank=True, verbose_name='不予受理的理由'),
        ),
        migrations.RunPython(split_decisions, join_decisions),
        migrations.RemoveField(
            model_name='application',
            name='decision_reasons',
        ),
        migrations.CreateModel(
            name='NonPerformance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('particulars', models.TextField(verbose_name='不履行的情况')),
                ('perform_by', models.DateField(verbose_name='责令履行期限')),
                ('interview', models.BooleanField(default=False, verbose_name='约谈被申请人有关负责人')),
                ('criticism', models.BooleanField(default=False, verbose_name='予以通报批评')),
                ('follow_up_note', models.TextField(blank=True, verbose_name='约谈、通报情况')),
                ('recorded_on', models.DateField(verbose_name='登记日期')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='non_performances', to='reconsideration.application', verbose_name='行政复议申请')),
                ('recommendation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='rectification.recommendation', verbose_name='销账本登记')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
            ],
            options={
                'verbose_name': '不履行行政复议决定',
                'verbose_name_plural': '不履行行政复议决定',
                'ordering': ['recorded_on', 'id'],
            },
        ),
    ]
