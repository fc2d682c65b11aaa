"""The figures page's filter: region, window and grouping, all in the URL so a view can be bookmarked."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from fuyuan.core.forms import NamedErrors, RegionChoiceField
from fuyuan.core.models import Region, User
from fuyuan.core.queries import regions_visible_to
from fuyuan.stats.figures import ALL_GROUPINGS, GROUPINGS


def default_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From 1 January of this year to today."""
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today


class FigureFilterForm(NamedErrors, forms.Form):
    region = RegionChoiceField(label="地区", queryset=Region.objects.none(), required=False, empty_label="全部")
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label="分组", choices=list(GROUPINGS.items()), required=False)

    def __init__(self, user: User, *args: Any, with_disputes: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_field = self.fields["by"]
        assert isinstance(by_field, forms.ChoiceField)
        # 协调化解中心 and 协调员 group disputes only: offered to those who see the centre's figures.
        by_field.choices = list((ALL_GROUPINGS if with_disputes else GROUPINGS).items())
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions_visible_to(user)
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_window()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        data["by"] = data.get("by") or "county"
        if "date_from" not in self.errors and "date_to" not in self.errors and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data
