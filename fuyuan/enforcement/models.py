"""Enforcement supervision records (行政执法监督, SPEC §6.7 items 1-2): an organisation's qualification as an
enforcement body (执法主体), its officers (执法人员) with their certificates (执法证) and yearly training and exam
records, and its major enforcement decisions (重大执法决定) with their 法制审核 and 备案."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from fuyuan.core.models import Organisation, User
from fuyuan.enforcement.choices import (
    CertificateKind,
    DecisionKind,
    ExamResult,
    MajorGround,
    Qualification,
    ReviewConclusion,
)


class EnforcementBody(models.Model):
    """An organisation's qualification as an enforcement body: what law gives it powers and which, confirmed and
    published by the 司法局 (主体资格)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="enforcement_body"
    )
    legal_basis = models.TextField("法定依据")
    scope = models.TextField("执法职权范围")
    state = models.CharField("主体资格", max_length=12, choices=Qualification.choices, default=Qualification.PENDING)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    published_on = models.DateField("公告日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["organisation__region__path", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | Q(confirmed_on__isnull=False), name="body_confirmed_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_on__isnull=False), name="body_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name


class Officer(models.Model):
    """A person who enforces for a body. On the body's staff from ``joined_on`` until the day before ``left_on``."""

    body = models.ForeignKey(
        EnforcementBody, verbose_name="执法主体", on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField("姓名", max_length=50)
    joined_on = models.DateField("在岗起")
    left_on = models.DateField("离岗日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["body", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="officer_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """One 执法证 of an officer; a renewal is a new certificate (the old one stays, so a past year's coverage does
    not change). ``review_due_on`` is kept by the workflow (``rules.review_due``)."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField("证件编号", max_length=40, unique=True)
    kind = models.CharField("证件种类", max_length=12, choices=CertificateKind.choices)
    issued_on = models.DateField("发证日期")
    valid_to = models.DateField("有效期至")
    reviewed_on = models.DateField("最近审验日期", null=True, blank=True)
    review_due_on = models.DateField("应审验日期")
    revoked_on = models.DateField("注销日期", null=True, blank=True)

    class Meta:
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        ordering = ["-valid_to", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("issued_on")), name="certificate_period_ordered")
        ]
        indexes = [models.Index(fields=["officer", "valid_to"], name="certificate_officer_valid")]

    def __str__(self) -> str:
        return self.number


class TrainingRecord(models.Model):
    """An officer's training hours and exam of one year, as the exam platform reports them."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="training")
    year = models.PositiveSmallIntegerField("年度")
    hours = models.DecimalField("培训学时", max_digits=5, decimal_places=1)
    exam_on = models.DateField("考试日期", null=True, blank=True)
    score = models.DecimalField("考试成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField("考试结果", max_length=8, choices=ExamResult.choices, blank=True)

    class Meta:
        verbose_name = "培训考试记录"
        verbose_name_plural = "培训考试记录"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="one_training_record_per_year")]

    def __str__(self) -> str:
        return f"{self.officer} {self.year}"


class MajorDecision(models.Model):
    """A major enforcement decision (重大执法决定): its 法制审核 before the decision (行政处罚法 第58条) and its 备案
    with the 司法局 after it, within ``filing_due_on`` (``rules.filing_due``)."""

    body = models.ForeignKey(
        EnforcementBody, verbose_name="执法主体", on_delete=models.PROTECT, related_name="decisions"
    )
    title = models.CharField("案件名称", max_length=200)
    number = models.CharField("决定书文号", max_length=100, blank=True)
    kind = models.CharField("决定类别", max_length=12, choices=DecisionKind.choices)
    ground = models.CharField("重大情形", max_length=20, choices=MajorGround.choices)
    registered_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        User, verbose_name="法制审核人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_conclusion = models.CharField("审核意见", max_length=10, choices=ReviewConclusion.choices, blank=True)
    review_opinion = models.TextField("审核意见说明", blank=True)
    reviewed_on = models.DateField("法制审核日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    filing_due_on = models.DateField("备案期限", null=True, blank=True)
    filed_with = models.ForeignKey(
        Organisation, verbose_name="备案机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField("备案日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "重大执法决定"
        verbose_name_plural = "重大执法决定"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | (~Q(review_conclusion="") & Q(reviewer__isnull=False)),
                name="decision_review_complete",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(filing_due_on__isnull=False), name="decision_has_filing_due"
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(decided_on__isnull=False), name="decision_filed_after_made"
            ),
        ]
        indexes = [models.Index(fields=["body", "decided_on"], name="decision_body_decided")]

    def __str__(self) -> str:
        return self.title

    @property
    def reviewed_before(self) -> bool:
        """The 法制审核 came before (or on the day of) the decision and did not refuse it, as 第58条 requires
        (``queries.reviewed_before`` in SQL)."""
        return (
            self.reviewed_on is not None
            and self.decided_on is not None
            and self.reviewed_on <= self.decided_on
            and self.review_conclusion != ReviewConclusion.REFUSED
        )

    @property
    def filed_in_time(self) -> bool:
        return self.filed_on is not None and self.filing_due_on is not None and self.filed_on <= self.filing_due_on
