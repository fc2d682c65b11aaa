"""The forms of the citizen's online reconsideration application (网上申请行政复议, SPEC §6.8 item 1): plain words for
a person who has never seen the system, each error naming its field (``NamedErrors`` through ``StyledForm``)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from captcha.fields import CaptchaField
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from fuyuan.core.models import Organisation, OrganisationKind
from fuyuan.core.queries import work_calendar
from fuyuan.core.uploads import check_upload
from fuyuan.deadlines.rules import compute_due
from fuyuan.disputes.forms import MOBILE, ChallengeInput, StyledForm, agencies_of, clean_id_number
from fuyuan.reconsideration.workflow import MATERIAL_TYPES

# How many files one submission may carry (each checked by ``core.uploads``: type, content, at most 20 MB).
MAX_FILES = 10
FILE_HELP = "可以一次选择多个文件（最多10个），每个不超过20MB；只接受 PDF、Word（.doc/.docx）、JPG、PNG"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    """Several files in one input; each is checked like every upload of the site before anything is written."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", FILE_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MaterialsField, self).clean(f, initial) for f in files]
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"{self.label}最多 {MAX_FILES} 个文件（现为 {len(files)} 个）")
        for upload in files:
            check_upload(
                upload,
                accepted=MATERIAL_TYPES,
                not_accepted="不是可接受的文件：只接受 PDF、Word（.doc/.docx）、JPG、PNG",
                error=forms.ValidationError,
            )
        return files


def _challenge() -> CaptchaField:
    """The picture challenge of the public forms (the same as the dispute application's)."""
    return CaptchaField(
        label="验证码",
        widget=ChallengeInput(attrs={"class": "form-control"}),
        error_messages={"invalid": "验证码不正确，请输入新图片中的4个字母", "incomplete": "请输入图片中的4个字母"},
        help_text="请输入图片中的4个字母，不分大小写；看不清可以点“换一张”",
    )


def _clean_phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value)
    if phone and not MOBILE.match(phone):
        raise forms.ValidationError("手机号码应为11位数字，以1开头，如：13912345678")
    return phone


