"""Written-report duties (书面报告并作出检查, SPEC §4): a county whose first-instance loss rate for the year exceeds
the threshold reports in writing to the prefecture and examines its conduct. A duty is opened by the sweep
(``workflow.open_report_duties``), answered by the county with an uploaded report, and accepted or returned by the
prefecture's 依法治办."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, Region, User
from fuyuan.core.uploads import upload_dir


@deconstructible
class ReportStorage(FileSystemStorage):
    """The uploaded reports, under ``DATA_DIR/reports`` (read when used, so a test's ``DATA_DIR`` is honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("reports"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class DutyState(models.TextChoices):
    OPEN = "open", "待报告"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "退回补充"
    CLOSED = "closed", "已办结"


# The states in which the county still owes a report.
AWAITING_REPORT = (DutyState.OPEN, DutyState.RETURNED)


def report_path(duty: ReportDuty, filename: str) -> str:
    return f"{duty.year}/{duty.county_id}/{filename}"


class ReportDuty(models.Model):
    """One county's duty to report in writing for one year: at most one per (county, year), a DB constraint."""

    county = models.ForeignKey(Region, verbose_name="县(市、区)", on_delete=models.PROTECT, related_name="+")
    government = models.ForeignKey(
        Organisation,
        verbose_name="报告单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="该县(市、区)人民政府；未在单位中登记时为空",
    )
    year = models.PositiveSmallIntegerField("年度")
    window_from = models.DateField("统计起始日期")
    window_to = models.DateField("统计截止日期")
    # The figures at opening, kept as they were: later cases change the county's rate, not why the duty exists.
    lost = models.PositiveIntegerField("一审败诉")
    concluded = models.PositiveIntegerField("一审结案")
    loss_rate = models.DecimalField("败诉率（%）", max_digits=5, decimal_places=2)
    threshold = models.DecimalField("阈值（%）", max_digits=5, decimal_places=2)
    opened_at = models.DateTimeField("启动时间")
    due_on = models.DateField("报告期限")
    state = models.CharField("状态", max_length=16, choices=DutyState.choices, default=DutyState.OPEN)
    report = models.FileField("书面报告", upload_to=report_path, storage=ReportStorage(), blank=True, max_length=255)
    report_name = models.CharField("报告文件名", max_length=255, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, verbose_name="报送人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "书面报告事项"
        verbose_name_plural = "书面报告事项"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_report_duty_per_county_year"),
            models.CheckConstraint(condition=Q(loss_rate__gt=models.F("threshold")), name="duty_rate_exceeds"),
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "closed"]) | ~Q(report=""), name="duty_report_when_submitted"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="report_duty_state_due")]

    def __str__(self) -> str:
        return f"{self.county.name}{self.year}年败诉率超过{self.threshold:.0f}%书面报告"

    @property
    def reporter(self) -> str:
        return self.government.name if self.government_id and self.government else f"{self.county.name}人民政府"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state in AWAITING_REPORT and today > self.due_on


