from __future__ import annotations

from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation
from fuyuan.rectification.models import RecommendationKind

FILE_HELP = "PDF、Word 或图片（.pdf、.doc、.docx、.jpg、.png），不超过 20 MB"
FILE_ACCEPT = ".pdf,.doc,.docx,.jpg,.jpeg,.png"
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class RegisterForm(NamedErrors, forms.Form):
    """The document's fields; the items come as parallel lists (``item_text``/``item_owner``/``item_due``)."""

    kind = forms.ChoiceField(
        label="文书类别",
        choices=[("", "请选择"), *RecommendationKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    number = forms.CharField(label="文号", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    issuer = forms.ModelChoiceField(
        label="发出单位", queryset=Organisation.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    recipient = forms.ModelChoiceField(
        label="被建议单位", queryset=Organisation.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    issued_on = forms.DateField(label="发出日期", widget=DATE)
    stated_due_on = forms.DateField(
        label="文书规定的整改期限", required=False, widget=DATE, help_text="文书未另定期限的，自发出之日起两个月"
    )
    document = forms.FileField(
        label="文书扫描件",
        required=False,  # the workflow says what is wrong with a missing or bad file, in one place
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": FILE_ACCEPT}),
    )
    summary = forms.CharField(
        label="主要内容", required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )

    def __init__(self, *args, issuers, recipients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers  # type: ignore[attr-defined]
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]


class ReportForm(NamedErrors, forms.Form):
    text = forms.CharField(
        label="整改情况",
        error_messages={"required": "请填写整改情况"},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    upload = forms.FileField(
        label="整改材料（可不传）",
        required=False,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": FILE_ACCEPT}),
    )


class ReturnForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label="退回意见",
        max_length=1000,
        error_messages={"required": "退回时请写明需要继续整改或补充的内容"},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
