"""The records of major administrative decisions (重大行政决策, SPEC §6.6, 重大行政决策程序暂行条例 国务院令第713号).
Only ``decisions.workflow`` writes them.

- ``Catalogue``: a government's yearly catalogue of decisions (第10条), its ``CatalogueItem``s and the
  ``CatalogueAdjustment``s made after publication, each with its reason.
- ``Decision``: the procedure of one decision, from 公众参与 to the archive, with the records of each step:
  ``Comment`` (public comments and their answers), ``DecisionHearing``, ``ExpertReview``, ``PostEvaluation``,
  and the documents uploaded for each step (``StepDocument``).
- ``CaseLink``: a case (诉讼 or 复议) about a decision or about a document reviewed in ``legalreview``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, Region, User
from fuyuan.decisions.choices import Answer, CatalogueState, Conclusion, DocumentStep, MeetingKind, Stage, Trigger
from fuyuan.disputes.models import Coordinator
from fuyuan.legalreview.models import LegalMatter


class Catalogue(models.Model):
    """年度重大行政决策事项目录 of the government of ``region`` (条例 第10条)."""

    region = models.ForeignKey(Region, verbose_name="决策机关所在地区", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=CatalogueState.choices, default=CatalogueState.DRAFT)
    approval_basis = models.CharField("同意依据", max_length=200, blank=True, help_text="如：经县委常委会同意")
    approved_on = models.DateField("同意日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = "重大行政决策事项目录"
        ordering = ["-year", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_catalogue_per_region_year")]

    def __str__(self) -> str:
        return f"{self.region}{self.year}年度重大行政决策事项目录"


class CatalogueItem(models.Model):
    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.PROTECT, related_name="items")
    title = models.CharField("决策事项", max_length=200)
    owner = models.ForeignKey(Organisation, verbose_name="决策承办单位", on_delete=models.PROTECT, related_name="+")
    planned_start = models.DateField("计划启动日期")
    planned_end = models.DateField("计划完成日期")
    # An item taken out by an adjustment stays on record (withdrawn), never deleted.
    withdrawn = models.BooleanField("已调出目录", default=False)

    class Meta:
        verbose_name = "目录事项"
        verbose_name_plural = "目录事项"
        ordering = ["planned_start", "id"]

    def __str__(self) -> str:
        return self.title


class AdjustmentKind(models.TextChoices):
    ADDED = "added", "调入"
    WITHDRAWN = "withdrawn", "调出"


class CatalogueAdjustment(models.Model):
    """A change to a published catalogue (条例 第10条: 根据实际情况调整), with its reason kept."""

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.PROTECT, related_name="adjustments")
    item = models.ForeignKey(CatalogueItem, verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("调整方式", max_length=12, choices=AdjustmentKind.choices)
    reason = models.TextField("调整理由")
    adjusted_on = models.DateField("调整日期")
    adjusted_by = models.ForeignKey(User, verbose_name="调整人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "目录调整"
        verbose_name_plural = "目录调整"
        ordering = ["adjusted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.item}"


class Decision(models.Model):
    """One major administrative decision and its procedure (条例 第二章至第四章)."""

    item = models.OneToOneField(
        CatalogueItem, verbose_name="目录事项", on_delete=models.PROTECT, related_name="decision"
    )
    region = models.ForeignKey(Region, verbose_name="决策机关所在地区", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Organisation, verbose_name="决策承办单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("决策事项", max_length=200)
    draft = models.TextField("决策草案")
    stage = models.CharField("所处环节", max_length=24, choices=Stage.choices, default=Stage.DRAFTING)
    version = models.PositiveIntegerField(default=0, editable=False)

    # 公众参与 (第14条至第18条)
    comment_from = models.DateField("征求意见开始日期", null=True, blank=True)
    comment_until = models.DateField("征求意见截止日期", null=True, blank=True)
    comment_min_until = models.DateField("法定最短截止日期", null=True, blank=True, editable=False)
    comment_short_reason = models.TextField("缩短征求意见期限的理由", blank=True)
    answers_published_on = models.DateField("意见采纳情况公布日期", null=True, blank=True)

    # 专家论证 (第19条至第21条)
    experts_done_on = models.DateField("专家论证完成日期", null=True, blank=True)

    # 风险评估 (第22条至第24条)
    risk_points = models.JSONField("风险点及防范措施", default=list, blank=True)
    risk_plan = models.TextField("风险处置预案", blank=True)
    risk_controllable = models.BooleanField("风险可控", null=True, blank=True)
    risk_assessor = models.ForeignKey(
        Organisation, verbose_name="风险评估单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_assessed_on = models.DateField("风险评估完成日期", null=True, blank=True)

    # 合法性审查 (第25条至第28条)
    review_body = models.ForeignKey(
        Organisation, verbose_name="合法性审查部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_sent_on = models.DateField("送请审查日期", null=True, blank=True)
    review_until = models.DateField("审查期限", null=True, blank=True)
    review_min_until = models.DateField("审查期限最早日期", null=True, blank=True, editable=False)
    adviser_name = models.CharField("法律顾问或公职律师", max_length=100, blank=True)
    adviser_opinion = models.TextField("法律意见", blank=True)
    review_conclusion = models.CharField("审查结论", max_length=20, choices=Conclusion.choices, blank=True)
    review_opinion = models.TextField("合法性审查意见", blank=True)
    review_changes = models.TextField("需要修改的内容", blank=True)
    reviewed_on = models.DateField("审查完成日期", null=True, blank=True)
    changes_made_on = models.DateField("按审查意见修改完成日期", null=True, blank=True)
    changes_note = models.TextField("修改情况说明", blank=True)

    # 集体讨论决定 (第30条)
    meeting_kind = models.CharField("会议", max_length=12, choices=MeetingKind.choices, blank=True)
    meeting_on = models.DateField("会议日期", null=True, blank=True)
    speeches = models.JSONField("发言记录", default=list, blank=True)
    head_reason_for_differing = models.TextField("行政首长决定与多数意见不一致的理由", blank=True)
    decided_text = models.TextField("决定内容", blank=True)

    # 公布 (第32条)
    published_on = models.DateField("公布日期", null=True, blank=True)
    adoption_note = models.TextField("公众意见、专家论证意见采纳情况说明", blank=True)

    # 执行 (第34条)
    executor = models.ForeignKey(
        Organisation, verbose_name="决策执行单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    execution_from = models.DateField("开始执行日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    class Meta:
        verbose_name = "重大行政决策"
        verbose_name_plural = "重大行政决策"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A comment on the published draft, from anyone (no account), and the 承办单位's answer (条例 第15条)."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.PROTECT, related_name="comments")
    author = models.CharField("提出人", max_length=100, blank=True, help_text="可不填")
    content = models.TextField("意见内容")
    received_at = models.DateTimeField("提出时间")
    answer = models.CharField("处理", max_length=12, choices=Answer.choices, blank=True)
    answer_reason = models.TextField("理由", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = "公众意见"
        verbose_name_plural = "公众意见"
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.content[:30]


class DecisionHearing(models.Model):
    """A 听证会 on the draft (条例 第16条、第17条)."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField("听证日期")
    material_sent_on = models.DateField("材料送达日期")
    participants = models.TextField("听证参加人")
    record = models.TextField("听证情况", blank=True)

    class Meta:
        verbose_name = "决策听证"
        verbose_name_plural = "决策听证"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"听证会 {self.held_on.isoformat()}"


