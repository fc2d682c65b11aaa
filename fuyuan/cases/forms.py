"""Registering and editing a case: one form per kind, Chinese labels and messages.

The forms check what a form can (each field's type, the choices the user may make, 案号 uniqueness); the view
saves through ``cases.workflow``, which checks the case rules (``cases.rules``) and writes the Event. A case the
rules refuse comes back as ``CaseInvalid``, and ``show_case_errors`` puts its errors on the fields they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from fuyuan.cases.choices import CaseKind, outcome_choices
from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to
from fuyuan.cases.rules import REQUIRED, SUMMARY_MAX, CaseError, case_errors
from fuyuan.cases.workflow import EDITABLE_FIELDS
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.queries import organisations_visible_to

HEAD_APPEARED_CHOICES = [("", "未填写"), ("True", "是"), ("False", "否")]


class CaseForm(NamedErrors, forms.ModelForm):
    """What both kinds share: parties, subject, conclusion, the chain link, and optimistic locking."""

    kind: str = ""
    layout: tuple[tuple[str, list[str]], ...] = ()

    predecessor_number = forms.CharField(
        label="前序案件案号",
        required=False,
        max_length=100,
        help_text="复议 → 一审 → 二审：本案之前的那一件案件的案号（可不填）",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.kind = self.kind
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            if self.instance.predecessor_id:
                self.fields["predecessor_number"].initial = self.instance.predecessor.number
        visible_orgs = organisations_visible_to(user)
        self._limit_orgs("defendant", visible_orgs, OrganisationKind.AGENCY)
        outcome = forms.ChoiceField(
            label="结案方式",
            choices=[("", "未结案"), *outcome_choices(self.kind).choices],
            required=False,
            error_messages={"invalid_choice": "结案方式“%(value)s”不属于本类案件的结案方式"},
        )
        self.fields["outcome"] = outcome
        for name in REQUIRED[self.kind]:
            self.fields[name].required = True
        for name, field in self.fields.items():
            label = field.label or name
            field.error_messages["required"] = f"请填写{label}"
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                field.error_messages["invalid"] = f"{label}不是有效的日期"
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":  # type: ignore[index]
                field.choices = [("", "未填写"), *field.choices[1:]]  # type: ignore[index]
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = f"所选{label}不在您可选择的范围内"
                field.empty_label = f"请选择{label}"
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.NullBooleanField):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        for name in ("request", "note"):
            self.fields[name].widget.attrs["rows"] = 2
        self.fields["summary"].widget.attrs["rows"] = 4
        self.fields[
            "summary"
        ].help_text = f"案件事实和诉讼请求（申请事项），几句话即可，最多 {SUMMARY_MAX} 字；类案检索据此查找相似案件"

    def _limit_orgs(self, name: str, visible_orgs: Any, kind: str) -> None:
        """The choosable organisations: visible ones of the right kind, and always the case's current one — an
        editor who may change the case must be able to save it unchanged even when, say, its 二审 court is above
        their region (the load test found a fifth of such saves refused)."""
        current = getattr(self.instance, f"{name}_id", None)
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            Q(pk__in=visible_orgs.filter(kind=kind).values("pk")) | Q(pk=current)
        ).order_by("region__path", "name")

    def _fix_to_own_organisation(self, name: str) -> None:
        """A court liaison registers only at their court; a reconsideration body only at itself."""
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(users=self.user)
        field.initial = self.user.organisation_id
        field.disabled = True
        field.help_text = "固定为您所在单位"

    def clean_number(self) -> str:
        number = (self.cleaned_data.get("number") or "").strip()
        if number and Case.objects.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"案号已存在：{number}")
        return number

    def clean_predecessor_number(self) -> Case | None:
        number = (self.cleaned_data.get("predecessor_number") or "").strip()
        if not number:
            return None
        current = self.instance.predecessor if self.instance.predecessor_id else None
        if current is not None and current.number == number:
            return current  # kept as it is, even if the editor's scope does not reach it
        predecessor = visible_to(self.user).filter(number=number).first()
        if predecessor is None:
            raise forms.ValidationError(f"未找到案号为“{number}”的案件")
        if predecessor.pk == self.instance.pk:
            raise forms.ValidationError("前序案件不能是本案")
        return predecessor

    def clean(self) -> dict[str, Any]:
        """The case rules (``cases.rules``) on the case as it would be saved, shown on the fields while the user is
        still on the form; the workflow checks them again when it saves. A field whose own value is already refused
        (not a date, a required field left empty) is not reported twice."""
        data = super().clean() or self.cleaned_data
        values = {f: getattr(self.instance, f, None) for f in EDITABLE_FIELDS if f != "defendant"} | self.case_values()
        errors = case_errors(values, today=timezone.localdate())
        self.show_case_errors([e for e in errors if not any(f in self.errors for f in e.fields)])
        return data

    def show_case_errors(self, errors: list[CaseError]) -> None:
        """The case rules' refusal (``cases.rules.CaseInvalid``) on the fields of this form: each error on the first
        of its fields the form shows, or above the form when it shows none of them."""
        for error in errors:
            name = next((f for f in error.fields if f in self.fields and not self.fields[f].disabled), None)
            if name is None:
                name = next((f for f in error.fields if f in self.fields), None)
            self.add_error(name, error.message)
        self._mark_invalid()

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])

    def validate_unique(self) -> None:
        """案号 uniqueness is checked by ``clean_number`` with a message that names the number."""

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The visible fields grouped as the page shows them, each group a card."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.layout]

    def case_values(self) -> dict[str, Any]:
        """The validated values in the shape ``register_case`` / ``update_case`` take."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data}
        values["kind"] = self.kind
        values["predecessor"] = self.cleaned_data.get("predecessor_number")
        return values


