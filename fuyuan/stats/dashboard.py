"""The supervision dashboard's data (issue 5 §1, SPEC §7): every number comes from ``figures`` (SPEC: no figure is
computed anywhere else) and carries the URL of the list behind it, or none when no list can show exactly it.

``build`` runs a fixed number of queries whatever the number of cases, counties or months: the county table
(which also gives the totals) and the levels of its regions (to name the 本级 row), the year-earlier totals, the
months, three loss groupings, two loss-cause groupings (and the agencies' names), the benchmarks; and, read live,
the week's hearings, the overdue deadlines by county, the overdue rectification items and the open written-report
duties (tests/stats/test_dashboard.py bounds them, cached and uncached).
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fuyuan.accountability import queries as duty_queries
from fuyuan.accountability.models import AWAITING_REPORT, DutyState
from fuyuan.cases.filters import EMPTY
from fuyuan.cases.models import Case
from fuyuan.core.models import Region, RegionLevel, Role, User
from fuyuan.deadlines.models import DeadlineState
from fuyuan.deadlines.queries import deadlines_visible_to
from fuyuan.disputes.models import Dispute
from fuyuan.hearings import queries as hearing_queries
from fuyuan.hearings.models import HearingState
from fuyuan.rectification.queries import overdue_items_count
from fuyuan.risk.queries import dashboard_levels as risk_levels
from fuyuan.stats import figures as fig
from fuyuan.stats.models import BENCHMARKED_RATES, BenchmarkScope, benchmarks_for
from fuyuan.stats.views import dispute_cards, drill_url, percent

Window = tuple[datetime.date, datetime.date]

# The rate cards, in SPEC §4's order. For 败诉率 and 被纠错率 lower is better; for the others higher is better.
CARD_RATES = ("loss_rate", "correction_rate", "mediation_rate", "appearance_rate")
LOWER_IS_BETTER = frozenset({"loss_rate", "correction_rate"})
RATE_PARTS = {name: (num, den, label) for name, num, den, label in fig.RATES}
# The ranking's sort keys: the four rates and 发案量 (``filed``).
SORTS = {**{name: RATE_PARTS[name][2] for name in CARD_RATES}, "filed": "发案量"}
DEFAULT_SORT = "loss_rate"
# The hearings of the coming week are shown to the roles that may open 本周开庭 (hearings.views.WEEK_ROLES).
WEEK_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
WEEK_DAYS = 7
TOP_LOSSES = 10


def _change(points: float | None) -> dict[str, Any]:
    if points is None:
        return {"text": None, "arrow": ""}
    return {"text": f"{abs(points):.2f}", "arrow": "↑" if points > 0 else "↓" if points < 0 else "持平"}


def _benchmarks(name: str, value: float | None, found: dict[str, Any]) -> list[dict[str, Any]]:
    """The 全省/全国平均 beside a rate, each with whether the region does better (None when either is missing)."""
    out = []
    for scope in BenchmarkScope:
        benchmark = found.get(name, {}).get(scope.value)
        if benchmark is None:
            continue
        bench_value = float(benchmark.value)
        better = None
        if value is not None and value != bench_value:
            better = value < bench_value if name in LOWER_IS_BETTER else value > bench_value
        out.append({"label": scope.label, "value": f"{bench_value:.2f}%", "better": better, "source": benchmark.source})
    return out


def _cards(result: dict[str, Any], yoy: dict[str, Any], window: Window, region_id: int | None, found: Any) -> Any:
    """The rate cards and the 发案量 card; the 上年同期 figures link to the same lists over the year-earlier window."""
    counts = result["counts"]
    previous_window = (yoy["from"], yoy["to"])
    cards = []
    for name in CARD_RATES:
        numerator, denominator, label = RATE_PARTS[name]
        value = result["rates"][name]
        cards.append(
            {
                "name": name,
                "label": label,
                "rate": percent(value),
                "numerator": counts[numerator],
                "numerator_label": fig.MEASURE_LABELS[numerator],
                "numerator_url": drill_url(numerator, *window, region=region_id),
                "denominator": counts[denominator],
                "denominator_label": fig.MEASURE_LABELS[denominator],
                "denominator_url": drill_url(denominator, *window, region=region_id),
                "change": _change(yoy["change"][name]),
                "previous": percent(yoy["rates"][name]),
                "previous_numerator": yoy["counts"][numerator],
                "previous_numerator_url": drill_url(numerator, *previous_window, region=region_id),
                "previous_denominator": yoy["counts"][denominator],
                "previous_denominator_url": drill_url(denominator, *previous_window, region=region_id),
                "lower_is_better": name in LOWER_IS_BETTER,
                "benchmarks": _benchmarks(name, value, found) if name in BENCHMARKED_RATES else [],
            }
        )
    filed = {
        "label": "发案量（一审立案）",
        "count": counts["litigation.filed"],
        "url": drill_url("litigation.filed", *window, region=region_id),
        "previous": yoy["counts"]["litigation.filed"],
        "previous_url": drill_url("litigation.filed", *previous_window, region=region_id),
    }
    return cards, filed


def _months(window: Window) -> list[datetime.date]:
    first, last = window[0].replace(day=1), window[1].replace(day=1)
    months = []
    while first <= last:
        months.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months


def _trend(cases: QuerySet[Case], window: Window, region_id: int | None) -> dict[str, Any]:
    """Each rate per month of the window (a month without cases has no point); a point opens that month's cases
    of the rate's numerator."""
    by_month = fig.monthly(cases, *window, CARD_RATES)
    months = _months(window)
    series = []
    for name in CARD_RATES:
        numerator, _denominator, label = RATE_PARTS[name]
        points = []
        for month in months:
            row = by_month.get(month)
            end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            scope = (max(month, window[0]), min(end, window[1]))
            points.append(
                {
                    "value": row["rates"][name] if row else None,
                    "count": row["counts"][numerator] if row else 0,
                    "url": drill_url(numerator, *scope, region=region_id),
                }
            )
        series.append({"name": name, "label": label, "points": points})
    return {"months": [m.strftime("%Y-%m") for m in months], "series": series}


