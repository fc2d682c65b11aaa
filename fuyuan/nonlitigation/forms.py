"""The forms of the non-litigation enforcement pages: registration and one per step. They only parse; the workflow
says what is wrong with the values (dates in order, the date one may apply), and the view puts it next to the form."""

from __future__ import annotations

from django import forms

from fuyuan.accountability.models import LossCause
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, OrganisationKind
from fuyuan.nonlitigation.choices import REFUSAL_CAUSES, ExecutionResult, Ruling

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 2})
SELECT = forms.Select(attrs={"class": "form-select"})


class RegisterForm(NamedErrors, forms.Form):
    decision_number = forms.CharField(label="行政决定文号", max_length=100, widget=TEXT)
    decision_date = forms.DateField(label="行政决定日期", widget=DATE)
    decision_summary = forms.CharField(label="决定内容（当事人应履行的义务）", widget=AREA)
    party_name = forms.CharField(label="当事人", max_length=200, widget=TEXT)
    party_id_number = forms.CharField(
        label="当事人身份证号/统一社会信用代码", max_length=18, required=False, widget=TEXT
    )
    served_on = forms.DateField(label="行政决定送达日期", widget=DATE)
    remedy_end_on = forms.DateField(
        label="复议/诉讼期限届满日（可不填）",
        required=False,
        widget=DATE,
        help_text="不填的，按送达之日起六十日（申请行政复议）和六个月（提起行政诉讼）中较晚者计算",
    )


class ReminderForm(NamedErrors, forms.Form):
    number = forms.CharField(label="催告书文号", max_length=100, widget=TEXT)
    served_on = forms.DateField(label="催告书送达日期", widget=DATE)


class ApplicationForm(NamedErrors, forms.Form):
    court = forms.ModelChoiceField(
        label="受理法院", queryset=Organisation.objects.none(), empty_label="请选择", widget=SELECT
    )
    applied_on = forms.DateField(label="申请执行日期", widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = Organisation.objects.filter(kind=OrganisationKind.COURT)  # type: ignore[attr-defined]


class AcceptanceForm(NamedErrors, forms.Form):
    accepted_on = forms.DateField(label="受理日期", widget=DATE)
    court_case_number = forms.CharField(label="法院案号", max_length=100, widget=TEXT)
    hears_parties = forms.BooleanField(
        label="听取被执行人和行政机关的意见（第58条，三十日内裁定）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class RulingForm(NamedErrors, forms.Form):
    ruling = forms.ChoiceField(
        label="裁定结果", choices=Ruling.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    ruled_on = forms.DateField(label="裁定日期", widget=DATE)
    ruling_number = forms.CharField(label="裁定书文号", max_length=100, widget=TEXT)
    causes = forms.MultipleChoiceField(
        label="不准予执行原因",
        required=False,
        choices=[(str(c), LossCause(c).label) for c in REFUSAL_CAUSES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    reasons = forms.CharField(label="不准予执行理由", required=False, widget=AREA)


class HandOverForm(NamedErrors, forms.Form):
    executing_body = forms.ModelChoiceField(label="组织实施机关", queryset=Organisation.objects.none(), widget=SELECT)
    handed_over_on = forms.DateField(label="移交日期", widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executing_body"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.AGENCY
        )


class ExecutionForm(NamedErrors, forms.Form):
    result = forms.ChoiceField(label="执行结果", choices=[("", "请选择"), *ExecutionResult.choices], widget=SELECT)
    executed_on = forms.DateField(label="执行结果日期", widget=DATE)
    text = forms.CharField(label="执行情况", widget=AREA)
