"""The case registry: one record per administrative litigation or reconsideration case (SPEC §3)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from fuyuan.cases.choices import (
    AbsenceReason,
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    correction_outcomes,
    loss_outcomes,
    mediated_outcomes,
    outcome_label,
)
from fuyuan.cases.rules import DATE_ORDERS, label
from fuyuan.core.models import Organisation, Region


class Case(models.Model):
    kind = models.CharField("案件类别", max_length=20, choices=CaseKind.choices)
    number = models.CharField("案号", max_length=100, unique=True)
    instance = models.CharField("审级", max_length=10, choices=Instance.choices, blank=True)
    court = models.ForeignKey(
        Organisation, verbose_name="法院", null=True, blank=True, on_delete=models.PROTECT, related_name="court_cases"
    )
    reconsideration_body = models.ForeignKey(
        Organisation,
        verbose_name="复议机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconsideration_cases",
    )
    defendant = models.ForeignKey(
        Organisation, verbose_name="被告/被申请人", on_delete=models.PROTECT, related_name="defended_cases"
    )
    # The defendant's region and its county, kept with the case so that scoping and the figures by county are
    # one indexed filter or GROUP BY (set by cases.workflow whenever the defendant changes).
    region = models.ForeignKey(Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="cases")
    county = models.ForeignKey(Region, verbose_name="所属县(市、区)", on_delete=models.PROTECT, related_name="+")
    plaintiffs = models.CharField("原告/申请人", max_length=500, blank=True)
    third_parties = models.CharField("第三人", max_length=500, blank=True)
    cause = models.CharField("案由", max_length=32, choices=ActType.choices, blank=True)
    domain = models.CharField("领域", max_length=32, choices=Domain.choices, blank=True)
    request = models.TextField("诉讼请求/申请事项", blank=True)
    # SPEC §9 "Case summaries": the facts and claims in a few sentences (at most ``rules.SUMMARY_MAX`` characters,
    # checked by the case rules); what 类案检索 (``fuyuan.similar``) searches first.
    summary = models.TextField("案情摘要", blank=True)
    amount = models.DecimalField("涉案金额(元)", max_digits=16, decimal_places=2, null=True, blank=True)
    group_size = models.PositiveIntegerField(
        "群体性/套案件数", null=True, blank=True, help_text="群体性或系列案件的件数；非群体性案件留空"
    )

    # Litigation dates.
    filed_on = models.DateField("立案日期", null=True, blank=True)
    complaint_served_on = models.DateField("起诉状副本送达日期", null=True, blank=True)
    # 行政诉讼法 第67条: defence and evidence within 15 days of service; 第34条: late evidence counts as none.
    defence_submitted_on = models.DateField("答辩及证据提交日期", null=True, blank=True)
    hearing_on = models.DateField("开庭日期", null=True, blank=True)
    judgment_served_on = models.DateField("裁判文书送达日期", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    head_appeared = models.BooleanField("负责人出庭", null=True, blank=True)
    appeared_head = models.CharField("出庭负责人", max_length=100, blank=True)
    # 法释〔2020〕3号 第11条第3款: a head who appears must speak to the substantive resolution (出声).
    head_spoke = models.BooleanField("负责人出声", null=True, blank=True)
    # 法释〔2020〕3号 第8条: the lawful reason a head did not appear, with a written explanation filed.
    head_absence_reason = models.CharField("负责人未出庭事由", max_length=32, choices=AbsenceReason.choices, blank=True)

    # Reconsideration dates.
    received_on = models.DateField("收案日期", null=True, blank=True)
    acceptance = models.CharField("受理情况", max_length=10, choices=Acceptance.choices, blank=True)
    accepted_on = models.DateField("受理/不予受理日期", null=True, blank=True)
    rejection_reason = models.CharField("不予受理理由", max_length=500, blank=True)

    concluded_on = models.DateField("结案日期", null=True, blank=True)
    outcome = models.CharField("结案方式", max_length=32, blank=True)

    predecessor = models.ForeignKey(
        "self",
        verbose_name="前序案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text="复议 → 一审 → 二审 → 再审：本案之前的那一件",
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "行政案件"
        verbose_name_plural = "行政案件"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kind", "instance", "filed_on"], name="case_filed"),
            models.Index(fields=["kind", "instance", "concluded_on"], name="case_concluded"),
            models.Index(fields=["kind", "instance", "hearing_on"], name="case_hearing"),
            models.Index(fields=["kind", "received_on"], name="case_received"),
            # 类案检索's index follows the cases changed since its mark (``fuyuan.similar.index``).
            models.Index(fields=["updated_at"], name="case_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CaseKind.LITIGATION)
                | (Q(court__isnull=False) & ~Q(instance="") & Q(filed_on__isnull=False)),
                name="litigation_has_court_instance_filed_on",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CaseKind.RECONSIDERATION)
                | (Q(reconsideration_body__isnull=False) & Q(received_on__isnull=False)),
                name="reconsideration_has_body_received_on",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | ~Q(outcome=""),
                name="concluded_case_has_outcome",
            ),
            # The case rules' date orders (``cases.rules.DATE_ORDERS``, each with its source), held by the database
            # too, so that no write — a bulk import, a migration, a shell — stores dates out of order.
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{o.later}__isnull": True})
                    | Q(**{f"{o.earlier}__isnull": True})
                    | Q(**{f"{o.later}__gte": F(o.earlier)}),
                    name=o.constraint_name,
                    violation_error_message=f"{label(o.later)}不能早于{label(o.earlier)}",
                )
                for o in DATE_ORDERS
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_litigation(self) -> bool:
        return self.kind == CaseKind.LITIGATION

    @property
    def forum(self) -> Organisation | None:
        """The court or the reconsideration body handling the case."""
        return self.court if self.is_litigation else self.reconsideration_body

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.kind, self.outcome)

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None

    @property
    def is_loss(self) -> bool:
        return self.is_litigation and self.outcome in loss_outcomes()

    @property
    def is_correction(self) -> bool:
        return not self.is_litigation and self.outcome in correction_outcomes()

    @property
    def is_mediated(self) -> bool:
        return not self.is_litigation and self.outcome in mediated_outcomes()

    @property
    def status_label(self) -> str:
        if self.is_concluded:
            return "已结案"
        if not self.is_litigation and self.acceptance == Acceptance.REJECTED:
            return "不予受理"
        return "在办"

    def chain(self) -> list[Case]:
        """The dispute's whole path, oldest first: predecessors, this case, then successors."""
        before: list[Case] = []
        node = self.predecessor
        seen = {self.pk}
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            before.append(node)
            node = node.predecessor
        after: list[Case] = []
        frontier = list(self.successors.all())
        while frontier:
            nxt = frontier.pop(0)
            if nxt.pk in seen:
                continue
            seen.add(nxt.pk)
            after.append(nxt)
            frontier.extend(nxt.successors.all())
        return [*reversed(before), self, *after]


