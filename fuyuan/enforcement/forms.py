"""The forms of enforcement supervision: only what the person types; the workflow checks the rest and names the
field."""

from __future__ import annotations

from typing import Any

from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation
from fuyuan.enforcement.choices import DecisionKind, MajorGround, ReviewConclusion

TEXT = {"class": "form-control", "rows": 3}
DATE = {"class": "form-control", "type": "date"}
SELECT = {"class": "form-select"}


class BodyForm(NamedErrors, forms.Form):
    organisation = forms.ModelChoiceField(
        label="单位", queryset=Organisation.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    legal_basis = forms.CharField(
        label="法定依据", max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "placeholder": "如：《中华人民共和国土地管理法》第五条、第六十七条"}),
    )  # fmt: skip
    scope = forms.CharField(
        label="执法职权范围", max_length=5000,
        widget=forms.Textarea(attrs={**TEXT, "placeholder": "如：土地、矿产资源违法行为的行政处罚、行政强制"}),
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations if organisations is not None else Organisation.objects.none()


class ImportForm(NamedErrors, forms.Form):
    upload = forms.FileField(
        label="考试平台导出的工作簿", help_text="Excel 工作簿（.xlsx），含“执法人员”和/或“培训考试”工作表",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )  # fmt: skip
    dry_run = forms.BooleanField(
        label="只检查，不写入", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


class DecisionForm(NamedErrors, forms.Form):
    title = forms.CharField(label="案件名称", max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    number = forms.CharField(
        label="决定书文号", max_length=100, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    kind = forms.ChoiceField(label="决定类别", choices=DecisionKind.choices, widget=forms.Select(attrs=SELECT))
    ground = forms.ChoiceField(label="重大情形", choices=MajorGround.choices, widget=forms.Select(attrs=SELECT))


class ReviewForm(NamedErrors, forms.Form):
    conclusion = forms.ChoiceField(
        label="审核意见",
        choices=ReviewConclusion.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    opinion = forms.CharField(label="审核意见说明", max_length=5000, widget=forms.Textarea(attrs=TEXT))
    reviewed_on = forms.DateField(label="法制审核日期", widget=forms.DateInput(attrs=DATE))


class DecideForm(NamedErrors, forms.Form):
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput(attrs=DATE))
    number = forms.CharField(
        label="决定书文号", max_length=100, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class FileForm(NamedErrors, forms.Form):
    filed_on = forms.DateField(label="备案日期", widget=forms.DateInput(attrs=DATE))


class LookupForm(NamedErrors, forms.Form):
    number = forms.CharField(
        label="执法证号", max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg", "autocomplete": "off",
                                      "placeholder": "请输入执法人员出示的执法证件上的证号"}),
    )  # fmt: skip
