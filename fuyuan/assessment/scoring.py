"""The assessment computed from the records (SPEC §6.7): every county and department of a scheme's prefecture, each
indicator's numerator, denominator, value and points, the score and the rank.

Nothing here is stored: the ranking is recomputed from the records each time, so every score can be traced to its
records (``Cell.url``). The queries do not grow with the number of counties or departments: the units (two), the
manual entries (one), one aggregate for all the stats rates (the figures module's measures, read from its maintained
counts), one aggregate per ``own`` source, and whatever each ``module`` source costs — each narrowed to the scheme's
prefecture (``Source.regional``).

Scoring (the rule of each indicator, ``points``): a value scores ``weight × share``, where the share is, for a linear
rule, the value's place between the floor (0) and the target (1), clipped to [0, 1] — reversed when lower is better
(the floor is then the worse, higher, end); for a "met" rule, 1 when the target is reached, else 0.

An indicator with nothing to count for a unit (no cases concluded, no items due) scores nothing and is not held
against it: the unit's score is its points over the weights of the indicators that did score, times 100
(按实际适用指标折算). An indicator whose records are missing (its module is absent, or a manual item not entered yet)
says so on every row and is left out the same way — never a silent zero.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse

from fuyuan.assessment.indicators import COUNTY, DEPARTMENT, SOURCES, RecordsMissing, Source, resolve
from fuyuan.assessment.models import Indicator, ManualEntry, RuleKind, Scheme
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel
from fuyuan.stats import figures as fig

CENT = Decimal("0.01")
# The departments assessed are the prefecture's own (州直部门): its administrative agencies and its 司法局.
DEPARTMENT_KINDS = (OrganisationKind.AGENCY, OrganisationKind.JUSTICE_BUREAU)

SCORED, EMPTY, MISSING, NOT_APPLICABLE = "scored", "empty", "missing", "not_applicable"
STATUS_TEXT = {
    EMPTY: "本年度无应计记录，不计分",
    MISSING: "缺少记录：该指标的数据来源尚未接入，不计分",
    NOT_APPLICABLE: "不适用",
}


def share(indicator: Indicator, value: Decimal) -> Decimal:
    """The share of the indicator's weight that ``value`` earns under its rule, in [0, 1]."""
    floor, target = indicator.floor, indicator.target
    if indicator.rule == RuleKind.MET:
        reached = value <= target if indicator.lower_is_better else value >= target
        return Decimal(1) if reached else Decimal(0)
    if floor == target:
        return Decimal(1) if (value <= target if indicator.lower_is_better else value >= target) else Decimal(0)
    part = (floor - value) / (floor - target) if indicator.lower_is_better else (value - floor) / (target - floor)
    return min(Decimal(1), max(Decimal(0), part))


def points(indicator: Indicator, value: Decimal) -> Decimal:
    return (indicator.weight * share(indicator, value)).quantize(CENT, rounding=ROUND_HALF_UP)


def value_of(source: Source, numerator: Any, denominator: Any) -> Decimal | None:
    """A rate in percent through the figures module's own rounding, or an average to two decimals."""
    if not denominator:
        return None
    if source.measure == "average":
        return (Decimal(str(numerator)) / Decimal(str(denominator))).quantize(CENT, rounding=ROUND_HALF_UP)
    rate = fig.rate(int(numerator), int(denominator))
    return None if rate is None else Decimal(str(rate))


@dataclass
class Cell:
    indicator: Indicator
    status: str
    numerator: Any = None
    denominator: Any = None
    value: Decimal | None = None
    points: Decimal | None = None
    url: str = ""
    numerator_url: str = ""
    note: str = ""
    suffix: str = ""  # "%" for a rate

    @property
    def text(self) -> str:
        if self.status != SCORED:
            return STATUS_TEXT[self.status] if not self.note else self.note
        return ""


@dataclass
class Row:
    kind: str
    ref: int
    name: str
    cells: list[Cell]
    points: Decimal = Decimal(0)
    full: Decimal = Decimal(0)
    score: Decimal | None = None
    rank: int | None = None
    missing: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    scheme: Scheme
    indicators: list[Indicator]
    counties: list[Row]
    departments: list[Row]
    # code → why its records are missing for everyone (the module is absent).
    missing: dict[str, str]

    def rows(self) -> list[Row]:
        return [*self.counties, *self.departments]


