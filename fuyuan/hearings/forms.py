"""The hearing forms: they only read what was typed; ``hearings.workflow`` decides and says why not."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from fuyuan.cases.choices import AbsenceReason, CaseKind
from fuyuan.cases.models import Case
from fuyuan.cases.queries import editable_by
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Role, User

YES_NO = [("yes", "是"), ("no", "否")]
PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
# A datalist is a typing aid, not the rule: a number typed that is not in it is still looked up.
CASE_SUGGESTIONS = 300


def _style(form: forms.Form) -> None:
    """Bootstrap classes and Chinese messages for every field, as on the case forms."""
    for name, field in form.fields.items():
        field.error_messages["required"] = f"请填写{field.label or name}"
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def registrable_cases(user: User) -> QuerySet[Case]:
    """The cases a user may register a hearing notice for: pending litigation they may edit, of any instance
    (法释〔2020〕3号 第1条: the head appears at first instance, second instance and retrial alike; the figures count
    the first instance only). The court its own cases, the 依法治办 those of its region; ``workflow.can_register``
    has the last word."""
    if user.role not in {Role.COURT_LIAISON, Role.RULE_OF_LAW_OFFICE}:
        return Case.objects.none()
    return editable_by(user).filter(
        kind=CaseKind.LITIGATION, court__isnull=False, concluded_on__isnull=True, outcome=""
    )


class RegisterHearingForm(NamedErrors, forms.Form):
    case_number = forms.CharField(label="案号", max_length=100, widget=forms.TextInput(attrs={"list": "case-numbers"}))
    held_on = forms.DateField(label="开庭日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(
        label="开庭时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    courtroom = forms.CharField(label="法庭", max_length=100, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.case: Case | None = None
        _style(self)
        self.fields["held_on"].error_messages["invalid"] = "开庭日期不是有效的日期"
        self.fields["starts_at"].error_messages["invalid"] = "开庭时间应为 时:分，如 09:30"
        self.fields["courtroom"].widget.attrs["placeholder"] = "如：第三审判庭"
        self.fields["case_number"].widget.attrs["placeholder"] = "输入案号，或从列表中选择审理中的案件"

    def suggestions(self) -> list[str]:
        cases = registrable_cases(self.user).order_by("-filed_on", "-id")
        return list(cases.values_list("number", flat=True)[:CASE_SUGGESTIONS])

    def clean_case_number(self) -> str:
        number = self.cleaned_data["case_number"].strip()
        case = registrable_cases(self.user).filter(number=number).select_related("court").first()
        if case is None:
            raise forms.ValidationError(
                f"未找到案号“{number}”：只能为您可登记的审理中的一审行政诉讼案件登记开庭通知，请核对案号"
            )
        self.case = case
        return number


class DesignateForm(NamedErrors, forms.Form):
    name = forms.CharField(
        label="出庭负责人姓名",
        max_length=50,
        widget=forms.TextInput(attrs={"list": "roster", "autocomplete": "off"}),
        help_text="须为开庭当日有效的本单位负责人名册中的人员（法释〔2020〕3号 第2条）",
    )
    phone = forms.CharField(label="手机号码（选填，用于短信提醒）", max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["name"].error_messages["required"] = "请填写出庭负责人姓名"

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("手机号码格式不正确")
        return phone


class ExplainAbsenceForm(NamedErrors, forms.Form):
    reason = forms.ChoiceField(label="不能出庭事由", choices=[("", "请选择法定事由"), *AbsenceReason.choices])
    explanation = forms.CharField(label="书面说明", widget=forms.Textarea(attrs={"rows": 3}))
    delegate_name = forms.CharField(label="委托出庭工作人员", max_length=50)
    delegate_title = forms.CharField(label="职务", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["reason"].error_messages["required"] = "请选择不能出庭事由"
        self.fields["reason"].error_messages["invalid_choice"] = "请选择法定的不能出庭事由"


class AttendanceForm(NamedErrors, forms.Form):
    appeared = forms.ChoiceField(label="负责人是否出庭", choices=YES_NO, widget=forms.RadioSelect)
    head_name = forms.CharField(label="实际出庭负责人", max_length=50, required=False)
    spoke = forms.ChoiceField(
        label="负责人是否出声（就实质性化解争议发言）", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    speech = forms.CharField(label="发言要点", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["appeared"].error_messages["required"] = "请选择负责人是否出庭"

    def workflow_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        spoke = {"yes": True, "no": False}.get(data["spoke"])
        return {
            "appeared": data["appeared"] == "yes",
            "head_name": data["head_name"],
            "spoke": spoke,
            "speech": data["speech"],
        }


class CancelForm(NamedErrors, forms.Form):
    reason = forms.CharField(
        label="取消原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "如：延期审理、原告撤诉"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["reason"].error_messages["required"] = "请填写取消原因"
