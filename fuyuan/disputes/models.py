"""The coordination centre's records (SPEC §3 "Dispute", §6.2). Only ``disputes.workflow`` changes them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from fuyuan.cases.choices import ActType, Domain
from fuyuan.cases.models import Case
from fuyuan.core.fields import BlindIndexField, EncryptedCharField
from fuyuan.core.models import Organisation, Region, User
from fuyuan.disputes.choices import (
    OPEN_STATES,
    AssignmentRole,
    ConsentWay,
    DisputeOutcome,
    DisputeState,
    MeetingKind,
    ParticipantRole,
    Source,
    Urgency,
    WithdrawalReason,
)


class Coordinator(models.Model):
    """A member of the expert coordinator pool (专业协调员库): judges, lawyers, bureau experts, retired officials."""

    user = models.OneToOneField(
        User, verbose_name="登录账号", on_delete=models.PROTECT, null=True, blank=True, related_name="coordinator"
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务/职称", max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在单位", on_delete=models.PROTECT, related_name="coordinators"
    )
    region = models.ForeignKey(Region, verbose_name="所在地区", on_delete=models.PROTECT, related_name="coordinators")
    domains = models.JSONField("擅长领域", default=list, blank=True, help_text="领域代码的列表")
    expertise = models.TextField("专长说明", blank=True)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True)  # 个人信息保护法 第51条: encrypted at rest
    available = models.BooleanField("可接受指派", default=True)
    unavailable_until = models.DateField("暂不可指派至", null=True, blank=True)
    max_load = models.PositiveSmallIntegerField("同时承办上限", default=5)
    active = models.BooleanField("在库", default=True)

    class Meta:
        verbose_name = "专业协调员"
        verbose_name_plural = "专业协调员库"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def domain_labels(self) -> list[str]:
        labels = dict(Domain.choices)
        return [str(labels.get(d, d)) for d in self.domains]

    def is_available_on(self, day: datetime.date) -> bool:
        return self.active and self.available and (self.unavailable_until is None or self.unavailable_until < day)


class ConflictQuerySet(models.QuerySet["Conflict"]):
    def in_force(self) -> ConflictQuerySet:
        """The declarations not withdrawn: only these keep a coordinator off a dispute."""
        return self.filter(withdrawn_on__isnull=True)


class Conflict(models.Model):
    """A declared conflict of interest: a coordinator is never proposed for a dispute it touches.

    A declaration is never deleted: withdrawing it (撤回) keeps it on record with who withdrew it, when and why."""

    coordinator = models.ForeignKey(
        Coordinator, verbose_name="协调员", on_delete=models.CASCADE, related_name="conflicts"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="回避单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField("回避当事人", max_length=100, blank=True)
    reason = models.CharField("回避事由", max_length=200)
    declared_on = models.DateField("申报日期", default=datetime.date.today)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, verbose_name="撤回人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField("撤回理由", max_length=200, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = "利益冲突申报"
        verbose_name_plural = "利益冲突申报"
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(person_name=""), name="conflict_names_someone"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="conflict_withdrawal_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coordinator}：{self.organisation or self.person_name}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None

    @property
    def whom(self) -> str:
        """Whom the coordinator stays away from, as a page or an event names it."""
        return "、".join(str(n) for n in (self.organisation, self.person_name) if n)


class Dispute(models.Model):
    """One administrative dispute brought to a coordination centre (行政争议协调化解中心)."""

    number = models.CharField("编号", max_length=60, unique=True)
    centre = models.ForeignKey(
        Organisation, verbose_name="协调化解中心", on_delete=models.PROTECT, related_name="centre_disputes"
    )
    # The agency's region and county, kept on the dispute (as on a case) for scoping and the figures by county.
    region = models.ForeignKey(Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Region, verbose_name="所属县（市、区）", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    referred_by = models.ForeignKey(
        Organisation, verbose_name="转来/委派单位", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral_number = models.CharField("委派/转办文号", max_length=100, blank=True)
    received_on = models.DateField("收件日期")
    applicants = models.CharField("申请人", max_length=500, help_text="多人以顿号分隔")
    # 个人信息保护法 第28条、第51条: an ID number is sensitive personal information; both are encrypted at rest,
    # and the ID number has a blind index for the duplicate check at intake (``disputes.intake``).
    applicant_id_number = EncryptedCharField("申请人身份证号", max_length=18, blank=True)
    applicant_id_number_index = BlindIndexField("申请人身份证号盲索引", source="applicant_id_number", kind="id_number")
    applicant_phone = EncryptedCharField("联系电话", max_length=20, blank=True)
    applicant_address = models.CharField("联系地址", max_length=200, blank=True)
    agency = models.ForeignKey(
        Organisation, verbose_name="被申请行政机关", on_delete=models.PROTECT, related_name="agency_disputes"
    )
    matter = models.TextField("争议事项")
    claims = models.TextField("请求事项", blank=True)
    amount = models.DecimalField("争议金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    domain = models.CharField("领域", max_length=32, choices=Domain.choices, blank=True)
    act_type = models.CharField("行政行为类别", max_length=32, choices=ActType.choices, blank=True)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    group_size = models.PositiveIntegerField("涉及人数", default=1)
    suggestion = models.JSONField("系统分类建议", default=dict, blank=True)
    classified_at = models.DateTimeField("分类确认时间", null=True, blank=True)
    case = models.ForeignKey(
        Case, verbose_name="关联案件", on_delete=models.PROTECT, null=True, blank=True, related_name="disputes"
    )
    state = models.CharField("状态", max_length=12, choices=DisputeState.choices, default=DisputeState.RECEIVED)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    assigned_on = models.DateField("指派日期", null=True, blank=True)
    review_due_on = models.DateField("专家评审期限", null=True, blank=True)
    reviewed_on = models.DateField("评审完成日期", null=True, blank=True)
    review_opinion = models.TextField("专家评审意见", blank=True)
    plan_due_on = models.DateField("方案期限", null=True, blank=True)
    planned_on = models.DateField("方案确定日期", null=True, blank=True)
    plan = models.TextField("化解方案", blank=True)
    mediation_due_on = models.DateField("化解期限", null=True, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.CharField("办结方式", max_length=20, choices=DisputeOutcome.choices, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=20, choices=WithdrawalReason.choices, blank=True)
    rejection_reason = models.CharField("不予受理理由", max_length=300, blank=True)
    outcome_note = models.TextField("办结说明", blank=True)
    agreement_terms = models.TextField("调解协议内容", blank=True)
    judicial_confirmation = models.BooleanField("申请司法确认", default=False)
    # 行政诉讼法 第60条 and SPEC §10: mediation needs the party's recorded consent — who, when and how. Recorded by
    # the online form (the applicant ticks it) or by staff at acceptance (``workflow.accept_dispute``).
    consent_by = models.CharField("同意调解的当事人", max_length=500, blank=True)
    consent_on = models.DateField("同意调解日期", null=True, blank=True)
    consent_way = models.CharField("同意方式", max_length=10, choices=ConsentWay.choices, blank=True)
    consent_recorded_by = models.ForeignKey(
        User, verbose_name="同意记录人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        User, verbose_name="登记人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行政争议"
        verbose_name_plural = "行政争议"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state=DisputeState.CLOSED) & Q(concluded_on__isnull=False) & ~Q(outcome=""))
                | (~Q(state=DisputeState.CLOSED) & Q(concluded_on__isnull=True) & Q(outcome="")),
                name="dispute_closed_iff_outcome",
            ),
            models.CheckConstraint(
                condition=(Q(consent_on__isnull=True) & Q(consent_way="") & Q(consent_by=""))
                | (Q(consent_on__isnull=False) & ~Q(consent_way="") & ~Q(consent_by="")),
                name="dispute_consent_says_who_when_how",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "state"], name="dispute_centre_state"),
            models.Index(fields=["county", "concluded_on"], name="dispute_county_concluded"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def has_consent(self) -> bool:
        return self.consent_on is not None

    @property
    def is_group(self) -> bool:
        """群体性: a dispute brought by many together (``FUYUAN_GROUP_DISPUTE_SIZE``, a local setting; default 5)."""
        return self.group_size >= settings.FUYUAN_GROUP_DISPUTE_SIZE

    def current_due_on(self) -> datetime.date | None:
        """The time limit the dispute is working to now (SPEC §5 centre rules)."""
        if self.state == DisputeState.ASSIGNED:
            return self.review_due_on
        if self.state == DisputeState.REVIEWED:
            return self.plan_due_on
        if self.state in (DisputeState.ACCEPTED, DisputeState.PLANNED):
            return self.mediation_due_on
        return None


class Assignment(models.Model):
    """A coordinator on a dispute's 专班 (一案一专班). Released assignments stay, with the day they ended."""

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE, related_name="assignments")
    coordinator = models.ForeignKey(
        Coordinator, verbose_name="协调员", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("分工", max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.MEMBER)
    reason = models.CharField("推荐理由", max_length=300, blank=True)
    assigned_at = models.DateTimeField("指派时间")
    assigned_by = models.ForeignKey(User, verbose_name="指派人", on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField("退出时间", null=True, blank=True)

    class Meta:
        verbose_name = "指派"
        verbose_name_plural = "指派"
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "coordinator"], condition=Q(released_at__isnull=True), name="one_active_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dispute} {self.coordinator}（{self.get_role_display()}）"


class Meeting(models.Model):
    """A meeting on a dispute (四方会谈 and others), with its participants by role, minutes and next steps."""

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("会谈类别", max_length=20, choices=MeetingKind.choices, default=MeetingKind.FOUR_PARTY)
    held_at = models.DateTimeField("会谈时间")
    place = models.CharField("地点", max_length=200, blank=True)
    minutes = models.TextField("会谈纪要")
    next_steps = models.TextField("下一步工作", blank=True)
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "会谈"
        verbose_name_plural = "会谈"
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute} {self.get_kind_display()} {self.held_at:%Y-%m-%d}"


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会谈", on_delete=models.CASCADE, related_name="participants")
    role = models.CharField("身份", max_length=20, choices=ParticipantRole.choices)
    name = models.CharField("姓名", max_length=50)
    organisation_name = models.CharField("单位", max_length=200, blank=True)

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class ApplicationAttempt(models.Model):
    """One submission of the public application form (线上申请), by the address it came from: what the per-address
    limit counts (``disputes.throttle``). It lives in the database, not in the per-process cache, so that every
    web server process counts the same submissions. Rows older than the limit's window are deleted as new ones
    come in: an address is personal information, kept no longer than its purpose needs (个人信息保护法 第19条)."""

    address = models.CharField("来源地址", max_length=64)
    at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "线上申请提交记录"
        verbose_name_plural = "线上申请提交记录"
        indexes = [models.Index(fields=["address", "at"], name="disputes_attempt_address_at")]

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M:%S}"