def _units(scheme: Scheme) -> tuple[list[Region], list[Organisation], dict[int, int | None]]:
    """The counties, the departments, and each organisation of the prefecture → its county (None: 州本级)."""
    counties = list(Region.objects.filter(parent=scheme.region, level=RegionLevel.COUNTY).order_by("path"))
    county_ids = {c.pk for c in counties}
    depth = len(scheme.region.path.strip("/").split("/"))
    organisations = Organisation.objects.filter(region__path__startswith=scheme.region.path).values_list(
        "pk", "name", "kind", "region_id", "region__path"
    )
    county_of: dict[int, int | None] = {}
    departments = []
    for pk, name, kind, region_id, path in organisations:
        parts = path.strip("/").split("/")
        county = int(parts[depth]) if len(parts) > depth else None
        county_of[pk] = county if county in county_ids else None
        if region_id == scheme.region_id and kind in DEPARTMENT_KINDS:
            departments.append(Organisation(pk=pk, name=name, kind=kind, region_id=region_id))
    departments.sort(key=lambda o: o.name)
    return counties, departments, county_of


def _stats_counts(scheme: Scheme, sources: list[Source]) -> dict[str, dict[int, tuple[int, int]]]:
    """Each stats source's (numerator, denominator) per defendant agency, counted by the figures module itself
    (``figures.counts_by``, grouped by agency, only the measures these rates need): for the cases of the prefecture's
    regions it reads the year's whole months from the maintained counts (``stats.FigureCount``, SPEC §4) in one
    statement instead of the cases — the figures module's definitions and numbers, not a second way of counting."""
    if not sources:
        return {}
    date_from, date_to = scheme.window
    parts = {name: (num, den) for name, num, den, _label in fig.RATES}
    needed = sorted({m for s in sources for m in parts[s.path]})
    cases = Case.objects.filter(region__path__startswith=scheme.region.path)
    rows = fig.counts_by(cases, date_from, date_to, "agency", needed)
    result: dict[str, dict[int, tuple[int, int]]] = {}
    for source in sources:
        num, den = parts[source.path]
        result[source.code] = {ref: (row[num], row[den]) for ref, row in rows.items()}
    return result


def _sum(counts: dict[int, tuple[Any, Any]], keys: Iterable[int]) -> tuple[Any, Any]:
    numerator: Any = 0
    denominator: Any = 0
    for key in keys:
        if key in counts:
            numerator += counts[key][0]
            denominator += counts[key][1]
    return numerator, denominator


def _stats_urls(
    source: Source, kind: str, ref: int, window: tuple[datetime.date, datetime.date], case_list: str
) -> tuple[str, str]:
    """The figures module's drill-down lists (the case list narrowed by ``figure=&from=&to=``, see cases.filters, as
    ``stats.views.drill_url`` builds them) of the denominator and of the numerator."""
    parts = {name: (num, den) for name, num, den, _label in fig.RATES}
    num, den = parts[source.path]
    scope = f"{'county' if kind == COUNTY else 'defendant'}={ref}"
    dates = f"from={window[0].isoformat()}&to={window[1].isoformat()}"

    def url(measure: str) -> str:
        # Every part is a measure name, an ISO date or a number: nothing to quote.
        return f"{case_list}?figure={measure}&{dates}&{scope}"

    return url(den), url(num)


