"""Performance of effective judgments and rulings against agencies (生效裁判履行, SPEC §6.9): when a judgment a case
records as a loss for its agency takes effect, a performance item says what the agency must do and by when; the
agency reports performance with proof, and the court liaison confirms it (on time or late) or records that it was
not performed and the court's measures under 行政诉讼法 第96条. Only ``performance.workflow`` changes these records."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, User
from fuyuan.core.uploads import upload_dir


@deconstructible
class ProofStorage(FileSystemStorage):
    """The proofs of performance, under ``DATA_DIR/performance`` (read when used, so a test's ``DATA_DIR`` is
    honoured)."""

    @property
    def base_location(self) -> str:
        return str(upload_dir("performance"))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class Duty(models.TextChoices):
    """What the judgment orders the agency to do."""

    PAY = "pay", "给付/支付"
    REDO = "redo", "重新作出行政行为"
    COMPENSATE = "compensate", "赔偿/补偿"
    PERFORM_DUTY = "perform_duty", "履行法定职责"
    OTHER = "other", "其他"


class ItemState(models.TextChoices):
    OPEN = "open", "待履行"
    REPORTED = "reported", "已报告履行"
    PERFORMED = "performed", "已履行"
    NOT_PERFORMED = "not_performed", "未履行"


class MeasureKind(models.TextChoices):
    """The court's measures against an agency that refuses to perform (行政诉讼法 第96条, 第(一)至(五)项)."""

    TRANSFER = "transfer", "划拨"  # 第(一)项: the bank transfers the sum from the agency's account
    FINE = "fine", "罚款"  # 第(二)项: the agency's head fined daily, 五十元至一百元, from the end of the period
    PUBLICATION = "publication", "公告"  # 第(三)项: the refusal made public
    JUDICIAL_ADVICE = "judicial_advice", "司法建议"  # 第(四)项: to the 监察机关 or the agency's superior
    DETENTION = "detention", "拘留"  # 第(五)项: the persons responsible, where the refusal is grave


def proof_path(item: PerformanceItem, filename: str) -> str:
    return f"{item.case_id}/{item.pk}/{filename}"


class PerformanceItem(models.Model):
    """One thing an effective judgment orders an agency to do, with its due date and what became of it."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="performance_items")
    # The case's defendant and court when the item opened, kept so that scoping and the figures by agency are one
    # indexed filter or GROUP BY.
    agency = models.ForeignKey(Organisation, verbose_name="履行机关", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(Organisation, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    duty = models.CharField("履行内容类别", max_length=20, choices=Duty.choices)
    text = models.TextField("应履行事项")
    effective_on = models.DateField("裁判生效日期")
    due_on = models.DateField("履行期限", db_index=True)
    due_rule = models.CharField("期限依据", max_length=200)
    state = models.CharField("状态", max_length=16, choices=ItemState.choices, default=ItemState.OPEN)
    opened_at = models.DateTimeField("登记时间")
    opened_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_text = models.TextField("履行情况", blank=True)
    proof = models.FileField("履行证明材料", upload_to=proof_path, storage=ProofStorage(), blank=True, max_length=255)
    proof_name = models.CharField("证明材料文件名", max_length=255, blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        User, verbose_name="报告人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    performed_on = models.DateField("履行完毕日期", null=True, blank=True)
    non_performance_note = models.TextField("未履行情况", blank=True)
    decided_at = models.DateTimeField("法院确认时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "裁判履行事项"
        verbose_name_plural = "裁判履行事项"
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("effective_on")), name="performance_due_after_effect"
            ),
            models.CheckConstraint(
                condition=~Q(state=ItemState.PERFORMED) | Q(performed_on__isnull=False),
                name="performance_performed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["agency", "due_on"], name="performance_agency_due")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_duty_display()}"

    @property
    def performed_late(self) -> bool:
        return self.performed_on is not None and self.performed_on > self.due_on

    def is_overdue(self, today: datetime.date) -> bool:
        """Overdue: not yet confirmed as performed after its due date."""
        return self.state != ItemState.PERFORMED and self.due_on < today

    def days_late(self, today: datetime.date) -> int:
        end = self.performed_on or today
        return max(0, (end - self.due_on).days)


class Measure(models.Model):
    """One measure the court took against the agency's refusal to perform (行政诉讼法 第96条)."""

    item = models.ForeignKey(
        PerformanceItem, verbose_name="履行事项", on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField("措施", max_length=20, choices=MeasureKind.choices)
    taken_on = models.DateField("采取日期")
    text = models.TextField("内容")
    # 第96条第(二)项: 每日五十元至一百元.
    daily_fine = models.PositiveIntegerField("每日罚款金额(元)", null=True, blank=True)
    # 第96条第(四)项: the 司法建议 in the 销账本.
    recommendation = models.ForeignKey(
        "rectification.Recommendation",
        verbose_name="司法建议书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "法院措施"
        verbose_name_plural = "法院措施"
        ordering = ["taken_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=MeasureKind.FINE) | Q(daily_fine__gte=50, daily_fine__lte=100),
                name="performance_fine_50_to_100_daily",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on}"
