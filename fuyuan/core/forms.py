from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from fuyuan.core.models import RegionLevel


class LoginForm(AuthenticationForm):
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
