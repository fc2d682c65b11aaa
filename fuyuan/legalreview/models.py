"""A legal matter sent for legality review (法律事务合法性审查, SPEC §6.6 item 3): a normative document, an
administrative contract, a major enforcement decision, a complex petition or another matter, sent by an agency or by
the government office, reviewed by the 司法局, answered by a written opinion, and followed or not by the sender."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.core.models import Organisation, Region, User
from fuyuan.core.uploads import upload_dir
from fuyuan.legalreview.choices import Adoption, Conclusion, MatterKind, MatterState


@deconstructible
class MatterStorage(FileSystemStorage):
    """The matters' attachments, under ``DATA_DIR/legalreview`` (read when used, so a test's ``DATA_DIR`` is
    honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("legalreview"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


def attachment_path(matter: LegalMatter, filename: str) -> str:
    return f"{datetime.date.today():%Y/%m}/{Path(filename).name}"


class LegalMatter(models.Model):
    """One matter sent for review. ``sender`` is the sending agency; the government office has no role of its own, so a
    matter it sends is sent by the 依法治办 of the region standing for it (``sender`` empty, ``sender_region`` set)."""

    kind = models.CharField("事项类别", max_length=16, choices=MatterKind.choices)
    title = models.CharField("事项名称", max_length=200)
    text = models.TextField("送审内容", blank=True)
    attachment = models.FileField(
        "送审材料", upload_to=attachment_path, storage=MatterStorage(), blank=True, max_length=255
    )
    attachment_name = models.CharField("材料文件名", max_length=255, blank=True)
    sender = models.ForeignKey(
        Organisation, verbose_name="送审单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_region = models.ForeignKey(Region, verbose_name="送审地区", on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(User, verbose_name="送审人", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField("收件日期")
    period_days = models.PositiveSmallIntegerField("审查期限（工作日）")
    due_on = models.DateField("审查期限届满日")
    review_body = models.ForeignKey(Organisation, verbose_name="审查机构", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        User, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=20, choices=MatterState.choices, default=MatterState.SUBMITTED)
    returned_on = models.DateField("退回补充材料日期", null=True, blank=True)
    return_reason = models.TextField("需补充的材料", blank=True)
    days_left = models.PositiveSmallIntegerField("中止时剩余工作日", null=True, blank=True)
    material_text = models.TextField("补充材料说明", blank=True)
    material_on = models.DateField("补充材料日期", null=True, blank=True)
    material_file = models.FileField(
        "补充材料文件", upload_to=attachment_path, storage=MatterStorage(), blank=True, max_length=255
    )
    material_file_name = models.CharField("补充材料文件名", max_length=255, blank=True)
    conclusion = models.CharField("审查结论", max_length=20, choices=Conclusion.choices, blank=True)
    opinion_text = models.TextField("审查意见", blank=True)
    opinion_on = models.DateField("出具意见日期", null=True, blank=True)
    opinion_by = models.ForeignKey(
        User, verbose_name="出具人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days_to_opinion = models.PositiveIntegerField("收件至出具意见（日）", null=True, blank=True)
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, blank=True)
    adoption_reason = models.TextField("采纳情况说明", blank=True)
    adoption_on = models.DateField("反馈日期", null=True, blank=True)
    adoption_by = models.ForeignKey(
        User, verbose_name="反馈人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "合法性审查事项"
        verbose_name_plural = "合法性审查事项"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["opinion_given", "closed"]) | (~Q(conclusion="") & Q(opinion_on__isnull=False)),
                name="legalmatter_opinion_has_conclusion",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | (~Q(adoption="") & Q(adoption_on__isnull=False)),
                name="legalmatter_closed_has_adoption",
            ),
        ]
        indexes = [
            models.Index(fields=["review_body", "state"], name="legalmatter_body_state"),
            models.Index(fields=["sender", "received_on"], name="legalmatter_sender_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The opinion's number (文号): the year received and the matter's id."""
        return f"合法性审查〔{self.received_on.year}〕{self.pk}号"

    @property
    def sender_name(self) -> str:
        if self.sender is not None:
            return self.sender.name
        return f"{self.sender_region.name}人民政府办公室"

    @property
    def on_time(self) -> bool | None:
        if self.opinion_on is None:
            return None
        return self.opinion_on <= self.due_on
