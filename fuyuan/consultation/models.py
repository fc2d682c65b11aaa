"""Pre-judgment consultation (诉前沟通、判前会商, SPEC §6.9): the court's 败诉风险提示 on a pending first-instance case,
the agency's answer, and the consultation meetings held on it. What became of the suit is read from the case itself
(``RiskNotice.result``): nothing here is written when the case concludes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fuyuan.cases.choices import loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.consultation.choices import RESOLVING_ANSWERS, RESOLVING_OUTCOMES, Answer, Concern, NoticeState
from fuyuan.core.models import Organisation, Region, User


class RiskNotice(models.Model):
    """One 败诉风险提示 (败诉风险预警告知书) from the court to the defendant agency, copied to the county's 依法治办."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="risk_notices")
    # The court, the agency and the county when it was sent: kept on the notice so that scoping and the figures by
    # agency are one indexed filter or GROUP BY.
    court = models.ForeignKey(Organisation, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organisation, verbose_name="被告行政机关", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(Region, verbose_name="所属县(市、区)", on_delete=models.PROTECT, related_name="+")
    concerns = models.JSONField("风险类别", default=list, help_text="程序、证据、法律依据、职权、其他（可多选）")
    text = models.TextField("风险提示内容")
    sent_on = models.DateField("提示日期")
    sent_by = models.ForeignKey(User, verbose_name="提示人", on_delete=models.PROTECT, related_name="+")
    answer_due_on = models.DateField("答复期限")
    state = models.CharField("状态", max_length=10, choices=NoticeState.choices, default=NoticeState.SENT)
    answer = models.CharField("答复意见", max_length=10, choices=Answer.choices, blank=True)
    answer_text = models.TextField("答复说明", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        User, verbose_name="答复人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "败诉风险提示"
        verbose_name_plural = "败诉风险提示"
        ordering = ["-sent_on", "-id"]
        constraints = [
            # One notice awaits its answer at a time: a second one is sent once the first is answered.
            models.UniqueConstraint(fields=["case"], condition=Q(state="sent"), name="one_unanswered_notice_per_case"),
            models.CheckConstraint(
                condition=Q(state="sent", answer="")
                | (Q(state="answered") & ~Q(answer="") & Q(answered_on__isnull=False)),
                name="answered_notice_has_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "sent_on"], name="risknotice_agency_sent"),
            models.Index(fields=["court", "sent_on"], name="risknotice_court_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 败诉风险提示（{self.sent_on:%Y-%m-%d}）"

    @property
    def number(self) -> str:
        """The letter's number (文号): the court's year and the notice's id."""
        return f"风险提示〔{self.sent_on.year}〕{self.pk}号"

    @property
    def concern_labels(self) -> list[str]:
        labels = dict(Concern.choices)
        return [str(labels.get(c, c)) for c in self.concerns]

    @property
    def resolved(self) -> bool:
        """化解: answered 自行纠正 or 协调和解, and the suit then ended without judgment (``RESOLVING_OUTCOMES``)."""
        return self.answer in RESOLVING_ANSWERS and self.case.outcome in RESOLVING_OUTCOMES

    @property
    def followed_by_loss(self) -> bool:
        """The case then ended in a loss, by the same rule as the figures of SPEC §4 (``cases.choices.loss_outcomes``)."""
        return self.case.is_concluded and self.case.outcome in loss_outcomes()

    @property
    def result(self) -> str:
        """What became of the suit after the notice, in a word, for the pages."""
        case = self.case
        if not case.is_concluded:
            return "案件审理中"
        if self.resolved:
            return f"已化解（{case.outcome_label}）"
        if self.followed_by_loss:
            return f"败诉（{case.outcome_label}）"
        return f"已结案（{case.outcome_label}）"


class ConsultationMeeting(models.Model):
    """A 判前会商 held on a notice: court and government talk over the case before judgment; minuted."""

    notice = models.ForeignKey(RiskNotice, verbose_name="风险提示", on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("会商日期")
    place = models.CharField("地点", max_length=200, blank=True)
    participants = models.TextField("参加人员")
    minutes = models.TextField("会商纪要")
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "判前会商"
        verbose_name_plural = "判前会商"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.notice.case.number} 判前会商（{self.held_on:%Y-%m-%d}）"
