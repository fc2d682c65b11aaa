"""The weekly summary "一清" (issue 5): every week the two levels' reconsideration bodies and courts report the
totals, so the three rates (纠错率、败诉率、出庭应诉率) are known at any time (黔南州's "一清两包" mechanism, seed
002). Per county: the week's (Monday–Sunday) new cases and conclusions, the same from 1 January to the week's
Sunday, and the year's running rates; every count links to its cases. A page and the same table as .xlsx.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from fuyuan.cases.ledger import HEADER_FONT
from fuyuan.cases.queries import REGION_WIDE_ROLES, visible_to
from fuyuan.core.models import Region, RegionLevel, User
from fuyuan.core.queries import regions_visible_to
from fuyuan.core.replica import reads_replica
from fuyuan.stats import figures as fig
from fuyuan.stats.views import drill_url, percent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# 一清 is the 依法治办's weekly roll-call, read by the leaders (SPEC §2: the roles that see their whole region).
WEEKLY_ROLES = REGION_WIDE_ROLES
# The counts of each window: (measure, header).
COUNT_COLUMNS = (
    ("reconsideration.received", "复议收案"),
    ("reconsideration.concluded", "复议办结"),
    ("reconsideration.corrected", "被纠错"),
    ("litigation.filed", "一审立案"),
    ("litigation.concluded", "一审结案"),
    ("litigation.lost", "败诉"),
    ("litigation.hearings", "开庭"),
    ("litigation.head_appeared", "负责人出庭"),
)
# The three rates of the seeds (三率), running from 1 January: (rate, header).
RATE_COLUMNS = (("correction_rate", "被纠错率"), ("loss_rate", "败诉率"), ("appearance_rate", "出庭应诉率"))
RATE_PARTS = {name: (numerator, denominator) for name, numerator, denominator, _ in fig.RATES}


@dataclass(frozen=True)
class Week:
    start: datetime.date
    end: datetime.date

    @property
    def year_start(self) -> datetime.date:
        """The year to date runs from 1 January of the year the week ends in."""
        return self.end.replace(month=1, day=1)


def week_of(day: datetime.date) -> Week:
    start = day - datetime.timedelta(days=day.weekday())
    return Week(start, start + datetime.timedelta(days=6))


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in WEEKLY_ROLES:
        raise PermissionDenied("一清周报仅供依法治办和领导查看")
    return user


def _choose(request: HttpRequest, user: User) -> tuple[Week, Region | None, list[Region]]:
    """The week of ``week=`` (any day in it; this week when missing or malformed) and the region of ``region=``
    (one the user may see; their own by default)."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    choices = list(regions_visible_to(user).filter(level__lte=RegionLevel.COUNTY))
    choices.sort(key=_tree_order)
    region = user.scope_region
    wanted = request.GET.get("region", "")
    if wanted.isdigit():
        region = next((r for r in choices if r.pk == int(wanted)), region)
    return week_of(day), region, choices


def _tree_order(region: Region) -> tuple[int, ...]:
    return tuple(int(p) for p in region.path.strip("/").split("/"))


def _label(region: Region) -> str:
    return f"{region.name}本级" if region.level < RegionLevel.COUNTY else region.name


def summary(user: User, week: Week, region: Region) -> dict[str, Any]:
    """Both windows' figures per county of ``region`` (every county listed, with zeros when nothing happened)."""
    cases = visible_to(user).filter(region__path__startswith=region.path)
    this_week = fig.table(cases, week.start, week.end, by="county")
    year = fig.table(cases, week.year_start, week.end, by="county")
    counties = sorted(region.subtree().filter(level__lte=RegionLevel.COUNTY), key=_tree_order)
    zero = dict.fromkeys(fig.MEASURES, 0)
    week_rows = {row["ref"]: row for row in this_week["rows"]}
    year_rows = {row["ref"]: row for row in year["rows"]}
    known = {c.pk for c in counties}
    extra = [(ref, row["key"]) for ref, row in {**year_rows, **week_rows}.items() if ref not in known]
    rows = []
    for ref, name in [(c.pk, _label(c)) for c in counties] + extra:
        week_counts = week_rows[ref]["counts"] if ref in week_rows else zero
        year_counts = year_rows[ref]["counts"] if ref in year_rows else zero
        rows.append(
            {"name": name, "ref": ref, "week": week_counts, "year": year_counts, "rates": fig.rates(year_counts)}
        )
    total = {
        "name": "合计",
        "ref": None,
        "week": this_week["counts"],
        "year": year["counts"],
        "rates": year["rates"],
    }
    return {"rows": rows, "total": total}