def ranking_name(name: str, level: int) -> str:
    """A ranking row's name: a county's own, and "<州名>本级" for the cases of a prefecture's (or province's) own
    agencies, as the 通报 and the 一清周报 call that row."""
    return f"{name}本级" if level < RegionLevel.COUNTY else name


def _ranking(result: dict[str, Any], window: Window, sort: str, found: dict[str, Any], year: int) -> dict[str, Any]:
    """The counties ranked by ``sort`` (a key of SORTS, "-" before it reverses): rank 1 is the best (lowest loss or
    correction rate, highest mediation or appearance rate, most cases filed); a county with no rate comes last.
    One query names the rows above county level (本级)."""
    reverse_order = sort.startswith("-")
    key = sort.lstrip("-")
    refs = [row["ref"] for row in result["rows"]]
    levels = dict(Region.objects.filter(pk__in=refs).values_list("pk", "level")) if refs else {}
    rows = []
    for row in result["rows"]:
        scope = {"county": row["ref"]}
        cells = []
        for name in CARD_RATES:
            numerator, denominator, _label = RATE_PARTS[name]
            cells.append(
                {
                    "name": name,
                    "rate": percent(row["rates"][name]),
                    "numerator": row["counts"][numerator],
                    "numerator_url": drill_url(numerator, *window, **scope),
                    "denominator": row["counts"][denominator],
                    "denominator_url": drill_url(denominator, *window, **scope),
                }
            )
        filed = {
            "count": row["counts"]["litigation.filed"],
            "url": drill_url("litigation.filed", *window, **scope),
        }
        value = row["counts"]["litigation.filed"] if key == "filed" else row["rates"][key]
        name = ranking_name(row["key"], levels.get(row["ref"], RegionLevel.COUNTY))
        rows.append({"key": name, "ref": row["ref"], "cells": cells, "filed": filed, "value": value})

    def order(row: dict[str, Any]) -> tuple[bool, float]:
        value = row["value"]
        if value is None:
            return True, 0.0
        better_low = key in LOWER_IS_BETTER
        return False, (value if better_low else -value)

    rows.sort(key=order)
    ranked = [r for r in rows if r["value"] is not None]
    unranked = [r for r in rows if r["value"] is None]
    if reverse_order:
        ranked.reverse()
    rows = ranked + unranked
    for i, row in enumerate(rows, 1):
        row["rank"] = i if row["value"] is not None else None
    benchmark_row = [
        {scope.value: found.get(name, {}).get(scope.value) for scope in BenchmarkScope} for name in CARD_RATES
    ]
    return {
        "rows": rows,
        "sort": sort,
        "sort_key": key,
        "sorts": [
            {"key": k, "label": label, "active": k == key, "next": f"-{k}" if k == sort else k}
            for k, label in SORTS.items()
        ],
        "benchmarks": [
            {
                "province": f"{b['province'].value:.2f}%" if b["province"] else "—",
                "nation": f"{b['nation'].value:.2f}%" if b["nation"] else "—",
            }
            for b in benchmark_row
        ],
        "benchmark_year": year,
        "has_benchmarks": any(b["province"] or b["nation"] for b in benchmark_row),
    }


