"""The forms of the loss-review page (败诉问责, SPEC §6.3): one per step. Rules are checked by ``losses``; these only
parse, so a refusal reads the same from the page and from a test of the workflow."""

from __future__ import annotations

from django import forms

from fuyuan.accountability.models import LossCause
from fuyuan.core.forms import NamedErrors

TEXT = {"class": "form-control"}
DATE = {"class": "form-control", "type": "date"}


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class NoticeForm(NamedErrors, forms.Form):
    on = forms.DateField(label="通报日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    number = forms.CharField(label="通报文号", required=False, max_length=100, widget=forms.TextInput(attrs=TEXT))
    text = forms.CharField(label="通报内容", required=False, widget=_area(4))


class AnalysisForm(NamedErrors, forms.Form):
    causes = forms.MultipleChoiceField(
        label="败诉原因（可多选）",
        choices=LossCause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    analysis = forms.CharField(label="原因分析", required=False, widget=_area(4))
    responsible_persons = forms.CharField(label="责任人员", required=False, widget=_area(2))
    measures = forms.CharField(label="整改措施", required=False, widget=_area(3))


class InterviewForm(NamedErrors, forms.Form):
    on = forms.DateField(label="约谈日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    interviewer = forms.CharField(label="约谈人（政府领导）", required=False, max_length=200,
                                  widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    interviewee = forms.CharField(label="被约谈人（败诉机关负责人）", required=False, max_length=200,
                                  widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    conclusions = forms.CharField(label="约谈结论", required=False, widget=_area(3))


class DecisionForm(NamedErrors, forms.Form):
    accountable = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "追责"), ("0", "不予追责")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择追责或不予追责"},
    )
    decision = forms.CharField(label="追责决定 / 不予追责理由", required=False, widget=_area(3))


class CommentForm(NamedErrors, forms.Form):
    procedure = forms.CharField(label="程序方面", required=False, widget=_area(2))
    substance = forms.CharField(label="实体方面", required=False, widget=_area(2))
    appearance = forms.CharField(label="出庭应诉方面", required=False, widget=_area(2))
