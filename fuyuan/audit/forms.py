"""The audit administrator's search."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from fuyuan.audit.models import AuditKind
from fuyuan.audit.queries import TARGET_TYPES
from fuyuan.core.forms import NamedErrors


class AuditSearchForm(NamedErrors, forms.Form):
    username = forms.CharField(label="账号", required=False, max_length=150)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *AuditKind.choices])
    date_from = forms.DateField(
        label="起始日期", required=False, error_messages={"invalid": "起始日期应为 YYYY-MM-DD，例如 2026-01-31"}
    )
    date_to = forms.DateField(
        label="截止日期", required=False, error_messages={"invalid": "截止日期应为 YYYY-MM-DD，例如 2026-01-31"}
    )
    ip = forms.CharField(label="来源地址", required=False, max_length=200)
    target_type = forms.ChoiceField(label="对象类型", required=False, choices=[("", "全部"), *TARGET_TYPES.items()])
    target_id = forms.CharField(label="对象编号", required=False, max_length=200)
    q = forms.CharField(label="摘要包含", required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "target_type"):
            self.fields[name].error_messages["invalid_choice"] = f"{self.fields[name].label}「%(value)s」不存在"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.date | None = data.get("date_from")
        end: datetime.date | None = data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(f"起始日期 {start:%Y-%m-%d} 晚于截止日期 {end:%Y-%m-%d}")
        if data.get("target_id") and not data.get("target_type"):
            self.add_error("target_type", "按对象编号查找时，请同时选择对象类型")
        return data
