"""The figures page: the rates of SPEC §4 over the cases the user may see, every number a link to its cases;
and the coordination centre's figures (协调化解: 调解成功率, 化解数, 化解/败诉比) over the disputes the user may see,
every number a link to the dispute queue where the queue's filters can express it."""

from __future__ import annotations

import calendar
import datetime
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from fuyuan.cases.queries import visible_to
from fuyuan.core.models import Role, User
from fuyuan.core.replica import reads_replica
from fuyuan.disputes import queries as dispute_queries
from fuyuan.disputes.choices import DisputeState
from fuyuan.disputes.models import Dispute
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


# The dispute table's columns (name, header): a dispute measure links to the dispute queue, a litigation measure
# to the case list; "resolved" is 化解数 (disputes and cases), the rates are shown as they are.
DISPUTE_COLUMNS = (
    ("disputes.closed", "办结"),
    ("disputes.mediated", "调解成功"),
    ("mediation_rate", "调解成功率"),
    ("disputes.resolved", "争议化解"),
    ("litigation.resolved", "诉讼化解"),
    ("resolved", "化解数"),
    ("litigation.lost", "一审败诉"),
    ("resolved_to_loss_ratio", "化解/败诉比"),
)
# Without cases (grouped by centre or coordinator, or a user who sees no case) only the disputes' columns.
DISPUTE_ONLY_COLUMNS = ("disputes.closed", "disputes.mediated", "mediation_rate", "disputes.resolved")
# The queue's ``outcome`` filter for each dispute measure: a DisputeOutcome value, or a set named by the queue.
QUEUE_OUTCOMES = {
    "disputes.closed": "closed_after_mediation",
    "disputes.mediated": "mediated",
    "disputes.resolved": "resolved",
}


def disputes_for_figures(user: User) -> QuerySet[Dispute]:
    """The disputes whose figures ``user`` sees: those of ``disputes.queries.visible_to``, except a coordinator's.

    A coordinator sees only the disputes assigned to them now (SPEC §2): a rate over those would change each time
    an assignment ends, so the centre's figures are not shown to coordinators.
    """
    if user.role == Role.COORDINATOR:
        return Dispute.objects.none()
    return dispute_queries.visible_to(user)


def queue_url(measure: str, date_from: datetime.date, date_to: datetime.date, **extra: Any) -> str:
    """The dispute queue narrowed to the disputes behind one number, by 办结日期 (``closed_from``/``closed_to``)."""
    params: dict[str, Any] = {}
    if measure == "disputes.closed":
        params["state"] = DisputeState.CLOSED
    params.update(
        {"outcome": QUEUE_OUTCOMES[measure], "closed_from": date_from.isoformat(), "closed_to": date_to.isoformat()}
    )
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return reverse("disputes:queue") + "?" + urlencode(params)


def _dispute_row_scope(
    by: str, ref: Any, date_from: datetime.date, date_to: datetime.date, region_id: int | None
) -> tuple[datetime.date, datetime.date, dict[str, Any]] | None:
    """The window and queue filters that select one row's disputes, or None when the queue cannot express them:
    it filters by centre, domain and coordinator, not by region, county or agency."""
    if region_id is not None:
        return None
    if by in ("centre", "coordinator"):
        return date_from, date_to, {by: ref}
    if by == "domain":
        return (date_from, date_to, {"domain": ref}) if ref else None
    if by == "month":
        month_end = ref.replace(day=calendar.monthrange(ref.year, ref.month)[1])
        return max(ref, date_from), min(month_end, date_to), {}
    return None


def _ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def dispute_cards(
    result: dict[str, Any], yoy: dict[str, Any], window: Window, region_id: int | None, with_cases: bool
) -> dict[str, Any]:
    """协调化解's three cards: 调解成功率, 化解数 and 化解/败诉比, each part of them a link to its records. Shared by the
    figures page and the dashboard (``stats.dashboard``): the figures come from ``figures.dispute_figures``, this
    only arranges them with their links."""
    counts = result["counts"]
    group = fig.dispute_figures(counts, with_cases)
    previous = fig.dispute_figures(yoy["counts"], with_cases)
    previous_window = (yoy["from"], yoy["to"])

    def queue(measure: str, earlier: bool = False) -> dict[str, Any]:
        """The queue lists disputes by centre, not region: a count for a chosen region has no link."""
        span, source = (previous_window, yoy["counts"]) if earlier else (window, counts)
        url = queue_url(measure, *span) if region_id is None else None
        return {"count": source[measure], "label": fig.DISPUTE_MEASURE_LABELS[measure], "url": url}

    def case_list(measure: str, earlier: bool = False) -> dict[str, Any]:
        span, source = (previous_window, yoy["counts"]) if earlier else (window, counts)
        url = drill_url(measure, *span, region=region_id)
        return {"count": source[measure], "label": fig.MEASURE_LABELS[measure], "url": url}

    change = fig.points(group["mediation_rate"], previous["mediation_rate"])
    return {
        "with_cases": with_cases,
        "mediation_rate": percent(group["mediation_rate"]),
        "mediated": queue("disputes.mediated"),
        "closed": queue("disputes.closed"),
        "change": None if change is None else f"{abs(change):.2f}",
        "arrow": "" if change is None else ("↑" if change > 0 else "↓" if change < 0 else "持平"),
        "previous_rate": percent(previous["mediation_rate"]),
        "resolved": group["resolved"],
        "disputes_resolved": queue("disputes.resolved"),
        "litigation_resolved": case_list("litigation.resolved"),
        "previous_resolved": previous["resolved"],
        "previous_mediated": queue("disputes.mediated", earlier=True),
        "previous_closed": queue("disputes.closed", earlier=True),
        "previous_disputes_resolved": queue("disputes.resolved", earlier=True),
        "previous_litigation_resolved": case_list("litigation.resolved", earlier=True),
        "ratio": _ratio_text(group["resolved_to_loss_ratio"]),
        "lost": case_list("litigation.lost"),
        "previous_ratio": _ratio_text(previous["resolved_to_loss_ratio"]),
    }


