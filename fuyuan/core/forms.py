"""Forms every app uses: the log-in form, the region choice, and ``NamedErrors``, the mixin through which every form
of the project tells a person which field is wrong and by how much, in plain Chinese."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.forms import BaseForm

from fuyuan.core.models import RegionLevel

# Django's own messages name neither the field nor, for some, the limit ("确保该变量包含不超过 100 字符", "该字段是必填项").
# Each code below gets a message naming the field by its label ({label}); the %(…)s parameters are Django's own
# (the limit, the length typed, the value chosen). A message the form sets itself is kept.
TEXT_MESSAGES = {
    "required": "请填写{label}",
    "max_length": "{label}不能超过 %(limit_value)d 个字（现为 %(show_value)d 个）",
    "min_length": "{label}至少要 %(limit_value)d 个字（现为 %(show_value)d 个）",
}
NUMBER_MESSAGES = {
    "required": "请填写{label}",
    "invalid": "{label}应为数字",
    "max_value": "{label}不能大于 %(limit_value)s",
    "min_value": "{label}不能小于 %(limit_value)s",
    "max_digits": "{label}最多 %(max)s 位数字",
    "max_decimal_places": "{label}最多 %(max)s 位小数",
    "max_whole_digits": "{label}的整数部分最多 %(max)s 位",
}
DATE_MESSAGES = {
    "required": "请填写{label}",
    "invalid": "{label}不是有效的日期（如 2026-03-02）",
    "max_value": "{label}不能晚于 %(limit_value)s",
    "min_value": "{label}不能早于 %(limit_value)s",
}
CHOICE_MESSAGES = {
    "required": "请选择{label}",
    "invalid_choice": "{label}中没有“%(value)s”这一项，请重新选择",
    "invalid_list": "请选择{label}",
}
FILE_MESSAGES = {
    "required": "请选择要上传的{label}",
    "empty": "上传的{label}是空文件",
    "invalid": "{label}不是文件，请重新选择",
    "missing": "没有收到{label}，请重新选择",
    "max_length": "{label}的文件名不能超过 %(max)d 个字（现为 %(length)d 个）",
}
# By field class, the most specific first (a ModelChoiceField is a ChoiceField; an IntegerField a number).
MESSAGES_BY_FIELD: tuple[tuple[type[forms.Field], dict[str, str]], ...] = (
    (forms.ModelChoiceField, {**CHOICE_MESSAGES, "invalid_choice": "所选的{label}已不可选，请重新选择"}),
    (forms.ModelMultipleChoiceField, {**CHOICE_MESSAGES, "invalid_choice": "所选的{label}已不可选，请重新选择"}),
    (forms.ChoiceField, CHOICE_MESSAGES),
    (forms.BooleanField, {"required": "请勾选“{label}”"}),
    (forms.FileField, FILE_MESSAGES),
    (forms.DateTimeField, {**DATE_MESSAGES, "invalid": "{label}不是有效的日期和时间（如 2026-03-02 09:30）"}),
    (forms.DateField, DATE_MESSAGES),
    (forms.TimeField, {"required": "请填写{label}", "invalid": "{label}不是有效的时间（如 09:30）"}),
    (forms.IntegerField, {**NUMBER_MESSAGES, "invalid": "{label}应为整数"}),
    (forms.DecimalField, NUMBER_MESSAGES),
    (forms.FloatField, NUMBER_MESSAGES),
    (forms.EmailField, {**TEXT_MESSAGES, "invalid": "{label}不是有效的电子邮箱地址"}),
    (forms.CharField, TEXT_MESSAGES),
    (forms.Field, {"required": "请填写{label}"}),
)


def field_name(field: forms.Field) -> str:
    """What a message calls the field: its label without an explanation in brackets or a closing colon
    ("起算日（送达、收到或作出之日）" is 起算日); a field without a label (a hidden one) is 此项, never its code name."""
    label = str(field.label or "此项")
    return re.split(r"[（(]", label, maxsplit=1)[0].strip().rstrip("：:") or label


def name_errors(field: forms.Field) -> None:
    """Give ``field`` messages naming it, for every code whose message is still Django's own."""
    messages = next(m for cls, m in MESSAGES_BY_FIELD if isinstance(field, cls))
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    label = field_name(field).replace("%", "%%")
    for code, message in messages.items():
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = message.format(label=label)


class NamedErrors(BaseForm):
    """The base of every form of the project (before ``forms.Form`` or ``forms.ModelForm``): each error says which
    field and what limit, "案号不能超过 100 个字（现为 120 个）", instead of Django's "确保该变量包含不超过 100 字符".

    The messages are set when the form is validated, so a label, a limit or a field a form sets in its own
    ``__init__`` is named too. Why a mixin and not a translation (LOCALE_PATHS): a translated message of Django's
    cannot know the field's label, and a summary of errors above a form must say which field each is about."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            name_errors(field)
        super().full_clean()


class LoginForm(NamedErrors, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class RegionChoiceField(forms.ModelChoiceField):
    """Regions indented by level, so the tree reads as a tree (黔南州, then its counties)."""

    def label_from_instance(self, obj: Any) -> str:
        depth = max(obj.level - RegionLevel.PREFECTURE, 0)
        return "\u3000" * depth + obj.name


def date_param(value: str | None) -> datetime.date | None:
    """A date given in a page's query string (``?from=2026-01-01``): None when it is missing or not a date."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
