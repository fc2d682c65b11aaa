"""The forms of the reconsideration body's pages (SPEC §6.8): the queue's filters and one form per action on the file.

Forms only parse what was typed; every rule of the law is the workflow's (``reconsideration.workflow``), whose
refusal is shown on the form it came from.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, User
from fuyuan.reconsideration.choices import (
    CommitteeGround,
    MaterialKind,
    MediationKind,
    Procedure,
    RejectionGround,
    Stage,
)
from fuyuan.reconsideration.models import CommitteeReview, Mediation, ReconsiderationHearing

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
AREA = {"class": "form-control form-control-sm", "rows": 3}
DATE = {"class": "form-control form-control-sm", "type": "date"}

# The outcomes a decision may carry on this page: 调解 ends through the mediation's result (第73条).
DECISION_CHOICES = [(v, label) for v, label in ReconsiderationOutcome.choices if v != ReconsiderationOutcome.MEDIATED]


def lines(text: str) -> list[str]:
    """One item a line, blank lines and list numbers ("1." "1、") dropped."""
    items = []
    for line in text.splitlines():
        line = line.strip().lstrip("0123456789.、）) ").strip()
        if line:
            items.append(line)
    return items


class QueueFilterForm(NamedErrors, forms.Form):
    stage = forms.ChoiceField(
        label="办理阶段", required=False, choices=[("", "全部阶段"), *Stage.choices], widget=forms.Select(attrs=SELECT)
    )
    procedure = forms.ChoiceField(
        label="审理程序",
        required=False,
        choices=[("", "全部程序"), *Procedure.choices],
        widget=forms.Select(attrs=SELECT),
    )


class EmptyForm(NamedErrors, forms.Form):
    """An action with nothing to fill in (开始审查, 恢复审理, 批准延期): the button is the form."""


class CorrectionForm(NamedErrors, forms.Form):
    items = forms.CharField(
        label="需要补正的事项（每行一项）",
        widget=forms.Textarea(attrs={**AREA, "rows": 4}),
        help_text="补正通知只能发出一次，应一次性列明全部需要补正的材料或事项（行政复议法第31条第1款）。",
    )


class AcceptForm(NamedErrors, forms.Form):
    procedure = forms.ChoiceField(
        label="审理程序", choices=Procedure.choices, initial=Procedure.ORDINARY, widget=forms.Select(attrs=SELECT)
    )


class RejectForm(NamedErrors, forms.Form):
    grounds = forms.MultipleChoiceField(
        label="不予受理的情形（不符合行政复议法第30条第1款的受理条件）",
        choices=RejectionGround.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "me-1"}),
    )
    reason = forms.CharField(label="不予受理的理由", widget=forms.Textarea(attrs=AREA))
    competent_body = forms.ModelChoiceField(
        label="有管辖权的行政复议机关（不属于本机关管辖时填写）",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        empty_label="（不涉及）",
    )

    def __init__(self, *args: Any, bodies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competent_body"].queryset = bodies  # type: ignore[attr-defined]


class ProcedureForm(AcceptForm):
    pass


class CopyForm(NamedErrors, forms.Form):
    on = forms.DateField(label="发送日期（默认今天）", required=False, widget=forms.DateInput(attrs=DATE))


class ReplyForm(NamedErrors, forms.Form):
    text = forms.CharField(label="书面答复", widget=forms.Textarea(attrs={**AREA, "rows": 5}))
    on = forms.DateField(label="答复日期（默认今天）", required=False, widget=forms.DateInput(attrs=DATE))


class MaterialForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=MaterialKind.choices, widget=forms.Select(attrs=SELECT))
    file = forms.FileField(
        label="文件", widget=forms.ClearableFileInput(attrs=TEXT), help_text="接受 .pdf、.doc、.docx、.jpg、.png"
    )


class HearingForm(NamedErrors, forms.Form):
    held_at = forms.DateTimeField(
        label="听证时间",
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="听证地点", max_length=200, widget=forms.TextInput(attrs=TEXT))
    matters = forms.CharField(label="拟听证事项（每行一项）", widget=forms.Textarea(attrs=AREA))


class _HearingChoice(NamedErrors, forms.Form):
    hearing = forms.ModelChoiceField(
        label="听证", queryset=ReconsiderationHearing.objects.none(), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, hearings: QuerySet[ReconsiderationHearing], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hearing"]
        field.queryset = hearings  # type: ignore[attr-defined]
        field.label_from_instance = lambda h: f"{h.held_at:%Y-%m-%d %H:%M} {h.place}"  # type: ignore[attr-defined]
        first = hearings.first()
        if first is not None:
            field.initial = first.pk


class HearingNoticeForm(_HearingChoice):
    on = forms.DateField(label="通知发出日期（默认今天）", required=False, widget=forms.DateInput(attrs=DATE))


class HearingHeadForm(_HearingChoice):
    name = forms.CharField(label="参加听证的负责人", max_length=50, widget=forms.TextInput(attrs=TEXT))


class HearingRecordForm(_HearingChoice):
    head_attended = forms.TypedChoiceField(
        label="被申请人负责人参加听证",
        choices=[("1", "参加"), ("0", "未参加")],
        coerce=lambda v: v == "1",
        widget=forms.Select(attrs=SELECT),
    )
    head_name = forms.CharField(label="参加的负责人", required=False, max_length=50, widget=forms.TextInput(attrs=TEXT))
    absence_reason = forms.CharField(label="未参加的理由", required=False, widget=forms.TextInput(attrs=TEXT))
    delegate_name = forms.CharField(
        label="受委托参加的工作人员", required=False, max_length=50, widget=forms.TextInput(attrs=TEXT)
    )
    record = forms.CharField(label="听证笔录摘要", required=False, widget=forms.Textarea(attrs=AREA))


class CommitteeForm(NamedErrors, forms.Form):
    ground = forms.ChoiceField(
        label="提请咨询的情形", choices=CommitteeGround.choices, widget=forms.Select(attrs=SELECT)
    )
    members = forms.ModelMultipleChoiceField(
        label="参加咨询的委员", queryset=User.objects.none(), widget=forms.SelectMultiple(attrs=SELECT)
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class AdviceForm(NamedErrors, forms.Form):
    review = forms.ModelChoiceField(
        label="咨询", queryset=CommitteeReview.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    advice = forms.CharField(label="咨询意见", widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args: Any, reviews: QuerySet[CommitteeReview], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["review"]
        field.queryset = reviews  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: f"{r.referred_on:%Y-%m-%d} {r.get_ground_display()}"  # type: ignore[attr-defined]
        first = reviews.first()
        if first is not None:
            field.initial = first.pk


class CorrectionExtensionForm(NamedErrors, forms.Form):
    until = forms.DateField(label="延长后的补正期限", widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(label="申请人不能按期补正的正当理由", widget=forms.Textarea(attrs=AREA))


class SuspendForm(NamedErrors, forms.Form):
    reason = forms.CharField(label="中止原因（行政复议法第39条）", widget=forms.Textarea(attrs=AREA))


class ExtensionForm(NamedErrors, forms.Form):
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs=AREA))
    days = forms.IntegerField(label="延长天数（最多30日）", initial=30, widget=forms.NumberInput(attrs=TEXT))


class ApproveExtensionForm(NamedErrors, forms.Form):
    days = forms.IntegerField(
        label="批准延长天数（1至30日）", initial=30, widget=forms.NumberInput(attrs={**TEXT, "min": 1, "max": 30})
    )


class MediationStartForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(label="方式", choices=MediationKind.choices, widget=forms.Select(attrs=SELECT))
    mediator = forms.CharField(
        label="主持调解的人员或调解和解委员会", required=False, max_length=200, widget=forms.TextInput(attrs=TEXT)
    )


class MediationEndForm(NamedErrors, forms.Form):
    mediation = forms.ModelChoiceField(queryset=Mediation.objects.none(), widget=forms.HiddenInput)
    succeeded = forms.TypedChoiceField(
        label="结果",
        choices=[("1", "达成协议，结案"), ("0", "未达成协议，恢复审理")],
        coerce=lambda v: v == "1",
        widget=forms.Select(attrs=SELECT),
    )
    terms = forms.CharField(label="协议内容（每行一项）", required=False, widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args: Any, mediations: QuerySet[Mediation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediation"].queryset = mediations  # type: ignore[attr-defined]
        current = mediations.first()
        if current is not None:
            self.fields["mediation"].initial = current.pk


class DecideForm(NamedErrors, forms.Form):
    outcome = forms.ChoiceField(label="决定结果", choices=DECISION_CHOICES, widget=forms.Select(attrs=SELECT))
    facts = forms.CharField(
        label="认定的事实（经审理查明）",
        required=False,
        widget=forms.Textarea(attrs=AREA),
        help_text="终止、撤回、和解结案的可不填。",
    )
    grounds = forms.CharField(label="理由和依据（本机关认为）", widget=forms.Textarea(attrs=AREA))
    content = forms.CharField(
        label="决定内容（每行一项）",
        required=False,
        widget=forms.Textarea(attrs=AREA),
        help_text="变更、责令履行必填；维持、驳回、撤销、确认违法、确认无效不填时，决定书写明相应的决定。",
    )


class NonPerformanceForm(NamedErrors, forms.Form):
    particulars = forms.CharField(label="不履行或者拖延履行的情况", widget=forms.Textarea(attrs=AREA))
    perform_by = forms.DateField(label="责令履行期限", widget=forms.DateInput(attrs=DATE))
    number = forms.CharField(label="责令履行通知书文号", max_length=100, widget=forms.TextInput(attrs=TEXT))
    document = forms.FileField(label="责令履行通知书文件", widget=forms.ClearableFileInput(attrs=TEXT))
    interview = forms.BooleanField(label="约谈被申请人有关负责人", required=False)
    criticism = forms.BooleanField(label="予以通报批评", required=False)
    follow_up_note = forms.CharField(
        label="约谈、通报情况（时间、对象）", required=False, widget=forms.Textarea(attrs=AREA)
    )


class ServiceForm(NamedErrors, forms.Form):
    on = forms.DateField(label="送达日期", widget=forms.DateInput(attrs=DATE))


class PublishForm(NamedErrors, forms.Form):
    text = forms.CharField(
        label="公开文本",
        widget=forms.Textarea(attrs={**AREA, "rows": 8}),
        help_text="公开前自动去除申请人的姓名、身份证号、住址和电话（行政复议法第79条）。",
    )


class OpinionForm(NamedErrors, forms.Form):
    number = forms.CharField(label="文号", max_length=100, widget=forms.TextInput(attrs=TEXT))
    text = forms.CharField(label="存在的问题", widget=forms.Textarea(attrs=AREA))
    items = forms.CharField(label="纠正意见（每行一项，记入销账本）", widget=forms.Textarea(attrs=AREA))
    document = forms.FileField(label="意见书文件", widget=forms.ClearableFileInput(attrs=TEXT))
