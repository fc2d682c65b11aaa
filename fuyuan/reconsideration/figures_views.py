"""The reconsideration body's figures page (issue 14 item 8) and the list of the files behind each of its numbers.

Both read ``reconsideration.queries.visible_to(user)`` and ``reconsideration.figures`` only: the page shows what
``figures.compute`` counts, each count a link to ``files``, which lists ``figures.files_behind`` with the same
definition, window and row — so the list always holds exactly the files of the number clicked.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, Role, User
from fuyuan.core.paging import paginate
from fuyuan.reconsideration import figures as fig
from fuyuan.reconsideration.queries import visible_to
from fuyuan.stats.forms import default_window

# The table's columns: (name, header); a measure shows its count with a link, a figure its value.
COLUMNS = (
    ("reviewed", "审查办结"),
    ("reviewed_on_time", "按期受理"),
    ("acceptance_rate", "按期受理率"),
    ("accepted", "受理"),
    ("simplified", "简易程序"),
    ("simplified_share", "简易程序占比"),
    ("concluded", "办结"),
    ("concluded_on_time", "按期办结"),
    ("decision_rate", "按期办结率"),
    ("average_days", "平均办理天数"),
    ("mediated", "调解和解"),
    ("mediation_rate", "调解和解率"),
    ("heard", "听证"),
    ("hearing_rate", "听证率"),
)
FIGURE_NAMES = {f.name for f in fig.FIGURES}
# How each figure is read, under its card.
EXPLAINED = {
    "acceptance_rate": "5个工作日受理审查期限内作出受理或不予受理决定的（行政复议法第30条）",
    "decision_rate": "在审理期限内办结的（60日，简易程序30日；经批准延长的加延长天数，中止期间不计；第62条、第39条）",
    "average_days": "已受理案件自收到申请至结案的自然日平均数",
    "mediation_rate": "以调解（第73条）、和解（第74条）结案的",
    "hearing_rate": "办结案件中举行听证的（第50条）",
    "simplified_share": "受理案件中适用简易程序的（第53条）",
}
# What a reader might take the other way, said in one line under the figure.
CAVEATS = {
    "acceptance_rate": "视为受理（第30条第3款）的案件计入分母、不计为按期受理：行政复议机构未在期限内作出决定。",
}
DAYS_LABEL = "办理天数合计（收到申请至结案）"
# Who reads these figures: the body's staff, the 依法治办 and leaders over their region, an agency over the files it
# answers. Others (a court, the centre, a committee member over the one or two files referred to them) see none.
FIGURE_ROLES = frozenset({Role.RECONSIDERATION_BODY, Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON})


class FigureForm(NamedErrors, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label="分组", choices=list(fig.GROUPINGS.items()), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            css = "form-select" if name == "by" else "form-control"
            f.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_window()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or end
        data["by"] = data.get("by") or "body"
        if "date_from" not in self.errors and "date_to" not in self.errors and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def files_url(measure: str, date_from: datetime.date, date_to: datetime.date, **extra: Any) -> str:
    """The list of the files behind one number."""
    params = {"figure": measure, "from": date_from.isoformat(), "to": date_to.isoformat()}
    params.update({k: v for k, v in extra.items() if v is not None})
    return reverse("reconsideration_figures:files") + "?" + urlencode(params)


def shown(figure: fig.Figure, value: float | None, unit: bool = True) -> str:
    if value is None:
        return "—"
    if figure.average:
        return f"{value:.1f} 天" if unit else f"{value:.1f}"
    return f"{value:.2f}%"


Scope = tuple[datetime.date, datetime.date, dict[str, Any]]


def _part(measure: str, counts: dict[str, int], scope: Scope) -> dict[str, Any]:
    """One part of a figure: its count, what it counts, the link to its files (the days' sum: the concluded files,
    each with its days)."""
    listed = fig.DAYS_OVER if measure == "days" else measure
    label = DAYS_LABEL if measure == "days" else fig.MEASURE_LABELS[measure]
    return {"count": counts[measure], "label": label, "url": files_url(listed, scope[0], scope[1], **scope[2])}


def _late(figure: fig.Figure, counts: dict[str, int], scope: Scope) -> dict[str, Any] | None:
    """For a timeliness figure, the files it leaves out (the late ones), with their link."""
    for name, (denominator, numerator, label) in fig.LATE.items():
        if (figure.denominator, figure.numerator) == (denominator, numerator):
            url = files_url(name, scope[0], scope[1], **scope[2])
            return {"count": counts[denominator] - counts[numerator], "label": label, "url": url}
    return None


def _cards(total: dict[str, Any], window: tuple[datetime.date, datetime.date]) -> list[dict[str, Any]]:
    scope: Scope = (window[0], window[1], {})
    return [
        {
            "name": f.name,
            "label": f.label,
            "value": shown(f, total["figures"][f.name]),
            "numerator": _part(f.numerator, total["counts"], scope),
            "denominator": _part(f.denominator, total["counts"], scope),
            "average": f.average,
            "late": _late(f, total["counts"], scope),
            "explained": EXPLAINED[f.name],
            "caveat": CAVEATS.get(f.name, ""),
        }
        for f in fig.FIGURES
    ]


def _cells(figures: dict[str, Any], scope: Scope) -> list[dict[str, Any]]:
    by_name = {f.name: f for f in fig.FIGURES}
    cells = []
    for name, _header in COLUMNS:
        if name in FIGURE_NAMES:
            cells.append({"name": name, "text": shown(by_name[name], figures["figures"][name], unit=False),
                          "url": None, "figure": True})  # fmt: skip
        else:
            cells.append({"name": name, "text": figures["counts"][name],
                          "url": files_url(name, scope[0], scope[1], **scope[2]), "figure": False})  # fmt: skip
    return cells


def figures(request: HttpRequest) -> HttpResponse:
    """The body's figures over the files the user sees, for a window, grouped by body, respondent or month."""
    user = cast(User, request.user)
    files = visible_to(user)
    params = request.GET.copy()
    start, end = default_window()
    default_by = "respondent" if user.role == Role.RECONSIDERATION_BODY else "body"
    for name, default in (("date_from", start.isoformat()), ("date_to", end.isoformat()), ("by", default_by)):
        if not params.get(name):
            params[name] = default
    form = FigureForm(params)
    context: dict[str, Any] = {"nav": "reconsideration-figures", "form": form, "headers": [h for _n, h in COLUMNS]}
    if user.role not in FIGURE_ROLES or files.query.is_empty():
        context["no_files"] = True
        return render(request, "reconsideration/figures/figures.html", context)
    if not form.is_valid():
        return render(request, "reconsideration/figures/figures.html", context)
    window = (form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    by = form.cleaned_data["by"]
    result = fig.compute(files, *window, by=by)
    rows = [
        {"key": row["key"] or "（未知）", "cells": _cells(row, fig.row_scope(by, row["ref"], *window))}
        for row in result["rows"]
    ]
    context.update(
        {
            "window": window,
            "by_label": fig.GROUPINGS[by],
            "cards": _cards(result["total"], window),
            "rows": rows,
            "total": _cells(result["total"], (window[0], window[1], {})),
        }
    )
    return render(request, "reconsideration/figures/figures.html", context)


def _date(value: str | None, default: datetime.date) -> datetime.date:
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("日期格式不正确") from None


def _organisation(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404("单位不存在")
    return int(value)


def files(request: HttpRequest) -> HttpResponse:
    """The files behind one number: ``?figure=<measure>&from=&to=`` and the row's ``body`` or ``respondent``, always
    within ``visible_to(user)`` whatever the link says."""
    user = cast(User, request.user)
    measure = request.GET.get("figure", "")
    if measure not in fig.MEASURES and measure not in fig.LATE:
        raise Http404("未知的统计口径")
    start, end = default_window()
    date_from = _date(request.GET.get("from"), start)
    date_to = _date(request.GET.get("to"), end)
    body, respondent = _organisation(request.GET.get("body")), _organisation(request.GET.get("respondent"))
    if user.role not in FIGURE_ROLES:
        raise Http404("您的角色没有可统计的行政复议案件")
    scoped = fig.narrowed(visible_to(user), body=body, respondent=respondent)
    definition = fig.measure(fig.LATE[measure][0] if measure in fig.LATE else measure)
    behind = (
        fig.files_behind(scoped, measure, date_from, date_to)
        .select_related("case", "body", "respondent")
        .annotate(days=fig.handling_days())
        .order_by(f"-{definition.date_field}", "-id")
    )
    page = paginate(request, behind)
    named = dict(Organisation.objects.filter(pk__in=[p for p in (body, respondent) if p]).values_list("pk", "name"))
    context = {
        "nav": "reconsideration-figures",
        "page": page,
        "label": fig.LATE_LABELS.get(measure, definition.label),
        "date_from": date_from,
        "date_to": date_to,
        "body": named.get(body) if body else None,
        "respondent": named.get(respondent) if respondent else None,
        "with_days": definition.date_field == fig.CONCLUDED_ON,
        "back": reverse("reconsideration_figures:figures")
        + "?"
        + urlencode({"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}),
    }
    return render(request, "reconsideration/figures/files.html", context)
