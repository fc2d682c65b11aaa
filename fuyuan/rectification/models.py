"""The rectification ledger (销账本, SPEC §6.5): a recommendation issued to an agency (司法建议书, 检察建议书,
复议意见书, 复议建议书, 执法监督通知书) is split into items, each with an owner and a due date; the owner reports its
rectification, the issuing side (or the 依法治办) verifies it, and the recommendation is 销账 when every item is
verified. Only ``rectification.workflow`` changes these records."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, User
from fuyuan.core.uploads import upload_dir


@deconstructible
class RecommendationStorage(FileSystemStorage):
    """The uploaded documents and reports, under ``DATA_DIR/recommendations`` (read when used, so a test's
    ``DATA_DIR`` is honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("recommendations"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class RecommendationKind(models.TextChoices):
    # 行政诉讼法 第96条第(四)项 and 最高人民法院《关于加强司法建议工作的意见》: the court's 司法建议.
    JUDICIAL = "judicial", "司法建议书"
    # 人民检察院组织法 第21条, 《人民检察院检察建议工作规定》: the procuratorate's 检察建议.
    PROCURATORIAL = "procuratorial", "检察建议书"
    # 行政复议法 (2023) 第76条: 复议机构 may issue 行政复议意见书 (and 建议书 to other bodies).
    RECONSIDERATION_OPINION = "reconsideration_opinion", "复议意见书"
    RECONSIDERATION_ADVICE = "reconsideration_advice", "复议建议书"
    # 行政执法监督 by the government's legal office (依法治办/司法行政部门): 执法监督通知书.
    SUPERVISION_NOTICE = "supervision_notice", "执法监督通知书"


# Which kind of organisation issues which kind of document (the registration refuses a mismatch).
ISSUER_KINDS: dict[str, frozenset[str]] = {
    RecommendationKind.JUDICIAL: frozenset({OrganisationKind.COURT}),
    RecommendationKind.PROCURATORIAL: frozenset({OrganisationKind.PROCURATORATE}),
    RecommendationKind.RECONSIDERATION_OPINION: frozenset({OrganisationKind.JUSTICE_BUREAU}),
    RecommendationKind.RECONSIDERATION_ADVICE: frozenset({OrganisationKind.JUSTICE_BUREAU}),
    RecommendationKind.SUPERVISION_NOTICE: frozenset(
        {OrganisationKind.RULE_OF_LAW_OFFICE, OrganisationKind.JUSTICE_BUREAU}
    ),
}


def document_path(recommendation: Recommendation, filename: str) -> str:
    return f"{recommendation.issued_on:%Y}/{recommendation.issuer_id}/{filename}"


def report_path(item: Item, filename: str) -> str:
    return f"reports/{item.recommendation_id}/{filename}"


class Recommendation(models.Model):
    """One document issued to one agency; 已销账 (``closed_at`` set) when every one of its items is verified."""

    kind = models.CharField("文书类别", max_length=32, choices=RecommendationKind.choices)
    number = models.CharField("文号", max_length=100)
    issuer = models.ForeignKey(Organisation, verbose_name="发出单位", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        Organisation, verbose_name="被建议单位", on_delete=models.PROTECT, related_name="recommendations"
    )
    issued_on = models.DateField("发出日期")
    stated_due_on = models.DateField(
        "文书规定的整改期限", null=True, blank=True, help_text="文书另定期限时填写；否则自发出之日起两个月"
    )
    case = models.ForeignKey(
        Case, verbose_name="关联案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField("文书", upload_to=document_path, storage=RecommendationStorage(), max_length=255)
    document_name = models.CharField("文书文件名", max_length=255)
    summary = models.TextField("主要内容", blank=True)
    registered_at = models.DateTimeField("登记时间")
    registered_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("销账时间", null=True, blank=True)

    class Meta:
        verbose_name = "建议书"
        verbose_name_plural = "建议书"
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["issuer", "number"], name="recommendation_number_per_issuer")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ItemState(models.TextChoices):
    IN_PROGRESS = "in_progress", "整改中"
    REPORTED = "reported", "已报送整改情况"
    VERIFIED = "verified", "已核验销账"


class Item(models.Model):
    """One rectification item (整改事项) of a recommendation, owned by one agency."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name="建议书", on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号")
    text = models.TextField("整改事项")
    owner = models.ForeignKey(Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("整改期限", db_index=True)
    due_rule = models.CharField("期限依据", max_length=200)
    state = models.CharField("状态", max_length=16, choices=ItemState.choices, default=ItemState.IN_PROGRESS)
    report_text = models.TextField("整改情况", blank=True)
    report_file = models.FileField(
        "整改材料", upload_to=report_path, storage=RecommendationStorage(), blank=True, max_length=255
    )
    report_name = models.CharField("整改材料文件名", max_length=255, blank=True)
    reported_at = models.DateTimeField("报送时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        User, verbose_name="报送人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_note = models.TextField("退回意见", blank=True)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        User, verbose_name="核验人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["recommendation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "position"], name="rectification_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.number} 第{self.position}项"

    def is_overdue(self, today: datetime.date) -> bool:
        """Overdue: still being rectified (not reported, or returned) after its due date."""
        return self.state == ItemState.IN_PROGRESS and self.due_on < today
