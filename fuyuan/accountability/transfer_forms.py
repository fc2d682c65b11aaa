"""The forms of the 移送纪委监委 pages (SPEC §6.3; issue 6 §4). Rules are checked by ``transfers``; these only parse,
so a refusal reads the same from the page and from a test of the workflow."""

from __future__ import annotations

from django import forms

from fuyuan.accountability.models import ClueKind
from fuyuan.core.forms import NamedErrors

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class ProposeForm(NamedErrors, forms.Form):
    clue = forms.ChoiceField(
        label="问题线索", choices=ClueKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    facts = forms.CharField(label="线索事实", required=False, widget=_area(4))


class SubmitForm(NamedErrors, forms.Form):
    pass


class TransferForm(NamedErrors, forms.Form):
    on = forms.DateField(label="移送日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    number = forms.CharField(label="移送文号", required=False, max_length=100, widget=forms.TextInput(attrs=TEXT))


class RejectForm(NamedErrors, forms.Form):
    reason = forms.CharField(label="不予移送理由", required=False, widget=_area(3))


class AcknowledgeForm(NamedErrors, forms.Form):
    pass


class AnswerForm(NamedErrors, forms.Form):
    result = forms.CharField(label="处理结果", required=False, widget=_area(4))