SHARED_FIELDS = [
    "number",
    "defendant",
    "plaintiffs",
    "third_parties",
    "cause",
    "domain",
    "request",
    "summary",
    "amount",
    "group_size",
]


class LitigationForm(CaseForm):
    kind = CaseKind.LITIGATION
    layout = (
        ("基本信息", ["number", "instance", "court", "defendant", "predecessor_number"]),
        (
            "当事人与案情",
            ["plaintiffs", "third_parties", "cause", "domain", "amount", "group_size", "request", "summary"],
        ),
        (
            "关键日期",
            [
                "filed_on",
                "complaint_served_on",
                "defence_submitted_on",
                "hearing_on",
                "judgment_served_on",
                "effective_on",
            ],
        ),
        ("出庭应诉", ["head_appeared", "appeared_head"]),
        ("结案情况", ["concluded_on", "outcome", "note"]),
    )

    class Meta:
        model = Case
        fields = [
            "number",
            "instance",
            "court",
            *SHARED_FIELDS[1:],
            "filed_on",
            "complaint_served_on",
            "defence_submitted_on",
            "hearing_on",
            "head_appeared",
            "appeared_head",
            "concluded_on",
            "outcome",
            "judgment_served_on",
            "effective_on",
            "note",
        ]
        labels = {"defendant": "被告", "plaintiffs": "原告", "request": "诉讼请求"}
        field_classes = {"head_appeared": forms.NullBooleanField}
        widgets = {"head_appeared": forms.Select(choices=HEAD_APPEARED_CHOICES)}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self._limit_orgs("court", organisations_visible_to(user), OrganisationKind.COURT)
        if user.role == Role.COURT_LIAISON:
            self._fix_to_own_organisation("court")


class ReconsiderationForm(CaseForm):
    kind = CaseKind.RECONSIDERATION
    layout = (
        ("基本信息", ["number", "reconsideration_body", "defendant", "predecessor_number"]),
        (
            "当事人与案情",
            ["plaintiffs", "third_parties", "cause", "domain", "amount", "group_size", "request", "summary"],
        ),
        ("收案与受理", ["received_on", "acceptance", "accepted_on", "rejection_reason"]),
        ("结案情况", ["concluded_on", "outcome", "note"]),
    )

    class Meta:
        model = Case
        fields = [
            "number",
            "reconsideration_body",
            *SHARED_FIELDS[1:],
            "received_on",
            "acceptance",
            "accepted_on",
            "rejection_reason",
            "concluded_on",
            "outcome",
            "note",
        ]
        labels = {"defendant": "被申请人", "plaintiffs": "申请人", "request": "申请事项"}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self._limit_orgs("reconsideration_body", organisations_visible_to(user), OrganisationKind.JUSTICE_BUREAU)
        if user.role == Role.RECONSIDERATION_BODY:
            self._fix_to_own_organisation("reconsideration_body")


FORMS: dict[str, type[CaseForm]] = {CaseKind.LITIGATION: LitigationForm, CaseKind.RECONSIDERATION: ReconsiderationForm}
