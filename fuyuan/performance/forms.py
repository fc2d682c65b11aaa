from __future__ import annotations

from typing import Any

from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation
from fuyuan.performance.models import Duty, MeasureKind
from fuyuan.performance.rules import FINE_MAX, FINE_MIN

FILE_HELP = "PDF、Word 或图片（.pdf、.doc、.docx、.jpg、.png），不超过 20 MB"
FILE_ACCEPT = ".pdf,.doc,.docx,.jpg,.jpeg,.png"
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control", "rows": 2}


class TermsForm(NamedErrors, forms.Form):
    duty = forms.ChoiceField(
        label="履行内容类别", choices=Duty.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    text = forms.CharField(
        label="应履行事项", widget=forms.Textarea(attrs=TEXT), help_text="按裁判文书写明，如“支付补偿款 20000 元”"
    )
    due_on = forms.DateField(
        label="履行期限",
        required=False,
        widget=DATE,
        help_text="按裁判文书填写；不填则按本地默认期限（生效之日起 60 日）",
    )


class ReportForm(NamedErrors, forms.Form):
    text = forms.CharField(label="履行情况", widget=forms.Textarea(attrs=TEXT))
    upload = forms.FileField(
        label="履行证明材料",
        required=False,  # the workflow says what is wrong with a missing or bad file, in one place
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": FILE_ACCEPT}),
    )


class ConfirmForm(NamedErrors, forms.Form):
    performed_on = forms.DateField(label="履行完毕日期", widget=DATE)


class NonPerformanceForm(NamedErrors, forms.Form):
    note = forms.CharField(label="未履行情况", max_length=2000, widget=forms.Textarea(attrs=TEXT))


class MeasureForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(
        label="措施（行政诉讼法 第96条）",
        choices=[("", "请选择"), *MeasureKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    taken_on = forms.DateField(label="采取日期", widget=DATE)
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs=TEXT))
    daily_fine = forms.IntegerField(
        label="每日罚款金额（元，罚款时填）",
        required=False,
        min_value=FINE_MIN,
        max_value=FINE_MAX,
        help_text="对行政机关负责人按日处五十元至一百元的罚款（第96条第(二)项）",
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    recipient = forms.ModelChoiceField(
        label="接受司法建议的机关（司法建议时填）",
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    number = forms.CharField(
        label="司法建议书文号", required=False, max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    document = forms.FileField(
        label="司法建议书扫描件",
        required=False,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": FILE_ACCEPT}),
    )

    def __init__(self, *args: Any, recipients: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if recipients is not None:
            self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]


class FigureForm(NamedErrors, forms.Form):
    date_from = forms.DateField(
        label="起始日期（履行期限）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label="分组", choices=[("agency", "按机关"), ("month", "按月份")], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if name == "by" else "form-control form-control-sm"
            )

    def clean_defaults(self) -> dict[str, Any]:
        """The values of an unsubmitted form: this year to today, by agency."""
        from fuyuan.stats.forms import default_window

        start, end = default_window()
        return {"date_from": start, "date_to": end, "by": "agency"}

    def clean(self) -> dict[str, Any]:
        from fuyuan.stats.forms import default_window

        data = super().clean() or {}
        start, end = default_window()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        data["by"] = data.get("by") or "agency"
        if "date_from" not in self.errors and "date_to" not in self.errors and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data
