"""The files of non-litigation enforcement (非诉执行, SPEC §6.9, 行政强制法 第53-58条). Only
``nonlitigation.workflow`` writes them.

An ``EnforcementFile`` is one administrative decision an agency asks the court to enforce: the decision and its party,
its service and the end of the periods to seek reconsideration or sue, the 催告, the application, the court's
acceptance and ruling, and the execution (by the court, or handed to a government body under 裁执分离) with its
result. The dates computed from the rules of ``deadlines.rules`` are saved by the workflow (never typed).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from fuyuan.accountability.models import LossCause
from fuyuan.core.fields import EncryptedCharField
from fuyuan.core.models import Organisation, User
from fuyuan.nonlitigation.choices import ExecutionResult, Executor, Ruling, Stage


def _user(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        User, verbose_name=label, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class EnforcementFile(models.Model):
    """One decision an agency wants enforced by the court (非诉执行案卷)."""

    agency = models.ForeignKey(
        Organisation, verbose_name="申请机关", on_delete=models.PROTECT, related_name="enforcement_files"
    )
    decision_number = models.CharField("行政决定文号", max_length=100)
    decision_date = models.DateField("行政决定日期")
    decision_summary = models.TextField("决定内容（当事人应履行的义务）")
    party_name = models.CharField("当事人", max_length=200)
    # 个人信息保护法 第28条、第51条: encrypted at rest, masked in lists (core.masking).
    party_id_number = EncryptedCharField("当事人身份证号/统一社会信用代码", max_length=18, blank=True)
    served_on = models.DateField("行政决定送达日期")
    # 行政强制法 第53条: the three months run from the end of the periods to seek reconsideration (行政复议法 第20条,
    # ``reconsideration.apply``) or sue (行政诉讼法 第46条, ``litigation.filing_limit``) counted from service, the
    # later of the two, unless the decision states other periods (then entered: ``remedy_end_entered``).
    remedy_end_on = models.DateField("复议/诉讼期限届满日")
    remedy_end_entered = models.BooleanField("届满日系录入", default=False)
    application_due_on = models.DateField("申请执行期限届满日", editable=False)

    stage = models.CharField("办理阶段", max_length=16, choices=Stage.choices, default=Stage.REGISTERED)

    # 催告 (第54条, 第35条).
    reminder_number = models.CharField("催告书文号", max_length=100, blank=True)
    reminder_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    reminder_wait_ends_on = models.DateField("催告期限届满日", null=True, blank=True, editable=False)
    may_apply_from = models.DateField("可申请执行之日", null=True, blank=True, editable=False)

    # 申请 (第55条).
    court = models.ForeignKey(
        Organisation, verbose_name="受理法院", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField("申请执行日期", null=True, blank=True)
    applied_late = models.BooleanField("超过申请期限", default=False)
    acceptance_due_on = models.DateField("受理期限届满日", null=True, blank=True, editable=False)

    # 受理 (第56条) and 裁定 (第57条; 第58条 after hearing the parties).
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    court_case_number = models.CharField("法院案号", max_length=100, blank=True)
    hears_parties = models.BooleanField("听取被执行人和行政机关意见", default=False)
    ruling_due_on = models.DateField("裁定期限届满日", null=True, blank=True, editable=False)
    ruling = models.CharField("裁定结果", max_length=10, choices=Ruling.choices, blank=True)
    ruled_on = models.DateField("裁定日期", null=True, blank=True)
    ruling_number = models.CharField("裁定书文号", max_length=100, blank=True)
    refusal_causes = models.JSONField("不准予执行原因", default=list, blank=True)
    refusal_reasons = models.TextField("不准予执行理由", blank=True)

    # 执行: by the court, or handed to the government body that executes (裁执分离).
    executor = models.CharField("执行方式", max_length=12, choices=Executor.choices, blank=True)
    executing_body = models.ForeignKey(
        Organisation, verbose_name="组织实施机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    execution_result = models.CharField("执行结果", max_length=14, choices=ExecutionResult.choices, blank=True)
    executed_on = models.DateField("执行结果日期", null=True, blank=True)
    execution_text = models.TextField("执行情况", blank=True)

    registered_by = _user("登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "非诉执行案卷"
        verbose_name_plural = "非诉执行案卷"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["agency", "applied_on"], name="nonlit_agency_applied"),
            models.Index(fields=["court", "stage"], name="nonlit_court_stage"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ruling="") | Q(ruled_on__isnull=False), name="nonlit_ruling_has_date"),
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True) | Q(court__isnull=False), name="nonlit_application_names_court"
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(LossCause.choices)
        return [str(labels.get(c, c)) for c in self.refusal_causes]

    @property
    def is_closed(self) -> bool:
        return self.stage in (Stage.REFUSED, Stage.DONE)

    def may_apply_on(self, day: datetime.date) -> bool:
        return self.may_apply_from is not None and day >= self.may_apply_from
