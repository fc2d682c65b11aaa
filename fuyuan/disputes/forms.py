"""The coordination centre's forms: they read what was typed; ``disputes.workflow`` decides and says why not."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, cast

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import format_lazy

from fuyuan.cases.choices import ActType, CaseKind, Domain
from fuyuan.cases.models import Case
from fuyuan.core.deployment import example_agency_lazy
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, OrganisationKind
from fuyuan.disputes.choices import (
    CLOSED_AFTER_MEDIATION as CLOSED_AFTER_MEDIATION_OUTCOMES,
)
from fuyuan.disputes.choices import (
    OPEN_STATES,
    AssignmentRole,
    ConsentWay,
    DisputeOutcome,
    DisputeState,
    MeetingKind,
    ParticipantRole,
    Source,
    Urgency,
    WithdrawalReason,
)
from fuyuan.disputes.choices import RESOLVED as RESOLVED_DISPUTES
from fuyuan.disputes.models import Assignment, Coordinator, Dispute
from fuyuan.disputes.workflow import INTAKE_FIELDS, Attendee, Consent

# 11-digit mainland mobile numbers (工业和信息化部 numbering plan: 13x–19x).
MOBILE = re.compile(r"^1[3-9]\d{9}$")
PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
# GB 11643-1999 公民身份号码: 17 digits and a check character computed with these weights (mod 11).
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# Sources that arrive with another body's referral (法院诉前委派, 复议机构转来) and the kind that body must be.
REFERRAL_KINDS = {
    Source.COURT_REFERRAL: OrganisationKind.COURT,
    Source.RECONSIDERATION: OrganisationKind.JUSTICE_BUREAU,
}
# The 四方会谈 (SPEC §6.2): the meeting form opens with one row for each of the four sides.
FOUR_PARTY_ROLES = (
    ParticipantRole.JUDGE,
    ParticipantRole.JUSTICE_EXPERT,
    ParticipantRole.AGENCY_HEAD,
    ParticipantRole.PARTY,
)


def _style(form: forms.Form) -> None:
    """Bootstrap classes and Chinese messages for every field, as on the hearing forms."""
    for name, field in form.fields.items():
        field.error_messages["required"] = f"请填写{field.label or name}"
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.HiddenInput):
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def _mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def valid_id_number(value: str) -> bool:
    if not ID_NUMBER.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == value[17]


def clean_id_number(value: str) -> str:
    value = value.strip().upper()
    if value and not valid_id_number(value):
        raise forms.ValidationError("身份证号码不正确：应为18位，最后一位可以是数字或X，请核对")
    return value


def agencies_of(centre: Organisation) -> QuerySet[Organisation]:
    """The administrative organs a centre takes disputes against: those of its region subtree."""
    return Organisation.objects.filter(
        kind=OrganisationKind.AGENCY, region__path__startswith=centre.region.path
    ).order_by("region__path", "name")


class StyledForm(NamedErrors, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def full_clean(self) -> None:
        super().full_clean()
        _mark_invalid(self)


# ---------------------------------------------------------------------------------------------------------------
# The queue's filters


OPEN = "open"
RESOLVED = "resolved"
CLOSED_AFTER_MEDIATION = "closed_after_mediation"
STATE_FILTERS = [(OPEN, "办理中（已受理未办结）"), *DisputeState.choices]
OUTCOME_FILTERS = [
    *DisputeOutcome.choices,
    (RESOLVED, "化解（调解成功或机关纠正后撤回）"),
    (CLOSED_AFTER_MEDIATION, "经调解办结（不含不予受理）"),
]
# "Soon" on the queue: a time limit falling within this many days (today included).
SOON_DAYS = 3
DUE_FILTERS = [("overdue", "已逾期"), ("soon", f"{SOON_DAYS}日内到期")]


class QueueFilterForm(NamedErrors, forms.Form):
    """The queue's GET parameters. The figures page links here with them: keep the names."""

    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *STATE_FILTERS], required=False)
    due = forms.ChoiceField(label="期限", choices=[("", "全部"), *DUE_FILTERS], required=False)
    source = forms.ChoiceField(label="来源", choices=[("", "全部"), *Source.choices], required=False)
    domain = forms.ChoiceField(label="领域", choices=[("", "全部"), *Domain.choices], required=False)
    centre = forms.ModelChoiceField(label="协调化解中心", queryset=Organisation.objects.none(), required=False)
    coordinator = forms.ModelChoiceField(label="协调员", queryset=Coordinator.objects.none(), required=False)
    outcome = forms.ChoiceField(label="办结方式", choices=[("", "全部"), *OUTCOME_FILTERS], required=False)
    closed_from = forms.DateField(
        label="办结日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closed_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(
        self, *args: Any, centres: QuerySet[Organisation], coordinators: QuerySet[Coordinator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        centre_field = self.fields["centre"]
        assert isinstance(centre_field, forms.ModelChoiceField)
        centre_field.queryset = centres
        centre_field.empty_label = "全部"
        coordinator_field = self.fields["coordinator"]
        assert isinstance(coordinator_field, forms.ModelChoiceField)
        coordinator_field.queryset = coordinators
        coordinator_field.empty_label = "全部"
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm",
            )

    def clean_closed_to(self) -> datetime.date | None:
        start, end = self.cleaned_data.get("closed_from"), self.cleaned_data.get("closed_to")
        if start and end and end < start:
            raise forms.ValidationError("办结日期的结束日不能早于开始日")
        return end

    def apply(self, disputes: QuerySet[Dispute], *, today: datetime.date, state: bool = True) -> QuerySet[Dispute]:
        """The disputes the valid filters select; an invalid one is left out (``notices`` says which).
        ``state=False`` leaves out the state filter, for the counts per state shown above the list."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        if state and "state" in data:
            disputes = (
                disputes.filter(state__in=OPEN_STATES)
                if data["state"] == OPEN
                else disputes.filter(state=data["state"])
            )
        if "due" in data:
            disputes = disputes.filter(due_condition(data["due"], today))
        for name in ("source", "domain"):
            if name in data:
                disputes = disputes.filter(**{name: data[name]})
        if "centre" in data:
            disputes = disputes.filter(centre=data["centre"])
        if "coordinator" in data:
            # Ever on the dispute's 专班, released or not: as the figures by coordinator count (stats.figures).
            assigned = Assignment.objects.filter(dispute=OuterRef("pk"), coordinator=data["coordinator"])
            disputes = disputes.filter(Exists(assigned))
        if "outcome" in data:
            disputes = disputes.filter(outcome_condition(data["outcome"]))
        if "closed_from" in data:
            disputes = disputes.filter(concluded_on__gte=data["closed_from"])
        if "closed_to" in data:
            disputes = disputes.filter(concluded_on__lte=data["closed_to"])
        return disputes

    def notices(self) -> list[str]:
        """One line for each filter that could not be applied, so that a mistyped link does not mislead."""
        return [f"筛选条件“{self.fields[name].label}”无效，已忽略：{errors[0]}" for name, errors in self.errors.items()]


def due_condition(which: str, today: datetime.date) -> Q:
    """The disputes whose current time limit (``Dispute.current_due_on``) is past, or falls within 3 days."""
    by_state = (
        ("review_due_on", [DisputeState.ASSIGNED]),
        ("plan_due_on", [DisputeState.REVIEWED]),
        ("mediation_due_on", [DisputeState.ACCEPTED, DisputeState.PLANNED]),
    )
    condition = Q()
    for field, states in by_state:
        if which == "overdue":
            condition |= Q(state__in=states, **{f"{field}__lt": today})
        else:
            condition |= Q(state__in=states, **{f"{field}__range": (today, today + datetime.timedelta(days=SOON_DAYS))})
    return condition


def outcome_condition(outcome: str) -> Q:
    """化解 (SPEC §4): mediated, or withdrawn because the agency corrected its act."""
    if outcome == RESOLVED:
        return RESOLVED_DISPUTES
    if outcome == CLOSED_AFTER_MEDIATION:
        return Q(outcome__in=CLOSED_AFTER_MEDIATION_OUTCOMES)
    return Q(outcome=outcome)


# ---------------------------------------------------------------------------------------------------------------
# Intake (集中受理) by the centre's staff, and the party's own online application


class IntakeForm(StyledForm):
    source = forms.ChoiceField(
        label="来源", choices=[(v, label) for v, label in Source.choices if v != Source.ONLINE], initial=Source.WINDOW
    )
    referred_by = forms.ModelChoiceField(
        label="委派/转来单位", queryset=Organisation.objects.none(), required=False,
        help_text="法院诉前委派、复议机构转来时必填",
    )  # fmt: skip
    referral_number = forms.CharField(label="委派/转办文号", max_length=100, required=False)
    received_on = forms.DateField(label="收件日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    applicants = forms.CharField(label="申请人", max_length=500, help_text="多人以顿号分隔，如：张三、李四")
    applicant_id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    applicant_address = forms.CharField(label="联系地址", max_length=200, required=False)
    agency = forms.ModelChoiceField(label="被申请行政机关", queryset=Organisation.objects.none())
    matter = forms.CharField(label="争议事项", widget=forms.Textarea(attrs={"rows": 4}))
    claims = forms.CharField(label="请求事项", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    amount = forms.DecimalField(label="争议金额（元）", max_digits=14, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args: Any, centre: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centre = centre
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies_of(centre).select_related("region")
        agency.empty_label = "请选择被申请行政机关"
        agency.error_messages["invalid_choice"] = "所选行政机关不在本中心受理范围内"
        referred_by = self.fields["referred_by"]
        assert isinstance(referred_by, forms.ModelChoiceField)
        referred_by.queryset = (
            Organisation.objects.exclude(kind__in=[OrganisationKind.AGENCY, OrganisationKind.COORDINATION_CENTRE])
            .filter(Q(region__path__startswith=centre.region.path) | Q(region__in=centre.region.ancestors()))
            .order_by("region__path", "kind", "name")
        )
        referred_by.empty_label = "无"
        referred_by.error_messages["invalid_choice"] = "所选委派/转来单位不在可选范围内"
        self.fields["received_on"].error_messages["invalid"] = "收件日期不是有效的日期"
        self.fields["amount"].error_messages["invalid"] = "争议金额应为数字"
        self.fields["received_on"].initial = timezone.localdate()

    def clean_applicants(self) -> str:
        return self.cleaned_data["applicants"].strip()

    def clean_applicant_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["applicant_id_number"])

    def clean_applicant_phone(self) -> str:
        phone = self.cleaned_data["applicant_phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("联系电话格式不正确")
        return phone

    def clean_received_on(self) -> datetime.date:
        received_on: datetime.date = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("收件日期不能晚于今天")
        return received_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        kind = REFERRAL_KINDS.get(data.get("source", ""))
        referred_by = data.get("referred_by")
        if kind is not None and "referred_by" not in self.errors:
            label = Source(data["source"]).label
            if referred_by is None:
                self.add_error("referred_by", f"{label}的争议请选择委派/转来单位")
            elif referred_by.kind != kind:
                self.add_error("referred_by", f"{label}的争议，委派/转来单位应为{OrganisationKind(kind).label}")
        return data

    def values(self) -> dict[str, Any]:
        """The validated values in the shape ``register_dispute`` takes."""
        return {name: self.cleaned_data[name] for name in INTAKE_FIELDS if name in self.cleaned_data}


class ChallengeInput(CaptchaTextInput):
    """The challenge's picture, a button for another one (fuyuan/static/js/captcha-refresh.js) and the answer. The
    template is in the app's own templates folder: Django's form renderer looks in apps, not in fuyuan/templates."""

    template_name = "disputes/_challenge.html"


class ApplyForm(StyledForm):
    """线上申请: plain words for a party who has never seen the system."""

    centre = forms.ModelChoiceField(label="向哪个协调化解中心申请", queryset=Organisation.objects.none())
    applicants = forms.CharField(
        label="申请人姓名", max_length=500, help_text="几个人一起申请的，请用顿号分开，如：张三、李四"
    )
    applicant_id_number = forms.CharField(label="身份证号码", max_length=18)
    applicant_phone = forms.CharField(label="手机号码", max_length=20, help_text="中心工作人员会用这个号码联系您")
    applicant_address = forms.CharField(label="联系地址", max_length=200)
    agency_name = forms.CharField(
        label="您与哪个行政机关发生争议",
        max_length=200,
        help_text=format_lazy("请填写机关的全称，如：{}；可以从下拉提示中选择", example_agency_lazy()),
        widget=forms.TextInput(attrs={"list": "agency-names", "autocomplete": "off"}),
    )
    matter = forms.CharField(
        label="发生了什么事",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写明行政机关作出了什么决定或者做了什么事、什么时间、对您有什么影响",
    )
    claims = forms.CharField(
        label="您希望怎样解决", widget=forms.Textarea(attrs={"rows": 3}), help_text="如：撤销罚款决定、按标准给予补偿"
    )
    consent = forms.BooleanField(label="我同意中心使用以上信息联系我，这些信息仅用于本次争议的化解")
    # 行政诉讼法 第60条, SPEC §10: the party's consent to mediation, kept on the dispute; not required here (staff may
    # record it later), and mediation never takes away the right to sue or apply for reconsideration.
    consent_to_mediation = forms.BooleanField(
        label="我同意由协调化解中心组织调解",
        required=False,
        help_text="调解不影响您依法提起行政诉讼或者申请行政复议的权利。不勾选的，中心工作人员会在受理前向您确认。",
    )
    # A challenge a person reads off a picture: one answer per picture, a new picture after a wrong answer.
    challenge = CaptchaField(
        label="验证码",
        widget=ChallengeInput(attrs={"class": "form-control"}),
        error_messages={"invalid": "验证码不正确，请输入新图片中的4个字母", "incomplete": "请输入图片中的4个字母"},
        help_text="请输入图片中的4个字母，不分大小写；看不清可以点“换一张”",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centre = self.fields["centre"]
        assert isinstance(centre, forms.ModelChoiceField)
        centre.queryset = (
            Organisation.objects.filter(kind=OrganisationKind.COORDINATION_CENTRE)
            .select_related("region")
            .order_by("region__path", "name")
        )
        centre.empty_label = "请选择"
        centre.error_messages["invalid_choice"] = "请从列表中选择协调化解中心"
        self.fields["centre"].error_messages["required"] = "请选择协调化解中心"
        self.fields["applicants"].error_messages["required"] = "请填写申请人姓名"
        self.fields["applicant_id_number"].error_messages["required"] = "请填写身份证号码"
        self.fields["applicant_phone"].error_messages["required"] = "请填写手机号码"
        self.fields["applicant_address"].error_messages["required"] = "请填写联系地址"
        self.fields["agency_name"].error_messages["required"] = "请填写与您发生争议的行政机关"
        self.fields["matter"].error_messages["required"] = "请写明发生了什么事"
        self.fields["claims"].error_messages["required"] = "请写明您希望怎样解决"
        self.fields["consent"].error_messages["required"] = "请勾选同意后再提交"
        self.fields["challenge"].error_messages["required"] = "请输入图片中的4个字母"
        self.agency: Organisation | None = None

    def agency_names(self) -> list[str]:
        return list(
            Organisation.objects.filter(kind=OrganisationKind.AGENCY).order_by("name").values_list("name", flat=True)
        )

    def clean_applicants(self) -> str:
        return self.cleaned_data["applicants"].strip()

    def clean_applicant_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["applicant_id_number"])

    def clean_applicant_phone(self) -> str:
        phone = re.sub(r"[\s-]", "", self.cleaned_data["applicant_phone"])
        if not MOBILE.match(phone):
            raise forms.ValidationError("手机号码应为11位数字，以1开头，如：13912345678")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        centre, name = data.get("centre"), (data.get("agency_name") or "").strip()
        if centre is not None and name:
            self.agency = agencies_of(centre).filter(name=name).first()
            if self.agency is None:
                self.add_error(
                    "agency_name",
                    f"在{centre.name}的受理范围内没有找到“{name}”。请核对机关全称（可从下拉提示中选择），"
                    "或者直接到中心窗口申请",
                )
        return data

    def values(self) -> dict[str, Any]:
        """The validated values in the shape ``apply_online`` takes."""
        data = self.cleaned_data
        fields = ("applicants", "applicant_id_number", "applicant_phone", "applicant_address", "matter", "claims")
        return {**{name: data[name].strip() for name in fields}, "agency": self.agency}


# ---------------------------------------------------------------------------------------------------------------
# The dispute file's actions


class ClassifyForm(StyledForm):
    domain = forms.ChoiceField(label="领域", choices=[("", "未分类"), *Domain.choices], required=False)
    act_type = forms.ChoiceField(label="行政行为类别", choices=[("", "未分类"), *ActType.choices], required=False)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices)
    group_size = forms.IntegerField(label="涉及人数", min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group_size"].error_messages["min_value"] = "涉及人数至少为 1"
        self.fields["group_size"].error_messages["invalid"] = "涉及人数应为整数"


class LinkCaseForm(StyledForm):
    case = forms.ModelChoiceField(label="案件", queryset=Case.objects.none())

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cases
        field.error_messages["invalid_choice"] = "所选案件不是申请人与被申请机关之间的案件，不能关联"


class AcceptForm(StyledForm):
    """受理, with the party's consent to mediation when the application did not carry it (行政诉讼法 第60条)."""

    consent_by = forms.CharField(label="同意调解的当事人", max_length=500)
    consent_on = forms.DateField(label="同意日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    consent_way = forms.ChoiceField(
        label="同意方式", choices=[(c.value, c.label) for c in ConsentWay if c != ConsentWay.ONLINE]
    )

    def __init__(self, *args: Any, dispute: Dispute, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"consent_by": dispute.applicants, "consent_on": timezone.localdate(), "consent_way": "written"}
        )
        super().__init__(*args, **kwargs)
        self.has_consent = dispute.has_consent
        if self.has_consent:
            for name in ("consent_by", "consent_on", "consent_way"):
                del self.fields[name]
            return
        self.fields["consent_by"].error_messages["required"] = "请填写同意调解的当事人"
        self.fields["consent_on"].error_messages["required"] = "请填写当事人同意调解的日期"
        self.fields["consent_on"].error_messages["invalid"] = "请按 年-月-日 填写日期"
        self.fields["consent_way"].error_messages["invalid_choice"] = "请选择当事人同意调解的方式"

    def consent(self) -> Consent | None:
        """The consent recorded now, or None when the application already carried it."""
        if self.has_consent:
            return None
        data = self.cleaned_data
        return Consent(by=data["consent_by"].strip(), on=data["consent_on"], way=data["consent_way"])