def compute(scheme: Scheme) -> Assessment:
    """The assessment of every county and department of the scheme's prefecture, ranked within each group."""
    indicators = list(scheme.indicators.order_by("position"))
    counties, departments, county_of = _units(scheme)
    sources = {i.code: SOURCES.get(i.code) for i in indicators}
    stats_sources = [s for s in sources.values() if s is not None and s.kind == "stats"]
    counts = _stats_counts(scheme, stats_sources)
    missing: dict[str, str] = {}
    url_of: dict[str, Callable[..., str]] = {}
    for indicator in indicators:
        source = sources[indicator.code]
        if source is None:
            missing[indicator.code] = f"指标“{indicator.name}”没有登记数据来源"
        elif source.kind in ("own", "module"):
            try:
                count = resolve(source.path)
                counted = count(scheme.year, within=scheme.region.path) if source.regional else count(scheme.year)
                counts[indicator.code] = counted
            except RecordsMissing:
                what = source.records or "数据来源"
                missing[indicator.code] = f"缺少记录：平台尚未接入{what}，“{indicator.name}”本年度不计分"
            if source.kind == "module" and source.records_url:
                with contextlib.suppress(RecordsMissing):
                    url_of[indicator.code] = resolve(source.records_url)
    manual = {i.pk for i in indicators if (s := sources[i.code]) is not None and s.kind == "manual"}
    entries: dict[tuple[int, str, int], ManualEntry] = {}
    for entry in ManualEntry.objects.filter(indicator_id__in=manual):
        if entry.region_id:
            entries[(entry.indicator_id, COUNTY, entry.region_id)] = entry
        else:
            entries[(entry.indicator_id, DEPARTMENT, entry.organisation_id)] = entry  # type: ignore[index]
    orgs_of_county: dict[int, list[int]] = {}
    for org, county in county_of.items():
        if county is not None:
            orgs_of_county.setdefault(county, []).append(org)
    window = scheme.window
    case_list = reverse("cases:list")

    def cell(indicator: Indicator, kind: str, ref: int) -> Cell:
        source = sources[indicator.code]
        if indicator.code in missing or source is None:
            return Cell(indicator, MISSING, note=missing.get(indicator.code, ""))
        if kind not in source.applies_to:
            return Cell(indicator, NOT_APPLICABLE)
        if source.kind == "manual":
            entry = entries.get((indicator.pk, kind, ref))
            if entry is None:
                return Cell(indicator, MISSING, note="缺少记录：尚未录入（须附佐证材料）")
            url = reverse("assessment:evidence", args=[entry.pk])
            return Cell(indicator, SCORED, value=entry.value, points=points(indicator, entry.value), url=url)
        found = counts[indicator.code]
        if source.keyed_by == "county":
            numerator, denominator = found.get(ref, (0, 0))
        else:
            numerator, denominator = _sum(found, orgs_of_county.get(ref, []) if kind == COUNTY else [ref])
        url = numerator_url = ""
        if source.kind == "stats":
            url, numerator_url = _stats_urls(source, kind, ref, window, case_list)
        elif source.kind == "own":
            url = reverse("assessment:records", args=[scheme.pk, indicator.code]) + f"?{kind}={ref}"
        elif indicator.code in url_of:
            organisations = orgs_of_county.get(ref, []) if kind == COUNTY else [ref]
            url = url_of[indicator.code](scheme.year, organisations)
        value = value_of(source, numerator, denominator)
        if value is None:
            return Cell(indicator, EMPTY, numerator, denominator, url=url)
        suffix = "%" if source.measure == "rate" else ""
        return Cell(
            indicator,
            SCORED,
            numerator,
            denominator,
            value,
            points(indicator, value),
            url,
            numerator_url,
            suffix=suffix,
        )

    def row(kind: str, ref: int, name: str) -> Row:
        cells = [cell(i, kind, ref) for i in indicators]
        result = Row(kind, ref, name, cells)
        for c in cells:
            if c.status == SCORED and c.points is not None:
                result.points += c.points
                result.full += c.indicator.weight
            elif c.status == MISSING:
                result.missing.append(c.indicator.name)
        if result.full:
            result.score = (result.points * 100 / result.full).quantize(CENT, rounding=ROUND_HALF_UP)
        return result

    county_rows = _ranked([row(COUNTY, c.pk, c.name) for c in counties])
    department_rows = _ranked([row(DEPARTMENT, d.pk, d.name) for d in departments])
    return Assessment(scheme, indicators, county_rows, department_rows, missing)


def _ranked(rows: list[Row]) -> list[Row]:
    """Best score first; equal scores share a rank (1, 2, 2, 4); a unit with no score at all comes last, unranked."""
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.name))
    rank = 0
    previous: Decimal | None = None
    for position, r in enumerate(rows, start=1):
        if r.score is None:
            continue
        if r.score != previous:
            rank, previous = position, r.score
        r.rank = rank
    return rows
