"""Case-file review (案卷评查, SPEC §6.7 item 3): a yearly plan of the 司法局's enforcement supervision staff, the
scoring sheet it uses (veto items and deductions within points per part, as data, per year), the files registered
to the plan and assigned to reviewers, and each file's marks. Only ``filereview.workflow`` changes these records."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from fuyuan.core.models import Organisation, Region, User


class ReviewMode(models.TextChoices):
    SELF_CHECK = "self_check", "自查"
    SAMPLED = "sampled", "抽查"


class ActKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LICENCE = "licence", "行政许可"
    INSPECTION = "inspection", "行政检查"
    LEVY = "levy", "行政征收"
    CONFIRMATION = "confirmation", "行政确认"
    OTHER = "other", "其他"


class ItemKind(models.TextChoices):
    # Any one veto item found fails the file whatever its points (一票否决).
    VETO = "veto", "否决项"
    DEDUCTION = "deduction", "扣分项"


class ScoreSheet(models.Model):
    """One year's scoring sheet (评查标准) of a region's 司法局: parts with their points and items. Once a file of a
    plan using it is scored, the sheet is in use and is no longer changed; next year's is a copy, edited."""

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("评查标准名称", max_length=100)
    region = models.ForeignKey(Region, verbose_name="制定地区", on_delete=models.PROTECT, related_name="+")
    # A file scoring under this mark fails (不合格); a veto item fails it whatever its points.
    pass_mark = models.DecimalField("合格分数线", max_digits=5, decimal_places=1, default=Decimal("60"))
    copied_from = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评查标准"
        verbose_name_plural = "评查标准"
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "name"], name="scoresheet_name_per_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class SheetPart(models.Model):
    """A part of the sheet (卷面 20, 内容 80): its deductions together never exceed its points."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name="评查标准", on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("部分", max_length=50)
    points = models.PositiveSmallIntegerField("分值")

    class Meta:
        verbose_name = "评分部分"
        verbose_name_plural = "评分部分"
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "position"], name="sheetpart_position")]

    def __str__(self) -> str:
        return f"{self.name}（{self.points}分）"


class SheetItem(models.Model):
    """A veto item (no part, no points) or a deduction of up to ``max_points`` within a part."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name="评查标准", on_delete=models.CASCADE, related_name="items")
    part = models.ForeignKey(
        SheetPart, verbose_name="所属部分", null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("类别", max_length=10, choices=ItemKind.choices)
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("评查内容", max_length=300)
    max_points = models.DecimalField("最多扣分", max_digits=5, decimal_places=1, default=Decimal("0"))

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        ordering = ["sheet", "kind", "part__position", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="veto") & Q(part__isnull=True)) | (Q(kind="deduction") & Q(part__isnull=False)),
                name="sheetitem_veto_has_no_part",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ReviewPlan(models.Model):
    """A year's review (评查计划) organised by a 司法局: the bodies, how many files each, the mode, the reviewers."""

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("计划名称", max_length=100)
    mode = models.CharField("方式", max_length=12, choices=ReviewMode.choices)
    region = models.ForeignKey(Region, verbose_name="组织地区", on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(Organisation, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(ScoreSheet, verbose_name="评查标准", on_delete=models.PROTECT, related_name="plans")
    reviewers = models.ManyToManyField(User, verbose_name="评查人员", related_name="review_plans", blank=True)
    created_by = models.ForeignKey(User, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评查计划"
        verbose_name_plural = "评查计划"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class PlanBody(models.Model):
    """An enforcement body (执法主体) in the plan and how many of its files are reviewed."""

    plan = models.ForeignKey(ReviewPlan, verbose_name="评查计划", on_delete=models.CASCADE, related_name="bodies")
    organisation = models.ForeignKey(Organisation, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField("评查案卷数")

    class Meta:
        verbose_name = "被评查单位"
        verbose_name_plural = "被评查单位"
        ordering = ["plan", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "organisation"], name="planbody_once")]

    def __str__(self) -> str:
        return f"{self.organisation}（{self.quota}卷）"


class ReviewFile(models.Model):
    """One enforcement file (案卷) of a body, registered to a plan and scored by its reviewer.

    ``points``: the sheet's total less the deductions; ``score``: the file's result, 0 when a veto item is found
    (一票否决: the file is 不合格 and scores nothing, whatever its points)."""

    plan = models.ForeignKey(ReviewPlan, verbose_name="评查计划", on_delete=models.PROTECT, related_name="files")
    number = models.CharField("案卷编号", max_length=100)
    body = models.ForeignKey(Organisation, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    act_kind = models.CharField("执法行为类别", max_length=16, choices=ActKind.choices)
    decided_on = models.DateField("决定日期")
    reviewer = models.ForeignKey(
        User, verbose_name="评查人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField("扣分后得分", max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.DecimalField("评查得分", max_digits=5, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    passed = models.BooleanField("合格", null=True, blank=True)
    findings = models.TextField("发现的问题", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    scored_by = models.ForeignKey(
        User, verbose_name="评分人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The 执法监督通知书 item (销账本) the failure or finding became, once issued.
    notice_item = models.ForeignKey(
        "rectification.Item",
        verbose_name="整改事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "评查案卷"
        verbose_name_plural = "评查案卷"
        ordering = ["plan", "body__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="reviewfile_number_per_plan"),
            models.CheckConstraint(
                condition=Q(scored_at__isnull=True) | (Q(score__isnull=False) & Q(passed__isnull=False)),
                name="reviewfile_scored_has_result",
            ),
        ]
        indexes = [models.Index(fields=["body", "scored_at"], name="reviewfile_body_scored")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None

    @property
    def needs_notice(self) -> bool:
        """Failed, or scored with a finding, and not yet in a 执法监督通知书."""
        return self.is_scored and (self.passed is False or bool(self.findings)) and self.notice_item_id is None


class FileMark(models.Model):
    """One item found on a file: a veto item, or a deduction of ``points``."""

    file = models.ForeignKey(ReviewFile, verbose_name="案卷", on_delete=models.CASCADE, related_name="marks")
    item = models.ForeignKey(SheetItem, verbose_name="评查项目", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=Decimal("0"))
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "评查记录"
        verbose_name_plural = "评查记录"
        ordering = ["file", "item__kind", "item__position"]
        constraints = [models.UniqueConstraint(fields=["file", "item"], name="filemark_once")]

    def __str__(self) -> str:
        return f"{self.file} {self.item}"