class ExpertReview(models.Model):
    """One expert of the pool (``disputes.Coordinator``) and the signed written opinion (条例 第19条至第21条)."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.PROTECT, related_name="experts")
    expert = models.ForeignKey(Coordinator, verbose_name="专家", on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("书面论证意见", blank=True)
    signed_by = models.CharField("署名", max_length=50, blank=True)
    signed_on = models.DateField("署名日期", null=True, blank=True)

    class Meta:
        verbose_name = "专家论证"
        verbose_name_plural = "专家论证"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["decision", "expert"], name="an_expert_once_per_decision")]

    def __str__(self) -> str:
        return f"{self.decision}：{self.expert}"


class PostEvaluation(models.Model):
    """决策后评估 (条例 第36条): started by a trigger, done by a unit that did not evaluate the draft before."""

    decision = models.ForeignKey(
        Decision, verbose_name="决策", on_delete=models.PROTECT, related_name="post_evaluations"
    )
    trigger = models.CharField("启动情形", max_length=24, choices=Trigger.choices)
    trigger_note = models.TextField("启动情形说明", blank=True)
    evaluator = models.ForeignKey(Organisation, verbose_name="评估单位", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("启动日期")
    conclusion = models.TextField("评估结论", blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "决策后评估"
        verbose_name_plural = "决策后评估"
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision}：决策后评估（{self.evaluator}）"


@deconstructible
class DecisionStorage(FileSystemStorage):
    """The steps' uploaded documents, under ``DATA_DIR/decisions`` (read when used, so a test's ``DATA_DIR`` is
    honoured)."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "decisions")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


def step_document_path(document: StepDocument, filename: str) -> str:
    return f"{document.decision_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StepDocument(models.Model):
    """A document of one step uploaded by whoever did the step (the draft's 起草说明, the expert's signed opinion as
    scanned, the risk report, the meeting minutes …); it goes into the archive beside the documents the platform
    writes itself (条例 第33条: 决策过程记录和材料归档)."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.PROTECT, related_name="documents")
    step = models.CharField("环节", max_length=16, choices=DocumentStep.choices)
    title = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to=step_document_path, storage=DecisionStorage(), max_length=255)
    file_name = models.CharField("原文件名", max_length=255)
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_on = models.DateField("上传日期")

    class Meta:
        verbose_name = "决策环节材料"
        verbose_name_plural = "决策环节材料"
        ordering = ["uploaded_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}：{self.title}"


class CaseLink(models.Model):
    """A case (行政诉讼 or 行政复议, ``cases.Case``) about a major decision or about a legal matter reviewed for
    legality (a normative document, a contract …): the decision or the document produced the dispute. Exactly one of
    ``decision`` and ``matter`` is set. Kept here so that the cases app does not depend on the decisions."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="source_links")
    decision = models.ForeignKey(
        Decision,
        verbose_name="重大行政决策",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_links",
    )
    matter = models.ForeignKey(
        LegalMatter,
        verbose_name="经合法性审查的文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_links",
    )
    note = models.CharField("关联说明", max_length=200, blank=True)
    linked_by = models.ForeignKey(User, verbose_name="关联人", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField("关联时间")

    class Meta:
        verbose_name = "决策文件与案件关联"
        verbose_name_plural = "决策文件与案件关联"
        ordering = ["linked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(decision__isnull=False) & Q(matter__isnull=True))
                | (Q(decision__isnull=True) & Q(matter__isnull=False)),
                name="caselink_one_source",
            ),
            models.UniqueConstraint(fields=["case", "decision"], name="caselink_once_per_decision"),
            models.UniqueConstraint(fields=["case", "matter"], name="caselink_once_per_matter"),
        ]

    def __str__(self) -> str:
        return f"{self.case}：{self.source}"

    @property
    def source(self) -> Decision | LegalMatter:
        return self.decision if self.decision is not None else self.matter  # type: ignore[return-value]