def _losses(cases: QuerySet[Case], window: Window, region_id: int | None) -> list[dict[str, Any]]:
    """首审败诉 by 案由, 领域 and agency (top 10 each), each bar linking to its cases; a bar of cases with no 案由 or
    领域 opens the list filtered to "未填写" (``cases.filters.EMPTY``)."""
    filters = {"cause": "cause", "domain": "domain", "agency": "defendant"}
    charts = []
    for by, label in fig.LOSS_GROUPINGS.items():
        bars = []
        for row in fig.losses_by(cases, *window, by, limit=TOP_LOSSES):
            ref: Any = row["ref"] if row["ref"] not in (None, "") else (EMPTY if by != "agency" else None)
            scope: dict[str, Any] = {"region": region_id, filters[by]: ref}
            url = drill_url("litigation.lost", *window, **scope) if ref else None
            bars.append({"key": row["key"], "count": row["count"], "url": url})
        charts.append({"by": by, "label": label, "bars": bars})
    return charts


# The roles that may open the loss-review list (accountability.loss_views.LIST_ROLES): for the others the cause
# counts are shown without links.
CAUSE_LINK_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON, Role.COURT_LIAISON})
CAUSE_TABLE_ROWS = 15
# The loss-review list's ``cause`` value for "倒查 recorded, any cause" (accountability.loss_views).
ANY_CAUSE = "any"


def _cause_link(base: dict[str, Any] | None, **extra: Any) -> str | None:
    if base is None:
        return None
    params = {**base, **{k: v for k, v in extra.items() if v not in (None, "")}}
    return reverse("accountability:loss_list") + "?" + urlencode(params)


def _causes(cases: QuerySet[Case], window: Window, user: User | None, region: Region | None) -> dict[str, Any]:
    """败诉原因 (issue 6 §2, SPEC §6.3): the causes of the window's first-instance losses overall (a bar chart) and
    by losing agency and by 领域 (tables), each number linking to the loss-review list filtered to that cause,
    agency or 领域 and the window. A review naming two causes counts once under each.

    The list narrows by county only (its ``county`` filter): a number gets a link when the chosen region is all the
    user sees or is a county, and only for the roles that may open the list. One query (grouped by agency and 领域
    together; the overall counts are the agencies' sums, every review having an agency) and one to name the
    agencies."""
    base: dict[str, Any] | None = None
    if user is not None and user.role in CAUSE_LINK_ROLES:
        base = {"concluded_from": window[0].isoformat(), "concluded_to": window[1].isoformat()}
        if not _whole_scope(user, region):
            assert region is not None
            base = {"county": region.pk, **base} if region.level == RegionLevel.COUNTY else None
    both = fig.loss_causes_by_agency_and_domain(cases, *window)
    by_agency, by_domain = both["agency"], both["domain"]
    causes = by_agency["causes"]
    bars = [
        {
            "key": c["label"],
            "cause": c["cause"],
            "count": c["count"],
            "url": _cause_link(base, cause=c["cause"]) if c["count"] else None,
        }
        for c in causes
    ]
    filters = {"agency": "agency", "domain": "domain"}
    tables = []
    for by, result in (("agency", by_agency), ("domain", by_domain)):
        rows = []
        for row in result["rows"][:CAUSE_TABLE_ROWS]:
            # A 领域 left blank cannot be chosen in the list: its row has no links.
            scope = {filters[by]: row["ref"]} if row["ref"] not in (None, "") else None
            cells = [
                {
                    "count": row["counts"][c["cause"]],
                    "url": _cause_link(base, cause=c["cause"], **scope)
                    if scope is not None and row["counts"][c["cause"]]
                    else None,
                }
                for c in causes
            ]
            rows.append(
                {
                    "key": row["key"],
                    "reviews": row["reviews"],
                    "reviews_url": _cause_link(base, cause=ANY_CAUSE, **scope) if scope is not None else None,
                    "cells": cells,
                }
            )
        tables.append(
            {"by": by, "label": fig.CAUSE_GROUPINGS[by], "rows": rows, "more": len(result["rows"]) - len(rows)}
        )
    return {
        "reviews": by_agency["reviews"],
        "mentions": sum(c["count"] for c in causes),
        "headers": [c["label"] for c in causes],
        "bars": bars,
        "tables": tables,
        "refusals": _enforcement_refusals(user, region, window),
    }


