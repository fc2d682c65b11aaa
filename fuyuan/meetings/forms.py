from __future__ import annotations

from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, User
from fuyuan.meetings.models import MeetingKind, MemberRole

FILE_HELP = "PDF、Word 或图片（.pdf、.doc、.docx、.jpg、.png），不超过 20 MB"
FILE_ACCEPT = ".pdf,.doc,.docx,.jpg,.jpeg,.png"
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}


class MeetingForm(NamedErrors, forms.Form):
    """The meeting's own fields; participants and decisions come as parallel lists (``person_*``, ``decision_*``)."""

    kind = forms.ChoiceField(
        label="会议类别",
        choices=[("", "请选择"), *MeetingKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(label="会议名称", max_length=200, widget=forms.TextInput(attrs=TEXT))
    held_on = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="会议地点", max_length=200, widget=forms.TextInput(attrs=TEXT))
    agenda = forms.CharField(
        label="议题", required=False, help_text="每行一项",
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )  # fmt: skip
    minutes = forms.CharField(label="会议纪要", required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 4}))
    period_from = forms.DateField(
        label="会议材料统计起始日", required=False, widget=DATE, help_text="不填的，为会议当年1月1日"
    )
    period_to = forms.DateField(
        label="会议材料统计截止日", required=False, widget=DATE, help_text="不填的，为会议前一日"
    )


class MemberForm(NamedErrors, forms.Form):
    role = forms.ChoiceField(
        label="身份", choices=[("", "请选择"), *MemberRole.choices], widget=forms.Select(attrs={"class": "form-select"})
    )
    organisation = forms.ModelChoiceField(
        label="单位",
        queryset=Organisation.objects.none(),
        empty_label="请选择",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    person = forms.CharField(
        label="姓名",
        required=False,
        max_length=100,
        help_text="召集人、副召集人必填",
        widget=forms.TextInput(attrs=TEXT),
    )
    post = forms.CharField(label="职务", required=False, max_length=100, widget=forms.TextInput(attrs=TEXT))
    liaison = forms.ModelChoiceField(
        label="联络员",
        required=False,
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    valid_from = forms.DateField(label="任职起始日", widget=DATE)
    valid_to = forms.DateField(label="任职截止日", required=False, widget=DATE)

    def __init__(self, *args, organisations, liaisons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["liaison"].queryset = liaisons  # type: ignore[attr-defined]
        self.fields["liaison"].label_from_instance = lambda u: f"{u.display_name}（{u.organisation}）"  # type: ignore[attr-defined]


class ReportForm(NamedErrors, forms.Form):
    text = forms.CharField(
        label="办理情况",
        error_messages={"required": "办理情况：请填写"},
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )
    upload = forms.FileField(
        label="办理材料（可不传）",
        required=False,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": FILE_ACCEPT}),
    )


class ReturnForm(NamedErrors, forms.Form):
    note = forms.CharField(
        label="退回意见",
        max_length=1000,
        error_messages={"required": "退回意见：请写明需要继续办理或补充的内容"},
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class MinutesForm(NamedErrors, forms.Form):
    minutes = forms.CharField(
        label="会议纪要",
        error_messages={"required": "会议纪要：请填写"},
        widget=forms.Textarea(attrs={**TEXT, "rows": 5}),
    )
