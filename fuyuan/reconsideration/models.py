"""The files of reconsideration handling (行政复议办案, SPEC §6.8, 行政复议法 2023修订). Only
``reconsideration.workflow`` writes them.

An ``Application`` is the file of one application, one-to-one with the registry's ``cases.Case`` (kind
reconsideration), which carries what the figures count (received, acceptance, outcome, dates): the file never holds
a second copy of those, so ``fuyuan stats`` counts a handled case exactly as an imported one.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.cases.choices import ActType, Domain
from fuyuan.cases.models import Case
from fuyuan.core.fields import BlindIndexField, EncryptedCharField
from fuyuan.core.models import Organisation, User
from fuyuan.core.uploads import upload_dir
from fuyuan.reconsideration.choices import (
    CLOSED,
    Channel,
    CommitteeGround,
    MaterialKind,
    MediationKind,
    Procedure,
    RejectionGround,
    Stage,
)


@deconstructible
class MaterialStorage(FileSystemStorage):
    """Uploaded materials under ``DATA_DIR/reconsideration`` (read when used, so a test's ``DATA_DIR`` is honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("reconsideration"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class Application(models.Model):
    """One reconsideration application and its handling (行政复议申请/案件)."""

    case = models.OneToOneField(
        Case, verbose_name="登记案件", on_delete=models.PROTECT, related_name="reconsideration_application"
    )
    receipt_number = models.CharField("收件编号", max_length=100, unique=True)
    # The applicant follows the file with the receipt number and this code (no account); only its hash is stored.
    follow_code_hash = models.CharField("查询码（散列）", max_length=128, editable=False)
    channel = models.CharField("申请方式", max_length=10, choices=Channel.choices)
    body = models.ForeignKey(
        Organisation, verbose_name="行政复议机构", on_delete=models.PROTECT, related_name="reconsideration_files"
    )
    respondent = models.ForeignKey(
        Organisation, verbose_name="被申请人", on_delete=models.PROTECT, related_name="reconsideration_answers"
    )

    applicant_name = models.CharField("申请人", max_length=200)
    # 个人信息保护法 第28条、第51条: encrypted at rest; the ID number has a blind index for the duplicate check.
    applicant_id_number = EncryptedCharField("申请人身份证号", max_length=18, blank=True)
    applicant_id_number_index = BlindIndexField("申请人身份证号盲索引", source="applicant_id_number", kind="id_number")
    applicant_phone = EncryptedCharField("申请人联系电话", max_length=20, blank=True)
    applicant_address = EncryptedCharField("申请人住址", max_length=200, blank=True)
    agent = models.CharField("委托代理人", max_length=200, blank=True)

    contested_act = models.TextField("被申请行政复议的行政行为")
    act_document_number = models.CharField("行政行为文书文号", max_length=100, blank=True)
    # 行政复议法 (2023) 第20条第1款: 60 days from the day the applicant knew of the act (``reconsideration.apply``).
    known_on = models.DateField("知道该行政行为之日", null=True, blank=True)
    apply_due_on = models.DateField("申请期限届满日", null=True, blank=True, editable=False)
    request = models.TextField("行政复议请求（申请事项）")
    facts_and_reasons = models.TextField("事实和理由", blank=True)
    domain = models.CharField("领域", max_length=32, choices=Domain.choices, blank=True)
    act_type = models.CharField("行政行为类别", max_length=32, choices=ActType.choices, blank=True)
    amount = models.DecimalField("涉案金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    # 行政复议法 (2023) 第53条第1款 triggers of the simplified procedure, as the application states them.
    act_on_the_spot = models.BooleanField("行政行为系当场作出", default=False)
    act_is_warning = models.BooleanField("行政行为系警告或者通报批评", default=False)
    parties_agree_simplified = models.BooleanField("当事人各方同意适用简易程序", default=False)

    stage = models.CharField("办理阶段", max_length=24, choices=Stage.choices, default=Stage.RECEIVED)
    procedure = models.CharField("审理程序", max_length=12, choices=Procedure.choices, default=Procedure.ORDINARY)
    handler = models.ForeignKey(
        User, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    examination_started_on = models.DateField("开始审查日期", null=True, blank=True)

    # 补正 (第31条): asked once, listing everything.
    correction_requested_on = models.DateField("补正通知日期", null=True, blank=True)
    correction_items = models.JSONField("补正事项", default=list, blank=True)
    correction_replied_on = models.DateField("补正材料提交日期", null=True, blank=True)
    correction_reply = models.TextField("补正说明", blank=True)
    # 依据 第31条第2款: an applicant with a good reason for not correcting in time may be given a reasonable longer
    # period — its new last day, and why.
    correction_extended_to = models.DateField("延长后的补正期限", null=True, blank=True)
    correction_extension_reason = models.TextField("延长补正期限的理由", blank=True)

    # 第30条第3款: not refused within the review period = accepted from the day it ended.
    deemed_accepted = models.BooleanField("视为受理", default=False)
    # 不予受理 (第30条第2款): the conditions of 第30条第1款 not met (``RejectionGround`` values) and the body's reasons.
    rejection_grounds = models.JSONField("不予受理的情形", default=list, blank=True)
    rejection_reason = models.TextField("不予受理的理由", blank=True)
    # 第30条第2款: a body not competent names the competent one in its 不予受理决定.
    competent_body = models.ForeignKey(
        Organisation, verbose_name="有管辖权的行政复议机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    # 第48条 / 第54条: copy to the respondent, its written reply.
    copy_sent_on = models.DateField("申请书副本发送日期", null=True, blank=True)
    reply_received_on = models.DateField("被申请人答复日期", null=True, blank=True)
    reply_text = models.TextField("被申请人书面答复", blank=True)
    # 第70条: a reply (with its evidence) after its period counts as no evidence.
    reply_late = models.BooleanField("逾期答复", default=False)

    # 第62条第1款: extended once, by at most 30 days, approved by the body's head.
    extension_requested_on = models.DateField("延期申请日期", null=True, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_days = models.PositiveSmallIntegerField("延长天数", null=True, blank=True)
    extension_requested_by = models.ForeignKey(
        User, verbose_name="延期申请人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_approved_by = models.ForeignKey(
        User, verbose_name="延期批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)

    # The decision (its outcome and date are the case's: ``case.outcome``, ``case.concluded_on``).
    # The 行政复议决定书 (第75条) in its parts as the document is written — 经审理查明 (the facts found), 本机关认为 (the
    # reasons and the law relied on), 本机关决定如下 (what is decided); a 调解书's terms are its 决定内容.
    decision_facts = models.TextField("认定的事实", blank=True)
    decision_grounds = models.TextField("理由和依据", blank=True)
    decision_content = models.TextField("决定内容", blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="决定批准人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served_on = models.DateField("决定书送达日期", null=True, blank=True)
    # 第79条: published with personal data removed.
    published_on = models.DateField("公开日期", null=True, blank=True)
    published_text = models.TextField("公开文本（已去除个人信息）", blank=True)

    registered_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "行政复议申请"
        verbose_name_plural = "行政复议申请"
        ordering = ["-id"]
        indexes = [models.Index(fields=["body", "stage"], name="recon_application_body_stage")]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True) | Q(extension_days__gte=1, extension_days__lte=30),
                name="recon_extension_at_most_30_days",
                violation_error_message="延长期限最多不超过三十日（行政复议法第62条第1款）",
            ),
            models.CheckConstraint(
                condition=Q(extension_approved_on__isnull=True) | Q(extension_requested_on__isnull=False),
                name="recon_extension_approved_after_request",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def received_on(self) -> datetime.date | None:
        return self.case.received_on

    @property
    def is_late_application(self) -> bool:
        """Received after the 60-day limit of 第20条第1款 (the body examines whether there was a lawful excuse)."""
        received_on = self.case.received_on
        return self.apply_due_on is not None and received_on is not None and received_on > self.apply_due_on

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED

    @property
    def extension_approved(self) -> bool:
        return self.extension_approved_on is not None

    def get_rejection_grounds_display(self) -> list[str]:
        return [RejectionGround(g).label for g in self.rejection_grounds if g in RejectionGround.values]


def material_path(material: Material, filename: str) -> str:
    return f"{material.application_id}/{filename}"


class Material(models.Model):
    """A file of the application's record: the applicant's, the correction, the respondent's reply and evidence…"""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField("材料类别", max_length=24, choices=MaterialKind.choices)
    file = models.FileField("文件", upload_to=material_path, storage=MaterialStorage(), max_length=255)
    name = models.CharField("文件名", max_length=255)
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(
        User, verbose_name="上传人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_label = models.CharField("上传来源", max_length=100, blank=True)

    class Meta:
        verbose_name = "案卷材料"
        verbose_name_plural = "案卷材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class ReconsiderationHearing(models.Model):
    """A 听证 (行政复议法 (2023) 第50-51条): notice at least 5 working days ahead; the respondent's head attends, or
    states why not and sends a staff member."""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="hearings"
    )
    held_at = models.DateTimeField("听证时间")
    place = models.CharField("听证地点", max_length=200)
    matters = models.TextField("拟听证事项", blank=True)
    notice_sent_on = models.DateField("听证通知发出日期", null=True, blank=True)
    designated_head = models.CharField("被申请人拟参加负责人", max_length=50, blank=True)
    head_attended = models.BooleanField("被申请人负责人参加", null=True, blank=True)
    head_name = models.CharField("参加听证的负责人", max_length=50, blank=True)
    head_post = models.CharField("负责人职务类别", max_length=32, blank=True)
    absence_reason = models.TextField("负责人未参加的理由", blank=True)
    delegate_name = models.CharField("受委托参加的工作人员", max_length=50, blank=True)
    record = models.TextField("听证笔录摘要", blank=True)
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)

    class Meta:
        verbose_name = "行政复议听证"
        verbose_name_plural = "行政复议听证"
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} 听证 {self.held_at:%Y-%m-%d}"


class CommitteeReview(models.Model):
    """A referral to the 行政复议委员会 (第52条) and its advice; its members see this case (and no other)."""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="committee_reviews"
    )
    ground = models.CharField("提请咨询的情形", max_length=20, choices=CommitteeGround.choices)
    members = models.ManyToManyField(User, verbose_name="参加咨询的委员", related_name="committee_reviews")
    referred_on = models.DateField("提请日期")
    advice = models.TextField("咨询意见", blank=True)
    advised_on = models.DateField("提出意见日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政复议委员会咨询"
        verbose_name_plural = "行政复议委员会咨询"
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_ground_display()}"


class Suspension(models.Model):
    """行政复议中止 (第39条) and its resumption."""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.TextField("中止原因")
    suspended_on = models.DateField("中止日期")
    resumed_on = models.DateField("恢复审理日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政复议中止"
        verbose_name_plural = "行政复议中止"
        ordering = ["suspended_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} 中止 {self.suspended_on}"


class Mediation(models.Model):
    """调解 or 和解 (第73-74条); a failed one returns the case to its procedure."""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="mediations"
    )
    kind = models.CharField("方式", max_length=12, choices=MediationKind.choices)
    mediator = models.CharField("主持调解人/调解和解委员会", max_length=200, blank=True)
    coordinator = models.ForeignKey(
        "disputes.Coordinator", verbose_name="专业协调员", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    succeeded = models.BooleanField("达成协议", null=True, blank=True)
    terms = models.TextField("协议内容（调解书）", blank=True)

    class Meta:
        verbose_name = "行政复议调解和解"
        verbose_name_plural = "行政复议调解和解"
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class Opinion(models.Model):
    """A 行政复议意见书 (第76条): its correction is tracked as an item of the 销账本 (``rectification``)."""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="opinions"
    )
    recipient = models.ForeignKey(Organisation, verbose_name="收文机关", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("文号", max_length=100)
    text = models.TextField("意见内容")
    issued_on = models.DateField("制发日期")
    issued_by = models.ForeignKey(User, verbose_name="批准人", on_delete=models.PROTECT, related_name="+")
    recommendation = models.OneToOneField(
        "rectification.Recommendation", verbose_name="销账本登记", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "行政复议意见书"
        verbose_name_plural = "行政复议意见书"
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.number}"


class NonPerformance(models.Model):
    """The respondent does not perform a decision or 调解书 (行政复议法 (2023) 第77条): the body orders performance by a
    date — tracked as an item of the 销账本 (``rectification``) — and may 约谈 its responsible persons or 通报批评."""

    application = models.ForeignKey(
        Application, verbose_name="行政复议申请", on_delete=models.CASCADE, related_name="non_performances"
    )
    particulars = models.TextField("不履行的情况")
    perform_by = models.DateField("责令履行期限")
    interview = models.BooleanField("约谈被申请人有关负责人", default=False)
    criticism = models.BooleanField("予以通报批评", default=False)
    follow_up_note = models.TextField("约谈、通报情况", blank=True)
    recorded_on = models.DateField("登记日期")
    recorded_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    recommendation = models.OneToOneField(
        "rectification.Recommendation", verbose_name="销账本登记", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "不履行行政复议决定"
        verbose_name_plural = "不履行行政复议决定"
        ordering = ["recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} 不履行 {self.recorded_on}"

    @property
    def follow_up_label(self) -> str:
        done = [label for on, label in ((self.interview, "约谈"), (self.criticism, "通报批评")) if on]
        return "、".join(done) or "无"