def _dispute_table(
    result: dict[str, Any], by: str, window: Window, region_id: int | None, with_cases: bool
) -> tuple[list[str], list[Cell], list[Cell], bool]:
    """The dispute table's headers, rows and total, and whether a number is left without a link."""
    with_cases = with_cases and by not in fig.DISPUTE_GROUPINGS
    columns = [(name, header) for name, header in DISPUTE_COLUMNS if with_cases or name in DISPUTE_ONLY_COLUMNS]
    unlinked = False

    def cells(counts: dict[str, int], dispute_scope: Any, case_scope: Any) -> list[Cell]:
        nonlocal unlinked
        group = fig.dispute_figures(counts, with_cases)
        out: list[Cell] = []
        for name, _header in columns:
            url = None
            if name == "mediation_rate":
                text: Any = percent(group[name])
            elif name == "resolved_to_loss_ratio":
                text = _ratio_text(group[name])
            elif name == "resolved":
                text = group["resolved"]
            elif name.startswith("disputes."):
                text = counts[name]
                if dispute_scope:
                    url = queue_url(name, dispute_scope[0], dispute_scope[1], **dispute_scope[2])
                else:
                    unlinked = True
            else:
                text = counts[name]
                url = drill_url(name, case_scope[0], case_scope[1], **case_scope[2]) if case_scope else None
            out.append({"text": text, "url": url, "rate": name in ("mediation_rate", "resolved_to_loss_ratio")})
        return out

    rows = [
        {
            "key": row["key"],
            "cells": cells(
                row["counts"],
                _dispute_row_scope(by, row["ref"], *window, region_id),
                _row_scope(by, row["ref"], *window, region_id) if with_cases else None,
            ),
        }
        for row in result["rows"]
    ]
    total_scope: tuple[datetime.date, datetime.date, dict[str, Any]] | None = (
        None if region_id is not None else (window[0], window[1], {})
    )
    total = cells(result["counts"], total_scope, (window[0], window[1], {"region": region_id}))
    return [header for _name, header in columns], rows, total, unlinked


@reads_replica
def figures(request: HttpRequest) -> HttpResponse:
    """The figures over ``visible_to(user)`` and ``disputes_for_figures(user)``; the filter's defaults are written
    into the form so they show. Grouped by centre or coordinator, the case table gives way to the dispute table."""
    user = cast(User, request.user)
    cases = visible_to(user)
    disputes = disputes_for_figures(user)
    # A centre's staff see the few cases their disputes were linked to, not a registry to take figures of.
    show_cases = not cases.query.is_empty() and user.role != Role.CENTRE_STAFF
    show_disputes = not disputes.query.is_empty()
    params = request.GET.copy()
    start, end = default_window()
    for name, default in (("date_from", start.isoformat()), ("date_to", end.isoformat()), ("by", "county")):
        if not params.get(name):
            params[name] = default
    form = FigureFilterForm(user, params, with_disputes=show_disputes)
    context: dict[str, Any] = {
        "nav": "figures",
        "form": form,
        "column_groups": [(label, len(cols)) for label, cols in COLUMN_GROUPS],
        "columns": [{"header": header, "first": first} for _name, header, first in COLUMNS],
    }
    if not show_cases and not show_disputes:
        context["no_cases"] = True
        return render(request, "stats/figures.html", context)
    if not form.is_valid():
        return render(request, "stats/figures.html", context)
    data = form.cleaned_data
    region = data.get("region")
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
        disputes = disputes.filter(region__path__startswith=region.path)
    window = (data["date_from"], data["date_to"])
    by = data["by"]
    counted_disputes = disputes if show_disputes else None
    result = fig.table(cases, *window, by=by, disputes=counted_disputes)
    yoy = fig.year_on_year(cases, *window, current=result["rates"], disputes=counted_disputes)
    region_id = region.pk if region else None
    context.update(
        {
            "by_label": fig.ALL_GROUPINGS[by],
            "by_coordinator": by == "coordinator",
            "window": window,
            "previous_window": (yoy["from"], yoy["to"]),
            "region": region,
        }
    )
    if show_cases:
        cards, volumes = _cards(result, yoy, window, region_id)
        context.update({"cards": cards, "volumes": volumes})
        if by not in fig.DISPUTE_GROUPINGS:
            rows, total = _table(result, by, window, region_id)
            context.update({"case_table": True, "rows": rows, "total": total})
    if show_disputes:
        headers, dispute_rows, dispute_total, unlinked = _dispute_table(result, by, window, region_id, show_cases)
        context.update(
            {
                "dispute_cards": dispute_cards(result, yoy, window, region_id, show_cases),
                "dispute_headers": headers,
                "dispute_rows": dispute_rows,
                "dispute_total": dispute_total,
                "dispute_unlinked": unlinked or region_id is not None,
            }
        )
    return render(request, "stats/figures.html", context)