class ThresholdCheck(models.Model):
    """When the sweep last compared the counties' loss rates for a year with the threshold: once a day is enough
    (the sweep runs every minute), so a day's later sweeps cost one indexed read."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    checked_on = models.DateField("检查日期")

    class Meta:
        verbose_name = "败诉率阈值检查"
        verbose_name_plural = "败诉率阈值检查"

    def __str__(self) -> str:
        return f"{self.year}年败诉率阈值检查（{self.checked_on}）"


# ---------------------------------------------------------------------------------------------------------------
# 四必治败诉 (黔西南州's mechanism: 必通报、必倒查、必约谈、必追责; SPEC §6.3): the review of one
# first-instance loss.


class LossReviewState(models.TextChoices):
    NOTICE = "notice", "待通报"
    ANALYSIS = "analysis", "待倒查"
    INTERVIEW = "interview", "待约谈"
    DECISION = "decision", "待追责决定"
    CLOSED = "closed", "已办结"
    # The case's outcome was corrected to one that is not a loss: the review is kept, with its history.
    WITHDRAWN = "withdrawn", "已撤销"


# The states in which a step is still owed, in order, each with the deadline rule that times it.
STEP_RULES = {
    LossReviewState.NOTICE: "accountability.notice",
    LossReviewState.ANALYSIS: "accountability.analysis",
    LossReviewState.INTERVIEW: "accountability.interview",
    LossReviewState.DECISION: "accountability.decision",
}


class LossCause(models.TextChoices):
    """败诉原因 (SPEC §6.3, 一案一分析)."""

    PROCEDURE = "procedure", "程序违法"
    FACTS = "facts", "事实不清/证据不足"
    LAW = "law", "适用法律错误"
    ULTRA_VIRES = "ultra_vires", "超越职权/滥用职权"
    NON_PERFORMANCE = "non_performance", "不履行法定职责"
    LATE_EVIDENCE = "late_evidence", "逾期举证"
    OTHER = "other", "其他"


def _user(label: str) -> models.ForeignKey:
    return models.ForeignKey(
        User, verbose_name=label, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class LossReview(models.Model):
    """One first-instance loss under review: at most one per case (a DB constraint), opened by ``losses.open_loss_
    reviews`` when the case gets a loss outcome, and changed only by the transitions of ``losses``."""

    case = models.OneToOneField(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="loss_review")
    # The losing agency and the court, fixed at opening (the case's defendant and court then).
    agency = models.ForeignKey(Organisation, verbose_name="败诉机关", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        Organisation, verbose_name="法院", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=16, choices=LossReviewState.choices, default=LossReviewState.NOTICE)
    outcome = models.CharField("启动时的结案方式", max_length=32)
    opened_at = models.DateTimeField("启动时间")
    # 通报
    notice_on = models.DateField("通报日期", null=True, blank=True)
    notice_number = models.CharField("通报文号", max_length=100, blank=True)
    notice_text = models.TextField("通报内容", blank=True)
    notice_by = _user("通报登记人")
    # 倒查 (一案一分析)
    causes = models.JSONField("败诉原因", default=list, blank=True)
    analysis = models.TextField("原因分析", blank=True)
    responsible_persons = models.TextField("责任人员", blank=True)
    measures = models.TextField("整改措施", blank=True)
    analysis_on = models.DateField("倒查完成日期", null=True, blank=True)
    analysis_by = _user("倒查填报人")
    # 约谈
    interview_on = models.DateField("约谈日期", null=True, blank=True)
    interviewer = models.CharField("约谈人（政府领导）", max_length=200, blank=True)
    interviewee = models.CharField("被约谈人（机关负责人）", max_length=200, blank=True)
    interview_conclusions = models.TextField("约谈结论", blank=True)
    interview_by = _user("约谈登记人")
    # 追责
    accountable = models.BooleanField("是否追责", null=True, blank=True)
    decision = models.TextField("追责决定/不予追责理由", blank=True)
    decision_on = models.DateField("决定日期", null=True, blank=True)
    decision_by = _user("决定登记人")
    # 法院点评 (程序/实体/出庭应诉)
    comment_procedure = models.TextField("程序点评", blank=True)
    comment_substance = models.TextField("实体点评", blank=True)
    comment_appearance = models.TextField("出庭应诉点评", blank=True)
    comment_at = models.DateTimeField("点评时间", null=True, blank=True)
    comment_by = _user("点评人")
    # 撤销: the state it was withdrawn from, so a case whose outcome becomes a loss again resumes where it was.
    withdrawn_from = models.CharField("撤销前状态", max_length=16, choices=LossReviewState.choices, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "败诉问责"
        verbose_name_plural = "败诉问责"
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "opened_at"], name="loss_review_state_opened")]

    def __str__(self) -> str:
        return f"{self.case.number} 败诉问责"

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(LossCause.choices)
        return [str(labels.get(c, c)) for c in self.causes]

    @property
    def current_rule(self) -> str | None:
        return STEP_RULES.get(LossReviewState(self.state)) if self.state in STEP_RULES else None


# ---------------------------------------------------------------------------------------------------------------
# 典型案例 (以案释法; SPEC §6.3: "Quarterly, the 依法治办 selects typical cases and the system compiles them"): the
# prefecture's 依法治办 selects cases into a quarter's compilation, edits them, and issues the 典型案例汇编 to the
# agencies of its region, who acknowledge reading it (``typical``).


@deconstructible
class CompilationStorage(FileSystemStorage):
    """The issued compilations, under ``DATA_DIR/compilations`` (read when used, so a test's ``DATA_DIR`` is honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("compilations"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class CompilationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


def compilation_path(compilation: Compilation, filename: str) -> str:
    return f"{compilation.region_id}/{compilation.year}-Q{compilation.quarter}/{filename}"


class Compilation(models.Model):
    """A prefecture's 典型案例汇编 for one quarter: at most one per (region, year, quarter), a DB constraint. Once
    issued, its .docx is the one generated at that moment and kept: what was sent stays what was sent."""

    region = models.ForeignKey(Region, verbose_name="地区（州/市）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    state = models.CharField("状态", max_length=16, choices=CompilationState.choices, default=CompilationState.DRAFT)
    created_at = models.DateTimeField("创建时间")
    created_by = _user("创建人")
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = _user("印发人")
    document = models.FileField(
        "汇编文件", upload_to=compilation_path, storage=CompilationStorage(), blank=True, max_length=255
    )

    class Meta:
        verbose_name = "典型案例汇编"
        verbose_name_plural = "典型案例汇编"
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="one_compilation_per_region_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="compilation_quarter_1_to_4"),
            models.CheckConstraint(
                condition=Q(state="draft") | (~Q(document="") & Q(issued_at__isnull=False)),
                name="compilation_document_when_issued",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quarter_label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    @property
    def title(self) -> str:
        return f"{self.quarter_label}行政诉讼典型案例汇编"

    @property
    def is_draft(self) -> bool:
        return self.state == CompilationState.DRAFT


class TypicalCase(models.Model):
    """One case in a quarter's compilation (the quarter is the compilation's), in the compilation's order. Usually a
    first-instance loss, but any concluded first-instance case may be chosen: 以案释法 also teaches from a won case."""

    compilation = models.ForeignKey(
        Compilation, verbose_name="汇编", on_delete=models.CASCADE, related_name="typical_cases"
    )
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("排序")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("基本案情", blank=True)
    cause = models.TextField("败诉原因/争议焦点", blank=True)
    comment = models.TextField("法院点评", blank=True)
    lesson = models.TextField("启示", blank=True)
    selected_at = models.DateTimeField("选定时间")
    selected_by = _user("选定人")

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        ordering = ["compilation", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["compilation", "case"], name="typical_case_once_per_compilation"),
        ]

    def __str__(self) -> str:
        return self.title


class Receipt(models.Model):
    """An issued compilation's distribution to one agency (written on issue) and when it was first read there (by
    the first of its liaisons to open or download it): at most one per (compilation, organisation)."""

    compilation = models.ForeignKey(Compilation, verbose_name="汇编", on_delete=models.CASCADE, related_name="receipts")
    organisation = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    first_read_at = models.DateTimeField("首次阅读时间", null=True, blank=True)
    first_read_by = _user("首次阅读人")

    class Meta:
        verbose_name = "汇编阅读回执"
        verbose_name_plural = "汇编阅读回执"
        ordering = ["compilation", "organisation__region__path", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["compilation", "organisation"], name="one_receipt_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.compilation} · {self.organisation}"


# ---------------------------------------------------------------------------------------------------------------
# 移送纪委监委 (SPEC §6.3; issue 6 §4): a loss whose 倒查 found 不作为 (不履行法定职责) or 乱作为 (超越职权/滥用
# 职权) may be a clue of a breach of duty: the county's 依法治办 proposes it (县级初审), the prefecture's 依法治办
# reviews it (州级复核) and transfers it to the prefecture's 纪委监委, whose liaison acknowledges it and reports the
# result (``transfers``).


class ClueKind(models.TextChoices):
    INACTION = "inaction", "不作为"
    MISCONDUCT = "misconduct", "乱作为"


class TransferState(models.TextChoices):
    COUNTY = "county", "县级初审"
    PREFECTURE = "prefecture", "州级复核"
    REJECTED = "rejected", "不予移送"
    TRANSFERRED = "transferred", "已移送"
    ACKNOWLEDGED = "acknowledged", "已签收"
    ANSWERED = "answered", "已反馈"


# The states in which the 纪委监委 has the transfer (and its liaison sees it).
TRANSFERRED_STATES = (TransferState.TRANSFERRED, TransferState.ACKNOWLEDGED, TransferState.ANSWERED)


class ClueTransfer(models.Model):
    """The transfer of one loss review's clue to the 纪委监委: at most one per review (a DB constraint), changed only
    by the transitions of ``transfers``. The county and prefecture are fixed at proposal (the case's)."""

    review = models.OneToOneField(
        LossReview, verbose_name="败诉问责", on_delete=models.PROTECT, related_name="clue_transfer"
    )
    year = models.PositiveSmallIntegerField("年度")
    county = models.ForeignKey(Region, verbose_name="县(市、区)", on_delete=models.PROTECT, related_name="+")
    prefecture = models.ForeignKey(Region, verbose_name="州/市", on_delete=models.PROTECT, related_name="+")
    clue = models.CharField("问题线索", max_length=16, choices=ClueKind.choices)
    facts = models.TextField("线索事实")
    state = models.CharField("状态", max_length=16, choices=TransferState.choices, default=TransferState.COUNTY)
    proposed_at = models.DateTimeField("提出时间")
    proposed_by = _user("提出人")
    submitted_at = models.DateTimeField("报送复核时间", null=True, blank=True)
    submitted_by = _user("报送人")
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    reviewed_by = _user("复核人")
    reject_reason = models.TextField("不予移送理由", blank=True)
    # 移送记录
    transferred_on = models.DateField("移送日期", null=True, blank=True)
    transfer_number = models.CharField("移送文号", max_length=100, blank=True)
    discipline = models.ForeignKey(
        Organisation, verbose_name="移送至", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 签收、反馈 (by the 纪委监委 liaison)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = _user("签收人")
    result = models.TextField("处理结果", blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    answered_by = _user("反馈人")

    class Meta:
        verbose_name = "移送纪委监委线索"
        verbose_name_plural = "移送纪委监委线索"
        ordering = ["-year", "-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["transferred", "acknowledged", "answered"])
                | Q(discipline__isnull=False, transferred_on__isnull=False),
                name="clue_transfer_record_when_transferred",
            ),
        ]
        indexes = [models.Index(fields=["state", "year"], name="clue_transfer_state_year")]

    def __str__(self) -> str:
        return f"{self.review.case.number} 移送纪委监委（{self.get_clue_display()}）"
