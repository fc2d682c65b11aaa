"""The figures page: the rates of SPEC §4 over the cases the user may see, every number a link to its cases."""

from __future__ import annotations

import calendar
import datetime
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from fuyuan.cases.queries import visible_to
from fuyuan.core.models import User
from fuyuan.stats import figures as fig
from fuyuan.stats.forms import FigureFilterForm, default_window

# The rates as cards (every rate of fig.RATES, in its order), then the volumes (SPEC §4).
VOLUMES = (
    ("litigation.filed", "发案量（一审立案）"),
    ("reconsideration.received", "复议收案"),
    ("litigation.withdrawn_after_change", "行政机关改变行为后撤诉（化解）"),
)
RATE_KEYS = {name for name, *_ in fig.RATES}
# The table's column groups, each column (measure or rate name, header): a rate column shows a percentage,
# a measure column the count with a link to its cases.
COLUMN_GROUPS = (
    (
        "行政诉讼（一审）",
        (
            ("litigation.filed", "一审立案"),
            ("litigation.concluded", "一审结案"),
            ("litigation.lost", "败诉"),
            ("loss_rate", "败诉率"),
            ("litigation.hearings", "开庭"),
            ("litigation.head_due", "应出庭"),
            ("litigation.head_appeared", "负责人出庭"),
            ("appearance_rate", "出庭应诉率"),
            ("due_appearance_rate", "应出尽出率"),
            ("litigation.head_spoke", "出声"),
            ("speaking_rate", "出声率"),
        ),
    ),
    (
        "行政复议",
        (
            ("reconsideration.received", "复议收案"),
            ("reconsideration.accepted", "受理"),
            ("reconsideration.rejected", "不予受理"),
            ("reconsideration.concluded", "办结"),
            ("reconsideration.corrected", "被纠错"),
            ("correction_rate", "被纠错率"),
            ("reconsideration.mediated", "调解成功"),
            ("mediation_rate", "调解成功率"),
        ),
    ),
)
# Each column: (name, header, whether it opens a group).
COLUMNS = tuple((name, header, i == 0) for _, cols in COLUMN_GROUPS for i, (name, header) in enumerate(cols))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def drill_url(measure: str, date_from: datetime.date, date_to: datetime.date, **extra: Any) -> str:
    """The case list narrowed to the cases behind one number (``?figure=&from=&to=``, see cases.filters)."""
    params = {"figure": measure, "from": date_from.isoformat(), "to": date_to.isoformat()}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return reverse("cases:list") + "?" + urlencode(params)


def _row_scope(
    by: str, ref: Any, date_from: datetime.date, date_to: datetime.date, region_id: int | None
) -> tuple[datetime.date, datetime.date, dict[str, Any]] | None:
    """The window and list filters that select one row's cases, or None when the list cannot express them
    (the row of cases with no domain)."""
    if by == "county":
        return date_from, date_to, {"county": ref}
    if by == "agency":
        return date_from, date_to, {"region": region_id, "defendant": ref}
    if by == "domain":
        return (date_from, date_to, {"region": region_id, "domain": ref}) if ref else None
    month_end = ref.replace(day=calendar.monthrange(ref.year, ref.month)[1])
    return max(ref, date_from), min(month_end, date_to), {"region": region_id}


Window = tuple[datetime.date, datetime.date]
Cell = dict[str, Any]


def _cards(
    result: dict[str, Any], yoy: dict[str, Any], window: Window, region_id: int | None
) -> tuple[list[Cell], list[Cell]]:
    counts = result["counts"]
    cards = []
    for name, numerator, denominator, label in fig.RATES:
        change = yoy["change"][name]
        cards.append(
            {
                "label": label,
                "rate": percent(result["rates"][name]),
                "numerator": counts[numerator],
                "numerator_label": fig.MEASURE_LABELS[numerator],
                "numerator_url": drill_url(numerator, *window, region=region_id),
                "denominator": counts[denominator],
                "denominator_label": fig.MEASURE_LABELS[denominator],
                "denominator_url": drill_url(denominator, *window, region=region_id),
                "change": None if change is None else f"{abs(change):.2f}",
                "arrow": "" if change is None else ("↑" if change > 0 else "↓" if change < 0 else "持平"),
                "previous": percent(yoy["rates"][name]),
            }
        )
    volumes = [
        {"label": label, "count": counts[measure], "url": drill_url(measure, *window, region=region_id)}
        for measure, label in VOLUMES
    ]
    return cards, volumes


def _table(result: dict[str, Any], by: str, window: Window, region_id: int | None) -> tuple[list[Cell], list[Cell]]:
    def cells(figs: dict[str, Any], scope: tuple[datetime.date, datetime.date, dict[str, Any]] | None) -> list[Cell]:
        out = []
        for name, _header, opens_group in COLUMNS:
            if name in RATE_KEYS:
                out.append({"text": percent(figs["rates"][name]), "url": None, "rate": True, "first": opens_group})
            else:
                url = drill_url(name, scope[0], scope[1], **scope[2]) if scope else None
                out.append({"text": figs["counts"][name], "url": url, "rate": False, "first": opens_group})
        return out

    rows = [
        {"key": row["key"], "cells": cells(row, _row_scope(by, row["ref"], *window, region_id))}
        for row in result["rows"]
    ]
    total = cells(result, (window[0], window[1], {"region": region_id}))
    return rows, total


def figures(request: HttpRequest) -> HttpResponse:
    """The figures over ``visible_to(user)``; the filter's defaults are written into the form so they show."""
    user = cast(User, request.user)
    cases = visible_to(user)
    params = request.GET.copy()
    start, end = default_window()
    for name, default in (("date_from", start.isoformat()), ("date_to", end.isoformat()), ("by", "county")):
        if not params.get(name):
            params[name] = default
    form = FigureFilterForm(user, params)
    context: dict[str, Any] = {
        "nav": "figures",
        "form": form,
        "column_groups": [(label, len(cols)) for label, cols in COLUMN_GROUPS],
        "columns": [{"header": header, "first": first} for _name, header, first in COLUMNS],
    }
    if cases.query.is_empty():
        context["no_cases"] = True
        return render(request, "stats/figures.html", context)
    if not form.is_valid():
        return render(request, "stats/figures.html", context)
    data = form.cleaned_data
    region = data.get("region")
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
    window = (data["date_from"], data["date_to"])
    by = data["by"]
    result = fig.table(cases, *window, by=by)
    yoy = fig.year_on_year(cases, *window, current=result["rates"])
    region_id = region.pk if region else None
    cards, volumes = _cards(result, yoy, window, region_id)
    rows, total = _table(result, by, window, region_id)
    context.update(
        {
            "cards": cards,
            "volumes": volumes,
            "rows": rows,
            "total": total,
            "by_label": fig.GROUPINGS[by],
            "window": window,
            "previous_window": (yoy["from"], yoy["to"]),
            "region": region,
        }
    )
    return render(request, "stats/figures.html", context)
