"""The forms of the typical-case pages (典型案例, SPEC §6.3). Rules are checked by ``typical``; these only parse."""

from __future__ import annotations

from django import forms

from fuyuan.core.forms import NamedErrors

TEXT = {"class": "form-control"}


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class OpenCompilationForm(NamedErrors, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT))
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class TypicalCaseForm(NamedErrors, forms.Form):
    title = forms.CharField(label="标题", max_length=200, widget=forms.TextInput(attrs=TEXT))
    summary = forms.CharField(label="基本案情", required=False, widget=_area(4))
    cause = forms.CharField(label="败诉原因/争议焦点", required=False, widget=_area(3))
    comment = forms.CharField(label="法院点评", required=False, widget=_area(3))
    lesson = forms.CharField(label="启示", required=False, widget=_area(3))
