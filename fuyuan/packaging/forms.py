"""The packaging forms: they parse; ``packaging.workflow`` decides."""

from __future__ import annotations

import re

from django import forms

from fuyuan.cases import queries as case_queries
from fuyuan.cases.models import Case
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Role, User
from fuyuan.packaging.models import PackageKind, PackageState

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3, "class": "form-control"})
LINE = forms.TextInput(attrs={"class": "form-control"})
SELECT = forms.Select(attrs={"class": "form-select"})
# 案号 are separated by new lines, commas or 顿号 (a 案号 itself holds none of these).
SEPARATORS = re.compile(r"[\n\r,，、;；]+")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.region.name if obj.region else ''}）"


def leaders_for(user: User) -> LeaderChoiceField:
    """The leaders of the office's region subtree: the only ones it may package to."""
    region = user.scope_region
    qs = User.objects.filter(is_active=True, role=Role.LEADER)
    qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    return LeaderChoiceField(qs.select_related("region").order_by("region__path", "full_name"), label="包案领导",
                             widget=SELECT)  # fmt: skip


class CaseNumbersField(forms.CharField):
    """案号, one per line: each must name a case the user sees."""

    def __init__(self, user: User) -> None:
        self.user = user
        super().__init__(label="案号", widget=TEXT, help_text="每行一个案号；套案、群体性案件可填多件")

    def clean(self, value: object) -> list[Case]:
        text = super().clean(value)
        numbers = list(dict.fromkeys(n.strip() for n in SEPARATORS.split(text or "") if n.strip()))
        if not numbers:
            raise forms.ValidationError("请至少填写一个案号")
        found = {
            c.number: c for c in case_queries.visible_to(self.user).filter(number__in=numbers).select_related("region")
        }
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"在您的管辖范围内找不到案件：{'、'.join(missing)}")
        return [found[n] for n in numbers]


class PackageForm(NamedErrors, forms.Form):
    kind = forms.ChoiceField(label="包案类型", choices=PackageKind.choices, widget=SELECT)
    goal = forms.CharField(label="化解目标", widget=TEXT)
    due_on = forms.DateField(label="完成期限", widget=DATE)

    def __init__(self, *args: object, user: User, edit: bool = False, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["cases"] = CaseNumbersField(user)
        if edit:
            del self.fields["kind"]
        else:
            self.fields["leader"] = leaders_for(user)
        self.order_fields(["kind", "leader", "cases", "goal", "due_on"])


class ProgressForm(NamedErrors, forms.Form):
    reported_on = forms.DateField(label="报送日期", widget=DATE)
    text = forms.CharField(label="进展情况", widget=TEXT)


class InterviewForm(NamedErrors, forms.Form):
    held_on = forms.DateField(label="约谈日期", widget=DATE)
    interviewer = forms.CharField(label="约谈人", max_length=100, widget=LINE)
    interviewee = forms.CharField(label="被约谈人", max_length=100, widget=LINE)
    conclusions = forms.CharField(label="约谈结论", widget=TEXT)


class CloseForm(NamedErrors, forms.Form):
    state = forms.ChoiceField(
        label="结束方式",
        choices=[(s.value, s.label) for s in (PackageState.RESOLVED, PackageState.UNRESOLVED, PackageState.WITHDRAWN)],
        widget=SELECT,
    )
    note = forms.CharField(label="说明", required=False, widget=TEXT, help_text="未化解结案或撤销时必填")