def _enforcement_refusals(user: User | None, region: Region | None, window: Window) -> dict[str, Any]:
    """非诉执行不准予 (SPEC §6.9): a court's refusal to enforce an agency's decision counts for the agency like a loss,
    so its causes are shown here as a source of their own, beside the reviews' and not added to them (the litigation
    figures are unchanged). Scoped by ``nonlitigation.queries.visible_to`` and the chosen region; one query."""
    from fuyuan.nonlitigation.figures import refusal_causes
    from fuyuan.nonlitigation.models import EnforcementFile
    from fuyuan.nonlitigation.queries import visible_to

    files = visible_to(user) if user is not None else EnforcementFile.objects.all()
    if region is not None:
        files = files.filter(agency__region__path__startswith=region.path)
    return refusal_causes(files, *window)


def _whole_scope(user: User, region: Region | None) -> bool:
    """Whether the chosen region is all the user sees, so that a list unfiltered by region shows the same."""
    return region is None or (user.region_id is not None and region.pk == user.region_id)


def _hearings(user: User, region: Region | None, today: datetime.date) -> dict[str, Any] | None:
    """The hearings of the coming seven days (today included, cancelled ones not), as 本周开庭 counts them."""
    if user.role not in WEEK_ROLES:
        return None
    end = today + datetime.timedelta(days=WEEK_DAYS - 1)
    hearings = (
        hearing_queries.visible_to(user).filter(held_on__range=(today, end)).exclude(state=HearingState.CANCELLED)
    )
    week = reverse("hearings:week") + "?" + urlencode({"start": today.isoformat()})
    url: str | None = week
    if region is not None:
        hearings = hearings.filter(county__path__startswith=region.path)
        if not _whole_scope(user, region):
            # 本周开庭 narrows by one county only (its ``county`` filter).
            url = week + "&" + urlencode({"county": region.pk}) if region.level == RegionLevel.COUNTY else None
    return {"count": hearings.count(), "from": today, "to": end, "url": url}


def _overdue(user: User, region: Region | None) -> dict[str, Any]:
    """Overdue deadlines (state 已逾期, set by the sweep) of the region's cases, by county; the total links to the
    临期/逾期 list filtered to 已逾期 and the region, each county's count to the list filtered to that county."""
    deadlines = deadlines_visible_to(user).filter(state=DeadlineState.OVERDUE)
    if region is not None:
        deadlines = deadlines.filter(case__region__path__startswith=region.path)
    rows = list(
        deadlines.order_by()
        .values("case__county_id", "case__county__name", "case__county__path", "case__county__level")
        .annotate(n=Count("id"))
        .order_by("-n", "case__county__path")
    )
    base = reverse("deadlines:list") + "?"
    url = base + urlencode({"state": DeadlineState.OVERDUE, "region": region.pk if region else ""})
    return {
        "count": sum(r["n"] for r in rows),
        "url": url if region is not None else base + urlencode({"state": DeadlineState.OVERDUE}),
        "counties": [
            {
                "key": ranking_name(r["case__county__name"], r["case__county__level"]),
                "count": r["n"],
                "url": base + urlencode({"state": DeadlineState.OVERDUE, "county": r["case__county_id"]})
                if r["case__county_id"]
                else None,
            }
            for r in rows
        ],
    }


# How many open written-report duties the dashboard lists (the count is of all of them).
DUTY_ROWS = 10


def _report_duties(user: User, region: Region | None, today: datetime.date) -> dict[str, Any] | None:
    """书面报告义务 (SPEC §4, §7 "open accountability items"): the region's duties not yet closed, the ones owed
    longest first, each with whether it is past its due date. None for a user who sees no duty (a county
    government's liaison sees the section only while their government owes one). Two queries."""
    duties = duty_queries.visible_to(user)
    if duties.query.is_empty():
        return None
    duties = duties.exclude(state=DutyState.CLOSED)
    if region is not None:
        duties = duties.filter(county__path__startswith=region.path)
    count = duties.count()
    if not count and user.role not in duty_queries.REGION_WIDE_ROLES:
        return None
    rows = [
        {
            "county": duty.county.name,
            "year": duty.year,
            "window": (duty.window_from, duty.window_to),
            "loss_rate": f"{duty.loss_rate:.2f}%",
            "due_on": duty.due_on,
            "state": duty.get_state_display(),
            "awaiting": duty.state in AWAITING_REPORT,
            "overdue": duty.is_overdue(today),
            "url": reverse("accountability:detail", args=[duty.pk]),
        }
        for duty in duties.select_related("county").order_by("due_on", "county__path")[:DUTY_ROWS]
    ]
    return {"count": count, "rows": rows, "more": count - len(rows), "url": reverse("accountability:list")}


