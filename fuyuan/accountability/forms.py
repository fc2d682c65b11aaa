from __future__ import annotations

from django import forms

from fuyuan.core.forms import NamedErrors


class ReportUploadForm(NamedErrors, forms.Form):
    report = forms.FileField(
        label="书面报告",
        required=False,  # the workflow says what is wrong with a missing or bad file, in one place
        help_text="PDF 或 Word（.pdf、.doc、.docx），不超过 20 MB",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.doc,.docx"}),
    )


class AcceptForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label="审核意见（可不填）",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ReturnForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label="退回意见",
        max_length=1000,
        error_messages={"required": "退回时请写明需要补充或修改的内容"},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
