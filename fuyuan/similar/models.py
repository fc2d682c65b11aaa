"""类案检索's records: the searchable text of each case (``CaseText``, the index's rows), the mark of what the index
has followed (``IndexMark``), and the judgments uploaded to a case with their extracted text (``Judgment``)."""

from __future__ import annotations

from django.db import models

from fuyuan.cases.models import Case
from fuyuan.core.models import User


class CaseText(models.Model):
    """A case as 类案检索 reads it: its 案情摘要, 案由, 领域, agency and the texts the platform holds for it (loss
    analysis, court 点评, typical case, reconsideration decision, judgments), and their terms. Written only by
    ``similar.index``; the text is kept whole and shown masked (``core.masking.mask_personal_text``)."""

    case = models.OneToOneField(
        Case, verbose_name="案件", primary_key=True, on_delete=models.CASCADE, related_name="similar_text"
    )
    text = models.TextField("检索文本")
    terms = models.TextField("词项", help_text="分词结果，以空格分隔（含案由、领域、被告机关标记）")
    indexed_at = models.DateTimeField("索引时间")

    class Meta:
        verbose_name = "类案检索文本"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.case_id} 检索文本"


class IndexMark(models.Model):
    """The one row saying up to when the index has followed the records (the changed-since mark) and its
    generation, renewed whenever a refresh changed a row, so each process knows when to reload its ranking."""

    followed_until = models.DateTimeField("已跟进至", null=True, blank=True)
    # A fresh random token on every change (never a counter, which a rolled-back transaction could hand out twice).
    generation = models.CharField("版本", max_length=32, blank=True)

    class Meta:
        verbose_name = "类案索引标记"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"类案索引（至 {self.followed_until}）"


class JudgmentFormat(models.TextChoices):
    DOCX = "docx", "Word（.docx）"
    PDF = "pdf", "PDF"


class Judgment(models.Model):
    """A judgment (裁判文书) uploaded to a case: the text extracted from the file is kept (the file itself is not), so
    that 类案检索 searches it and the case page shows it, masked."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="judgments")
    filename = models.CharField("文件名", max_length=255)
    file_format = models.CharField("格式", max_length=8, choices=JudgmentFormat.choices)
    text = models.TextField("文书文本")
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "裁判文书"
        verbose_name_plural = verbose_name
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename
