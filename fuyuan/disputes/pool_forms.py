"""The forms of the coordinator pool's pages (专业协调员库): they read what was typed, with a Chinese message naming
the field; ``disputes.workflow`` checks the rights and the invariants again and writes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from fuyuan.cases.choices import Domain
from fuyuan.core.forms import NamedErrors, RegionChoiceField
from fuyuan.core.models import Organisation, Region, User
from fuyuan.disputes.forms import PHONE, StyledForm
from fuyuan.disputes.models import Coordinator
from fuyuan.disputes.workflow import MAX_LOAD_RANGE

ACTIVE, REMOVED = "active", "removed"
AVAILABLE, UNAVAILABLE = "yes", "no"


class PoolFilterForm(NamedErrors, forms.Form):
    """The list's filters, as GET parameters (bookmarkable). Anything unreadable is ignored, never an error."""

    status = forms.ChoiceField(label="在库情况", choices=[(ACTIVE, "在库"), (REMOVED, "已移出")], required=False)
    domain = forms.ChoiceField(label="擅长领域", choices=[("", "全部领域"), *Domain.choices], required=False)
    available = forms.ChoiceField(
        label="可接受指派",
        choices=[("", "全部"), (AVAILABLE, "可接受指派"), (UNAVAILABLE, "暂不可指派")],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""

    def apply(self, pool: QuerySet[Coordinator], *, today: datetime.date) -> QuerySet[Coordinator]:
        pool = pool.filter(active=self.value("status") != REMOVED)
        domain = self.value("domain")
        if domain:
            # ``domains`` is a JSON list; a containment lookup is not on SQLite, so match the quoted code.
            pool = pool.filter(domains__icontains=f'"{domain}"')
        # The same test as ``Coordinator.is_available_on`` (which the proposal uses), in SQL.
        free = Q(available=True) & (Q(unavailable_until__isnull=True) | Q(unavailable_until__lt=today))
        if self.value("available") == AVAILABLE:
            pool = pool.filter(free)
        elif self.value("available") == UNAVAILABLE:
            pool = pool.exclude(free)
        return pool


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.username}）"


class CoordinatorForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    title = forms.CharField(
        label="职务/职称", max_length=100, required=False, help_text="如：退休法官、律师、高级工程师"
    )
    organisation = forms.ModelChoiceField(label="所在单位", queryset=Organisation.objects.none())
    region = RegionChoiceField(label="所在地区", queryset=Region.objects.none())
    domains = forms.MultipleChoiceField(
        label="擅长领域", choices=Domain.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.CharField(label="专长说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    available = forms.BooleanField(label="可接受指派", required=False, initial=True)
    unavailable_until = forms.DateField(
        label="暂不可指派至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="出差、休假等期间填写，这一天之后恢复指派；取消勾选「可接受指派」则一直不指派",
    )
    max_load = forms.IntegerField(label="同时承办上限", min_value=MAX_LOAD_RANGE[0], max_value=MAX_LOAD_RANGE[1])
    user = AccountChoiceField(
        label="登录账号",
        queryset=User.objects.none(),
        required=False,
        help_text="关联后，该协调员登录即可在「我的协调任务」中办理指派给他的争议",
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        regions: QuerySet[Region],
        accounts: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        scoped: list[tuple[str, QuerySet[Any], str]] = [
            ("organisation", organisations.select_related("region"), "请选择所在单位"),
            ("region", regions, "请选择所在地区"),
            ("user", accounts, "不关联"),
        ]
        for name, queryset, empty in scoped:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
            field.empty_label = empty
            field.error_messages["invalid_choice"] = f"所选{field.label}不在本中心可选的范围内"
            field.error_messages["required"] = f"请选择{field.label}"
        self.fields["domains"].error_messages["invalid_choice"] = "擅长领域中有无法识别的领域"
        self.fields["domains"].widget.attrs["class"] = "form-check-input"
        self.fields["unavailable_until"].error_messages["invalid"] = "暂不可指派至不是有效的日期"
        low, high = MAX_LOAD_RANGE
        for key in ("min_value", "max_value", "invalid"):
            self.fields["max_load"].error_messages[key] = f"同时承办上限应为 {low} 到 {high} 之间的整数"
        self.fields["max_load"].widget.attrs.update({"min": low, "max": high})
        if not self.is_bound and "max_load" not in self.initial:
            self.initial["max_load"] = Coordinator._meta.get_field("max_load").default

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("请填写姓名")
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("联系电话格式不正确")
        return phone

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def coordinator_initial(c: Coordinator) -> dict[str, Any]:
    return {
        "name": c.name,
        "title": c.title,
        "organisation": c.organisation_id,
        "region": c.region_id,
        "domains": list(c.domains),
        "expertise": c.expertise,
        "phone": c.phone,
        "available": c.available,
        "unavailable_until": c.unavailable_until,
        "max_load": c.max_load,
        "user": c.user_id,
    }


class ConflictForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label="回避单位", queryset=Organisation.objects.none(), required=False, help_text="争议的被申请行政机关"
    )
    person_name = forms.CharField(label="回避当事人", max_length=100, required=False, help_text="申请人的姓名或名称")
    reason = forms.CharField(label="回避事由", max_length=200)
    declared_on = forms.DateField(label="申报日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, agencies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        field.empty_label = "（不涉及单位）"
        field.error_messages["invalid_choice"] = "所选回避单位不在本中心可选的范围内"
        self.fields["declared_on"].error_messages["invalid"] = "申报日期不是有效的日期"
        self.fields["declared_on"].initial = timezone.localdate()

    def clean_declared_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["declared_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("申报日期不能晚于今天")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("organisation") is None and not data.get("person_name", "").strip() and not self.errors:
            self.add_error(None, "请选择回避单位或填写回避当事人（至少一项）")
        return data


class WithdrawConflictForm(StyledForm):
    reason = forms.CharField(label="撤回理由", max_length=200)