def _cells(row: dict[str, Any], week: Week, region: Region) -> dict[str, Any]:
    scope = {"county": row["ref"]} if row["ref"] is not None else {"region": region.pk}
    week_cells = [
        {"count": row["week"][m], "url": drill_url(m, week.start, week.end, **scope)} for m, _ in COUNT_COLUMNS
    ]
    year_cells = [
        {"count": row["year"][m], "url": drill_url(m, week.year_start, week.end, **scope)} for m, _ in COUNT_COLUMNS
    ]
    rate_cells = []
    for name, _ in RATE_COLUMNS:
        numerator, denominator = RATE_PARTS[name]
        rate_cells.append(
            {
                "rate": percent(row["rates"][name]),
                "numerator": row["year"][numerator],
                "numerator_url": drill_url(numerator, week.year_start, week.end, **scope),
                "denominator": row["year"][denominator],
                "denominator_url": drill_url(denominator, week.year_start, week.end, **scope),
            }
        )
    return {"name": row["name"], "week": week_cells, "year": year_cells, "rates": rate_cells}


def _query(week: datetime.date, region: Region, user: User) -> str:
    params = {"week": week.isoformat()}
    if region != user.scope_region:
        params["region"] = str(region.pk)
    return "?" + urlencode(params)


@reads_replica
def weekly(request: HttpRequest) -> HttpResponse:
    """一清周报: the week and the year to date, per county, with prev/next week and the .xlsx export."""
    user = _user(request)
    week, region, choices = _choose(request, user)
    context: dict[str, Any] = {"nav": "weekly", "week": week, "today": timezone.localdate()}
    if region is None:
        return render(request, "stats/weekly.html", {**context, "no_region": True})
    data = summary(user, week, region)
    context.update(
        {
            "region": region,
            "regions": [(r.pk, "\u3000" * max(r.level - RegionLevel.PREFECTURE, 0) + r.name) for r in choices],
            "count_headers": [header for _, header in COUNT_COLUMNS],
            "rate_headers": [header for _, header in RATE_COLUMNS],
            "rows": [_cells(row, week, region) for row in data["rows"]],
            "total": _cells(data["total"], week, region),
            "prev_url": _query(week.start - datetime.timedelta(days=7), region, user),
            "next_url": _query(week.start + datetime.timedelta(days=7), region, user),
            "this_week_url": _query(timezone.localdate(), region, user),
            "is_this_week": week == week_of(timezone.localdate()),
            "export_url": reverse("stats:weekly_export") + _query(week.start, region, user),
        }
    )
    return render(request, "stats/weekly.html", context)


@reads_replica
def weekly_export(request: HttpRequest) -> HttpResponse:
    """The same table as .xlsx: one sheet, the week's counts, the year's counts and the year's rates."""
    user = _user(request)
    week, region, _choices = _choose(request, user)
    if region is None:
        raise PermissionDenied("您没有可统计的地区")
    data = summary(user, week, region)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "一清周报"
    headers = (
        ["县（市、区）"]
        + [f"本周{h}" for _, h in COUNT_COLUMNS]
        + [f"本年累计{h}" for _, h in COUNT_COLUMNS]
        + [f"本年{h}（%）" for _, h in RATE_COLUMNS]
    )
    sheet.append(headers)
    for index, header in enumerate(headers, start=1):
        sheet.cell(1, index).font = HEADER_FONT
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 2)
    for row in [*data["rows"], data["total"]]:
        sheet.append(
            [row["name"]]
            + [row["week"][m] for m, _ in COUNT_COLUMNS]
            + [row["year"][m] for m, _ in COUNT_COLUMNS]
            + [row["rates"][name] for name, _ in RATE_COLUMNS]
        )
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
    sheet.freeze_panes = "B2"
    sheet.append([])
    sheet.append([f"{region.name}　本周：{week.start} 至 {week.end}；本年累计：{week.year_start} 至 {week.end}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    name = f"一清周报-{region.name}-{week.start.isoformat()}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    fallback = f"weekly-{region.pk}-{week.start.isoformat()}.xlsx"
    response["Content-Disposition"] = f"attachment; filename={fallback}; filename*=UTF-8''{quote(name)}"
    return response
