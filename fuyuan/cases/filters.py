"""The case list's filters, shared by the page and the export so that an export is exactly what was shown.

A filter value that is not valid (a region the user may not choose, a malformed date, an unknown code) is
ignored and reported as a notice: a bookmarked or hand-edited URL never breaks the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict

from fuyuan.cases.choices import (
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
    correction_outcomes,
    loss_outcomes,
    mediated_outcomes,
)
from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to
from fuyuan.core.forms import NamedErrors, RegionChoiceField
from fuyuan.core.models import OrganisationKind, User
from fuyuan.core.queries import organisations_visible_to, regions_visible_to

DATE_FIELDS = [
    ("opened", "立案/收案日期"),
    ("filed_on", "立案日期"),
    ("received_on", "收案日期"),
    ("hearing_on", "开庭日期"),
    ("concluded_on", "结案日期"),
]
STATUS_CHOICES = [("", "全部"), ("open", "在办"), ("concluded", "已结案")]
# 结案方式: the two summary groups first, then each kind's own list (codes are prefixed by kind because the
# two lists share codes with different meanings, e.g. withdrawn = 撤诉 / 撤回).
OUTCOME_CHOICES: list[Any] = [
    ("", "全部"),
    ("汇总", [("loss", "败诉（全部）"), ("correction", "被纠错（全部）"), ("mediated", "复议调解/和解")]),
    ("行政诉讼", [(f"litigation:{v}", label) for v, label in LitigationOutcome.choices]),
    ("行政复议", [(f"reconsideration:{v}", label) for v, label in ReconsiderationOutcome.choices]),
]

# Organisations that are never sued as the agency: courts, and the offices that supervise or mediate.
NEVER_DEFENDANTS = (
    OrganisationKind.COURT,
    OrganisationKind.PROCURATORATE,
    OrganisationKind.RULE_OF_LAW_OFFICE,
    OrganisationKind.COORDINATION_CENTRE,
    OrganisationKind.DISCIPLINE,
)


# The 案由/领域 filters' value for "left blank" (a dashboard bar of cases with no 案由 or 领域 opens the list with it).
EMPTY = "empty"


def _blank(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _blank_or_empty(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*_blank(label, choices), (EMPTY, "未填写")]


class CaseFilterForm(NamedErrors, forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    region: forms.ModelChoiceField = RegionChoiceField(
        label="地区", queryset=None, required=False, empty_label="全部地区"
    )
    county: forms.ModelChoiceField = forms.ModelChoiceField(
        label="县(市、区)本级", queryset=None, required=False, widget=forms.HiddenInput
    )
    defendant: forms.ModelChoiceField = forms.ModelChoiceField(
        label="被告/被申请人", queryset=None, required=False, empty_label="全部"
    )
    kind = forms.ChoiceField(label="类别", choices=_blank("全部", CaseKind.choices), required=False)
    instance = forms.ChoiceField(label="审级", choices=_blank("全部", Instance.choices), required=False)
    cause = forms.ChoiceField(label="案由", choices=_blank_or_empty("全部", ActType.choices), required=False)
    domain = forms.ChoiceField(label="领域", choices=_blank_or_empty("全部", Domain.choices), required=False)
    outcome = forms.ChoiceField(label="结案方式", choices=OUTCOME_CHOICES, required=False)
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)
    date_field = forms.ChoiceField(label="日期类型", choices=DATE_FIELDS, required=False)
    date_from = forms.DateField(label="日期起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="日期止", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        defendant_field = self.fields["defendant"]
        assert isinstance(region_field, forms.ModelChoiceField)
        assert isinstance(defendant_field, forms.ModelChoiceField)
        region_field.queryset = regions_visible_to(user)
        county_field = self.fields["county"]
        assert isinstance(county_field, forms.ModelChoiceField)
        county_field.queryset = regions_visible_to(user)
        # Any organisation may be sued (a 司法局 too), but a court never is. An option is its id and name alone (a
        # prefecture has a few hundred organisations: their regions are not needed to list them).
        defendant_field.queryset = (
            organisations_visible_to(user).exclude(kind__in=NEVER_DEFENDANTS).select_related(None).only("id", "name")
        )
        for name, form_field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(form_field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            form_field.widget.attrs.setdefault("class", css)
            form_field.widget.attrs.setdefault("id", f"filter-{name}")
        self.fields["q"].widget.attrs["placeholder"] = "案号、原告/申请人、第三人、被告"


@dataclass
class FigureScope:
    """A drill-down from the figures page: the cases behind one number."""

    measure: str
    label: str
    date_from: datetime.date
    date_to: datetime.date


@dataclass
class FilteredCases:
    cases: QuerySet[Case]
    form: CaseFilterForm
    notices: list[str] = field(default_factory=list)
    figure: FigureScope | None = None


def _outcome_condition(value: str) -> Q:
    if value == "loss":
        return Q(kind=CaseKind.LITIGATION, outcome__in=loss_outcomes())
    if value == "correction":
        return Q(kind=CaseKind.RECONSIDERATION, outcome__in=correction_outcomes())
    if value == "mediated":
        return Q(kind=CaseKind.RECONSIDERATION, outcome__in=mediated_outcomes())
    kind, _, code = value.partition(":")
    return Q(kind=kind, outcome=code)


def _parse_day(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


def _figure_scope(cases: QuerySet[Case], params: QueryDict) -> tuple[QuerySet[Case], FigureScope | None, str]:
    """Narrow to the cases behind one figure (``figure=<measure>&from=&to=``), or explain why not."""
    measure = params.get("figure", "")
    date_from, date_to = _parse_day(params.get("from")), _parse_day(params.get("to"))
    if date_from is None or date_to is None:
        return cases, None, "统计口径的起止日期无效，已忽略统计口径"
    from fuyuan.stats import figures  # the figures module builds on cases, not the other way round

    try:
        narrowed = figures.cases_behind(cases, measure, date_from, date_to)
    except KeyError:
        return cases, None, f"未知的统计口径“{measure}”，已忽略"
    return narrowed, FigureScope(measure, figures.MEASURE_LABELS[measure], date_from, date_to), ""


def apply_filters(user: User, params: QueryDict) -> FilteredCases:
    """``visible_to(user)`` narrowed by the list's parameters, with the form to show and any notices."""
    cases = visible_to(user)
    form = CaseFilterForm(user, params)
    form.is_valid()
    notices = [f"筛选条件“{form.fields[name].label}”的值无效，已忽略" for name in form.errors]
    data = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}

    if "region" in data:
        cases = cases.filter(region__path__startswith=data["region"].path)
    if "county" in data:
        # Exactly the cases placed in that county (a figures row), not the subtree of a prefecture.
        cases = cases.filter(county=data["county"])
    if "defendant" in data:
        cases = cases.filter(defendant=data["defendant"])
    for name in ("kind", "instance", "cause", "domain"):
        if name in data:
            cases = cases.filter(**{name: "" if data[name] == EMPTY else data[name]})
    if "outcome" in data:
        cases = cases.filter(_outcome_condition(data["outcome"]))
    if data.get("status") == "open":
        cases = cases.filter(concluded_on__isnull=True)
    elif data.get("status") == "concluded":
        cases = cases.filter(concluded_on__isnull=False)
    for bound, lookup in (("date_from", "gte"), ("date_to", "lte")):
        if bound not in data:
            continue
        date_field = data.get("date_field", "opened")
        if date_field == "opened":
            cases = cases.filter(
                Q(kind=CaseKind.LITIGATION, **{f"filed_on__{lookup}": data[bound]})
                | Q(kind=CaseKind.RECONSIDERATION, **{f"received_on__{lookup}": data[bound]})
            )
        else:
            cases = cases.filter(**{f"{date_field}__{lookup}": data[bound]})
    if "q" in data:
        text = data["q"].strip()
        cases = cases.filter(
            Q(number__icontains=text)
            | Q(plaintiffs__icontains=text)
            | Q(third_parties__icontains=text)
            | Q(defendant__name__icontains=text)
        )

    figure = None
    if params.get("figure"):
        cases, figure, notice = _figure_scope(cases, params)
        if notice:
            notices.append(notice)
    return FilteredCases(cases=cases, form=form, notices=notices, figure=figure)


def filter_cases(user: User, params: QueryDict) -> QuerySet[Case]:
    """``visible_to(user)`` narrowed by the list's query parameters."""
    return apply_filters(user, params).cases