class MergeForm(StyledForm):
    """并入: the open dispute of the same centre that this new application repeats."""

    into = forms.ModelChoiceField(label="并入的争议", queryset=Dispute.objects.none())

    def __init__(self, *args: Any, candidates: list[Dispute], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Dispute.objects.filter(pk__in=[d.pk for d in candidates])
        field.error_messages["invalid_choice"] = "所选争议不是本件可并入的可能重复件（已办结或其他中心的争议不能并入）"
        field.error_messages["required"] = "请选择要并入的争议"


class RejectForm(StyledForm):
    reason = forms.CharField(label="不予受理理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(StyledForm):
    opinion = forms.CharField(label="专家评审意见", widget=forms.Textarea(attrs={"rows": 4}))


class PlanForm(StyledForm):
    plan = forms.CharField(label="化解方案", widget=forms.Textarea(attrs={"rows": 4}))


@dataclass(frozen=True)
class ParticipantRow:
    role: str
    name: str
    organisation_name: str
    error: str = ""


class MeetingForm(StyledForm):
    """A meeting with its participants, typed as rows (``p_role``/``p_name``/``p_org``, as many as needed)."""

    kind = forms.ChoiceField(label="会谈类别", choices=MeetingKind.choices, initial=MeetingKind.FOUR_PARTY)
    held_at = forms.DateTimeField(
        label="会谈时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="地点", max_length=200, required=False)
    minutes = forms.CharField(label="会谈纪要", widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label="下一步工作", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_at"].error_messages["invalid"] = "会谈时间不是有效的日期和时间"
        self.fields["minutes"].error_messages["required"] = "请填写会谈纪要"

    def rows(self) -> list[ParticipantRow]:
        """The participant rows as typed (for re-showing), or the four sides of a 四方会谈 on a fresh form."""
        if not self.is_bound:
            return [ParticipantRow(role, "", "") for role in FOUR_PARTY_ROLES]
        data = cast(QueryDict, self.data)
        roles, names, orgs = data.getlist("p_role"), data.getlist("p_name"), data.getlist("p_org")
        rows = []
        valid_roles = set(ParticipantRole.values)
        for i, name in enumerate(names):
            role = roles[i] if i < len(roles) else ""
            org = orgs[i] if i < len(orgs) else ""
            error = ""
            if name.strip() and role not in valid_roles:
                error = "请选择身份"
            rows.append(ParticipantRow(role, name.strip(), org.strip(), error))
        return rows

    def attendees(self) -> list[Attendee]:
        return [Attendee(r.role, r.name, r.organisation_name) for r in self.rows() if r.name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        rows = self.rows()
        if any(r.error for r in rows):
            self.add_error(None, "参会人员：请为每位填写了姓名的人员选择身份")
        elif not any(r.name for r in rows):
            self.add_error(None, "请至少填写一名参会人员")
        return data


class MediatedForm(StyledForm):
    terms = forms.CharField(
        label="调解协议内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="逐条填写，每条一行，如：一、被申请人于30日内重新核定补偿标准；",
    )
    judicial_confirmation = forms.BooleanField(label="当事人申请司法确认", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["terms"].error_messages["required"] = "请填写调解协议的内容"


class WithdrawnForm(StyledForm):
    reason = forms.ChoiceField(label="撤回原因", choices=[("", "请选择"), *WithdrawalReason.choices])
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "请选择撤回原因"


class HandOverForm(StyledForm):
    """调解不成: to litigation or reconsideration, with a case on file or a new one described here."""

    to = forms.ChoiceField(
        label="去向", choices=CaseKind.choices, widget=forms.RadioSelect, initial=CaseKind.LITIGATION
    )
    case = forms.ModelChoiceField(label="已登记的案件", queryset=Case.objects.none(), required=False)
    number = forms.CharField(label="新案件案号", max_length=100, required=False)
    forum = forms.ModelChoiceField(label="受理法院或复议机构", queryset=Organisation.objects.none(), required=False)
    on = forms.DateField(
        label="立案/收案日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, cases: QuerySet[Case], forums: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.fields["case"]
        assert isinstance(case, forms.ModelChoiceField)
        case.queryset = cases
        case.empty_label = "不选择，登记新案件"
        case.error_messages["invalid_choice"] = "所选案件不是申请人与被申请机关之间未结的案件，不能移交"
        forum = self.fields["forum"]
        assert isinstance(forum, forms.ModelChoiceField)
        forum.queryset = forums
        forum.empty_label = "请选择"
        forum.error_messages["invalid_choice"] = "所选法院或复议机构不在可选范围内"
        self.fields["on"].error_messages["invalid"] = "立案/收案日期不是有效的日期"
        self.fields["to"].error_messages["required"] = "请选择转诉讼还是转复议"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("case") is None and "case" not in self.errors:
            number = (data.get("number") or "").strip()
            if not number:
                self.add_error("number", "请选择已登记的案件，或填写新案件的案号")
            forum = data.get("forum")
            if forum is None and "forum" not in self.errors:
                self.add_error("forum", "请选择受理的法院或复议机构")
            elif forum is not None and data.get("to"):
                expected = (
                    OrganisationKind.COURT if data["to"] == CaseKind.LITIGATION else OrganisationKind.JUSTICE_BUREAU
                )
                if forum.kind != expected:
                    self.add_error(
                        "forum", f"{CaseKind(data['to']).label}的受理机关应为{OrganisationKind(expected).label}"
                    )
            if data.get("on") is None and "on" not in self.errors:
                self.add_error("on", "请填写立案/收案日期")
        return data


class AssignForm(NamedErrors, forms.Form):
    """The 专班: the coordinators ticked (``coordinator``), each with a role (``role_<id>``)."""

    coordinator = forms.ModelMultipleChoiceField(queryset=Coordinator.objects.none())

    def __init__(self, *args: Any, pool: QuerySet[Coordinator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = pool
        field.error_messages["required"] = "请至少选择一名协调员"
        field.error_messages["invalid_choice"] = "所选协调员不在本中心可指派的协调员库中"
        field.error_messages["invalid_pk_value"] = "所选协调员不在本中心可指派的协调员库中"

    def role_of(self, coordinator: Coordinator) -> str:
        role = self.data.get(f"role_{coordinator.pk}", AssignmentRole.MEMBER)
        return role if role in AssignmentRole.values else AssignmentRole.MEMBER


class ReleaseForm(NamedErrors, forms.Form):
    pass