class ImportStage(models.TextChoices):
    READ = "read", "读取"
    CHECK = "check", "校验"
    WRITE = "write", "写入"


class ImportJob(models.Model):
    """A web ledger import run outside the request by ``fuyuan worker`` (issue 13 item 11): first the check
    (read and validate, writing nothing), then, once the person confirms, the import itself. The row is the job's
    whole state, so that the web server and the worker may be different processes on different machines; the
    logic is in ``cases.import_jobs``."""

    class Action(models.TextChoices):
        CHECK = "check", "检查"
        APPLY = "apply", "导入"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        FINISHED = "finished", "已完成"
        FAILED = "failed", "失败"

    token = models.CharField("令牌", max_length=32, unique=True)
    user = models.ForeignKey("core.User", verbose_name="导入人", on_delete=models.PROTECT, related_name="import_jobs")
    filename = models.CharField("文件名", max_length=255)
    action = models.CharField("任务", max_length=10, choices=Action.choices, default=Action.CHECK)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField("阶段", max_length=10, choices=ImportStage.choices, blank=True)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    rows_total = models.PositiveIntegerField("总行数", null=True, blank=True)
    # Raised by each claim: progress and the result are written only by the run that holds the current attempt.
    attempt = models.PositiveIntegerField("执行次数", default=0)
    confirmed_regions = models.JSONField("已确认的新地区", default=list, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    failure = models.TextField("失败原因", blank=True)
    queued_at = models.DateTimeField("排队时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    stage_started_at = models.DateTimeField("本阶段开始时间", null=True, blank=True)
    progress_at = models.DateTimeField("最近进度时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导入任务"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["state", "queued_at"], name="importjob_state_queued")]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_action_display()}，{self.get_state_display()}）"
