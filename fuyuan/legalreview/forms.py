"""The forms of the legality review: only what the person types; the workflow checks the rest and names the field."""

from __future__ import annotations

from typing import Any

from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import User
from fuyuan.legalreview.choices import Adoption, Conclusion, MatterKind
from fuyuan.legalreview.figures import GROUPINGS
from fuyuan.stats.forms import default_window

TEXT = {"class": "form-control", "rows": 4}
RADIO = {"class": "form-check-input"}


class SubmitForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(
        label="事项类别", choices=MatterKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(label="事项名称", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    text = forms.CharField(
        label="送审内容",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8, "placeholder": "送审文件的正文，或说明送审事项及其依据"}),
    )
    upload = forms.FileField(
        label="送审材料", required=False, help_text="可选，.pdf、.doc 或 .docx，不超过 20 MB",
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )  # fmt: skip


class ReviewerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class AssignForm(NamedErrors, forms.Form):
    reviewer = ReviewerChoice(
        label="承办人", queryset=User.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff if staff is not None else User.objects.none()


class ReturnForm(NamedErrors, forms.Form):
    reason = forms.CharField(label="需补充的材料", max_length=5000, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class MaterialForm(NamedErrors, forms.Form):
    text = forms.CharField(label="补充材料说明", required=False, max_length=20000, widget=forms.Textarea(attrs=TEXT))
    upload = forms.FileField(
        label="补充材料文件", required=False, help_text="可选，.pdf、.doc 或 .docx，不超过 20 MB",
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )  # fmt: skip


class OpinionForm(NamedErrors, forms.Form):
    conclusion = forms.ChoiceField(label="审查结论", choices=Conclusion.choices, widget=forms.RadioSelect(attrs=RADIO))
    text = forms.CharField(
        label="审查意见", max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 6, "placeholder": "写明审查的依据、发现的问题和修改意见"}),
    )  # fmt: skip


class AdoptionForm(NamedErrors, forms.Form):
    adoption = forms.ChoiceField(label="采纳情况", choices=Adoption.choices, widget=forms.RadioSelect(attrs=RADIO))
    reason = forms.CharField(
        label="采纳情况说明", required=False, max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3, "placeholder": "部分采纳或未采纳的，写明理由"}),
    )  # fmt: skip


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
        data["by"] = data.get("by") or "sender"
        if "date_from" not in self.errors and "date_to" not in self.errors and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data
