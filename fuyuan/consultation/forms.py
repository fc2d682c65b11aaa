"""The forms of the risk notice: only what the person types; the workflow checks the rest and names the field."""

from __future__ import annotations

from typing import Any

from django import forms

from fuyuan.consultation.choices import Answer, Concern
from fuyuan.consultation.figures import GROUPINGS
from fuyuan.core.forms import NamedErrors
from fuyuan.stats.forms import default_window

TEXT = {"class": "form-control", "rows": 4}


class SendForm(NamedErrors, forms.Form):
    concerns = forms.MultipleChoiceField(
        label="风险类别",
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="可多选",
    )
    text = forms.CharField(
        label="风险提示内容",
        max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "placeholder": "写明被诉行政行为存在的问题及可能导致败诉的理由"}),
    )


class AnswerForm(NamedErrors, forms.Form):
    answer = forms.ChoiceField(
        label="答复意见", choices=Answer.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    text = forms.CharField(
        label="答复说明",
        max_length=5000,
        widget=forms.Textarea(
            attrs={**TEXT, "placeholder": "如：已撤销原决定并重新作出；与原告达成和解的内容；坚持应诉的理由"}
        ),
    )


class MeetingForm(NamedErrors, forms.Form):
    held_on = forms.DateField(label="会商日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    place = forms.CharField(
        label="地点", max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    participants = forms.CharField(label="参加人员", max_length=5000, widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    minutes = forms.CharField(label="会商纪要", max_length=5000, widget=forms.Textarea(attrs=TEXT))


class PeriodForm(NamedErrors, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label="分组", choices=list(GROUPINGS.items()), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            css = "form-select" if name == "by" else "form-control"
            f.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_window()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        data["by"] = data.get("by") or "agency"
        if "date_from" not in self.errors and "date_to" not in self.errors and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data
