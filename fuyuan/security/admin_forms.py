"""Forms of the administrators' pages. They parse and say what is wrong; ``admins.py`` decides and acts."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import ADMIN_ROLES, Organisation, Region, Role
from fuyuan.security.admins import BUSINESS_ROLES, scope_problems

MOBILE = re.compile(r"^1\d{10}$")


class _Bootstrap:
    """Bootstrap classes on every widget (the pages follow the look of the rest of the product)."""

    def style(self: Any) -> None:
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


class _NewPassword(NamedErrors, forms.Form):
    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="告知本人，首次登录后修改",
    )
    password2 = forms.CharField(
        label="再次输入", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致")
        return data


class AccountForm(_Bootstrap, _NewPassword):
    username = forms.CharField(
        label="用户名", max_length=150, validators=[UnicodeUsernameValidator()], help_text="登录用，字母、数字或 @.+-_"
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号码", max_length=20, required=False, help_text="用于短信提醒，可不填")
    field_order = ["username", "full_name", "mobile", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def clean_mobile(self) -> str:
        mobile = self.cleaned_data["mobile"].strip()
        if mobile and not MOBILE.match(mobile):
            raise forms.ValidationError("手机号码应为 11 位数字，以 1 开头")
        return mobile


class PasswordResetForm(_Bootstrap, _NewPassword):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "临时密码"
        self.fields["password1"].help_text = "告知本人，下次登录时须修改"
        self.style()


class ReasonForm(_Bootstrap, NamedErrors, forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=200,
        widget=forms.TextInput(),
        error_messages={"required": "请填写原因（记入账号记录）"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_level_display()}）"


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class RoleForm(_Bootstrap, NamedErrors, forms.Form):
    role = forms.ChoiceField(
        label="角色",
        choices=[
            ("", "请选择"),
            ("业务角色", [(r.value, r.label) for r in BUSINESS_ROLES]),
            ("三员（不得查阅案件内容，不带地区和单位）", [(r.value, r.label) for r in Role if r in ADMIN_ROLES]),
        ],
    )
    region = RegionChoice(
        label="所属地区",
        queryset=Region.objects.all(),
        required=False,
        empty_label="（无）",
        help_text="依法治办、领导、协调员按地区确定范围",
    )
    organisation = OrganisationChoice(
        label="所属单位",
        queryset=Organisation.objects.select_related("region"),
        required=False,
        empty_label="（无）",
        help_text="法院、复议机构、机关、协调化解中心、纪委监委的联络员按单位确定范围",
    )
    is_head = forms.BooleanField(label="负责人（接收督办升级）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role:
            for problem in scope_problems(role, data.get("region"), data.get("organisation")):
                self.add_error("region" if "地区" in problem else "organisation", problem)
        return data


class UnlockForm(NamedErrors, forms.Form):
    username = forms.CharField(max_length=255)