def _clean_known_on(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError("知道该行政行为的日期不能晚于今天，请核对")
    return value


def earliest_timely_known_on(today: datetime.date | None = None) -> datetime.date:
    """The earliest day of knowing the act from which an application made ``today`` is in time: 行政复议法 (2023)
    第20条第1款, 60 days from knowing it (``reconsideration.apply``, a period ending on a holiday ending on the next
    working day), the same count the workflow flags a late application by."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    day = today - datetime.timedelta(days=60)
    while compute_due("reconsideration.apply", day - datetime.timedelta(days=1), calendar).due >= today:
        day -= datetime.timedelta(days=1)
    return day


class ParticularsForm(StyledForm):
    """What the applicant states (行政复议法 (2023) 第22条: the applicant, the respondent, the request, its facts and
    reasons); shared by the application and the applicant's own correction of it."""

    contested_act = forms.CharField(
        label="不服的行政行为",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明哪个机关、什么时间、作出了什么决定，如：某市自然资源局2026年9月1日作出的行政处罚决定",
    )
    act_document_number = forms.CharField(
        label="决定书文号", max_length=100, required=False, help_text="有文书的请填写，如：都自然资罚〔2026〕8号"
    )
    known_on = forms.DateField(
        label="您知道该行政行为的日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="如收到决定书的日期。申请期限一般为自知道之日起60日（行政复议法第20条）",
    )
    request = forms.CharField(
        label="申请事项（行政复议请求）",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="您希望复议机关作出什么决定，如：撤销该行政处罚决定",
    )
    facts_and_reasons = forms.CharField(
        label="事实和理由",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="发生了什么、您认为该行政行为错在哪里；超过60日申请的，请写明耽误的原因",
    )
    applicant_name = forms.CharField(label="申请人姓名", max_length=200)
    applicant_id_number = forms.CharField(label="身份证号码", max_length=18)
    applicant_phone = forms.CharField(label="手机号码", max_length=20, help_text="复议机构会用这个号码联系您")
    applicant_address = forms.CharField(label="住址", max_length=200, help_text="用于邮寄法律文书")

    def clean_applicant_name(self) -> str:
        return str(self.cleaned_data["applicant_name"]).strip()

    def clean_applicant_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["applicant_id_number"])

    def clean_applicant_phone(self) -> str:
        return _clean_phone(self.cleaned_data["applicant_phone"])

    def clean_known_on(self) -> datetime.date | None:
        return _clean_known_on(self.cleaned_data["known_on"])

    def particulars(self) -> dict[str, Any]:
        """The validated values in the shape ``receive_application`` / ``amend_application`` take (a personal field
        left blank on the correction form is not changed)."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in self.fields:
            if name in ("challenge", "materials", "body", "respondent_name", "version"):
                continue
            value = data.get(name)
            values[name] = value.strip() if isinstance(value, str) else value
        return values


class ApplyForm(ParticularsForm):
    """网上申请行政复议."""

    field_order = [
        "body", "respondent_name", "contested_act", "act_document_number", "known_on", "request", "facts_and_reasons",
        "applicant_name", "applicant_id_number", "applicant_phone", "applicant_address", "materials", "challenge",
    ]  # fmt: skip

    body = forms.ModelChoiceField(label="向哪个行政复议机构申请", queryset=Organisation.objects.none())
    respondent_name = forms.CharField(
        label="被申请人（作出该行政行为的机关）",
        max_length=200,
        help_text="请填写机关全称，可以从下拉提示中选择",
        widget=forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"}),
    )
    materials = MaterialsField(label="申请材料")
    challenge = _challenge()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = (
            Organisation.objects.filter(kind=OrganisationKind.JUSTICE_BUREAU)
            .select_related("region")
            .order_by("region__path", "name")
        )
        body.empty_label = "请选择"
        body.help_text = "一般向作出行政行为的机关所属的本级人民政府申请，由其司法局（行政复议机构）办理"
        self.fields["body"].error_messages["required"] = "请选择行政复议机构"
        self.fields["body"].error_messages["invalid_choice"] = "请从列表中选择行政复议机构"
        self.fields["respondent_name"].error_messages["required"] = "请填写被申请人（作出该行政行为的机关）"
        self.respondent: Organisation | None = None
        # The page warns before submitting when the applicant learnt of the act before this day (第20条第1款).
        self.fields["known_on"].widget.attrs["data-apply-limit"] = earliest_timely_known_on().isoformat()

    def known_on_is_late(self) -> bool:
        """The day given as known lies beyond the 60 days (the application is still taken: 第20条第2款)."""
        known_on = getattr(self, "cleaned_data", {}).get("known_on")
        return isinstance(known_on, datetime.date) and known_on < earliest_timely_known_on()

    def agency_names(self) -> list[str]:
        return list(
            Organisation.objects.filter(kind=OrganisationKind.AGENCY).order_by("name").values_list("name", flat=True)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        body, name = data.get("body"), str(data.get("respondent_name") or "").strip()
        if body is not None and name:
            self.respondent = agencies_of(body).filter(name=name).first()
            if self.respondent is None:
                self.add_error(
                    "respondent_name",
                    f"在{body.name}的管辖范围内没有找到“{name}”。请核对机关全称（可从下拉提示中选择），"
                    "或者确认是否选对了行政复议机构",
                )
        return data


class AmendForm(ParticularsForm):
    """The applicant's own correction of the application, before the body starts examining it. The personal numbers
    are never shown back whole: left blank, they stay as they were."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    materials = MaterialsField(label="补充材料")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("applicant_id_number", "applicant_phone", "applicant_address"):
            self.fields[name].required = False
        self.fields["applicant_id_number"].help_text = "不修改请留空"
        self.fields["applicant_phone"].help_text = "不修改请留空"
        self.fields["applicant_address"].help_text = "不修改请留空"

    def particulars(self) -> dict[str, Any]:
        values = super().particulars()
        for name in ("applicant_id_number", "applicant_phone", "applicant_address"):
            if not values.get(name):
                values.pop(name, None)
        return values


class FollowForm(StyledForm):
    """查询办理进度: the receipt number and the follow-up code given at submission."""

    receipt_number = forms.CharField(label="收件编号", max_length=100, help_text="如：云岭州复申〔2026〕000012号")
    code = forms.CharField(
        label="查询码",
        max_length=20,
        help_text="提交申请时页面上显示的8位数字",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class CorrectionForm(StyledForm):
    """补正: the applicant's answer to the 补正通知 and its material."""

    reply = forms.CharField(
        label="补正说明",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="逐项说明补正的内容；材料请在下面上传",
    )
    materials = MaterialsField(label="补正材料")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not self.errors and not str(data.get("reply") or "").strip() and not data.get("materials"):
            self.add_error("reply", "请填写补正说明或者上传补正材料")
        return data