def _year_earlier(
    cases: QuerySet[Case], disputes: QuerySet[Dispute] | None, window: Window, current: dict[str, Any]
) -> dict[str, Any]:
    """``figures.year_on_year``'s result, from the year-earlier county table: SQLite plans the grouped statement
    as one scan but the ungrouped one through an OR of four indexes, six times slower over 200,000 cases (bench)."""
    previous_from, previous_to = fig.shift_year_back(window[0]), fig.shift_year_back(window[1])
    previous = fig.table(cases, previous_from, previous_to, by="county", disputes=disputes)
    return {
        "from": previous_from,
        "to": previous_to,
        "counts": previous["counts"],
        "rates": previous["rates"],
        "change": {name: fig.points(current[name], previous["rates"][name]) for name, *_ in fig.RATES},
    }


def normal_sort(sort: str) -> str:
    """``sort`` when it names a key of SORTS (with or without "-"), else DEFAULT_SORT."""
    return sort if sort.lstrip("-") in SORTS else DEFAULT_SORT


def figures(
    cases: QuerySet[Case],
    disputes: QuerySet[Dispute] | None,
    region: Region | None,
    window: Window,
    sort: str = DEFAULT_SORT,
    user: User | None = None,
) -> dict[str, Any]:
    """The case-derived part of the dashboard (cards, year on year, ranking, trend, losses, loss causes, dispute
    cards): what ``stats.cache`` keeps, since it changes only with the cases, disputes, loss reviews and benchmarks
    it counts. ``user`` decides whether the loss causes link to the loss-review list (the cache key carries the
    user's role and scope)."""
    region_id = region.pk if region else None
    sort = normal_sort(sort)
    result = fig.table(cases, *window, by="county", disputes=disputes)
    yoy = _year_earlier(cases, disputes, window, result["rates"])
    year = window[1].year
    found = benchmarks_for(year)
    cards, filed = _cards(result, yoy, window, region_id, found)
    data: dict[str, Any] = {
        "cards": cards,
        "filed": filed,
        "previous_window": (yoy["from"], yoy["to"]),
        "ranking": _ranking(result, window, sort, found, year),
        "totals": result["total"],
    }
    data["trend"] = _trend(cases, window, region_id)
    data["losses"] = _losses(cases, window, region_id)
    data["causes"] = _causes(cases, window, user, region)
    # What the charts draw, for dashboard.js (json_script): every point and bar with the URL it opens.
    data["charts"] = {"trend": data["trend"], "losses": data["losses"], "causes": data["causes"]["bars"]}
    if disputes is not None:
        data["dispute_cards"] = dispute_cards(result, yoy, window, region_id, True)
    # 败诉风险预警 (issue 18): the pending cases by level over the user's scope, each linked to its list (one query;
    # the levels' workflow raises the figures' generation when a level changes).
    data["risk_levels"] = risk_levels(user) if user is not None else None
    return data


def live(user: User, region: Region | None, today: datetime.date | None = None) -> dict[str, Any]:
    """The parts that change without any case changing (the calendar moves the week, the sweep marks deadlines
    overdue, rectification items pass their day, written-report duties are opened by the sweep and closed by a
    review) and cost a few small queries: never cached. The overdue rectification items count over the user's
    whole scope (the 销账本 has no region filter)."""
    today = today or timezone.localdate()
    return {
        "hearings": _hearings(user, region, today),
        "overdue": _overdue(user, region),
        "rectification_overdue": overdue_items_count(user, today),
        "report_duties": _report_duties(user, region, today),
    }


def build(
    user: User,
    cases: QuerySet[Case],
    disputes: QuerySet[Dispute] | None,
    region: Region | None,
    window: Window,
    sort: str = DEFAULT_SORT,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """The dashboard over ``cases`` (and ``disputes``, when the user sees the centre's figures) of ``region`` in
    ``window``; ``cases`` and ``disputes`` are already narrowed to the user's scope and the region. Uncached:
    the page goes through ``stats.cache.build``."""
    return {**figures(cases, disputes, region, window, sort, user), **live(user, region, today)}
