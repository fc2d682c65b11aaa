"""What the yearly assessment (法治建设考核) reads of court attendance: one aggregate query; its drill-down is
``attendance:list`` with ``?organisation=ID&year=YYYY`` (exactly the sessions counted here)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse

from fuyuan.attendance.models import SessionUnit
from fuyuan.attendance.rules import min_sessions


def counted_units(year: int) -> QuerySet[SessionUnit]:
    """The attendances the indicator counts: one per unit per session held in ``year``."""
    return SessionUnit.objects.filter(held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31))


def attendance_compliance(year: int, within: str = "") -> dict[int, tuple[int, int]]:
    """Per unit (Organisation id): (sessions attended in ``year``, capped at the rule's number; the rule's number).
    A unit with no session in the year is absent (its records are missing, not a silent zero). ``within`` (a region
    path): only the units of that region's subtree (the assessment's prefecture)."""
    rule = min_sessions()
    units = counted_units(year)
    if within:
        units = units.filter(organisation__region__path__startswith=within)
    rows = units.values("organisation_id").annotate(n=Count("id")).order_by()
    return {r["organisation_id"]: (min(r["n"], rule), rule) for r in rows}


def attendance_compliance_url(year: int, organisation_ids: list[int]) -> str:
    """The assessment's drill-down (``fuyuan.assessment.indicators``): the records ``attendance_compliance`` counts for these
    units (one department, or a county's units, whose value sums theirs)."""
    if not organisation_ids:
        return ""
    query = [("organisation", pk) for pk in organisation_ids] + [("year", year)]
    return reverse("attendance:list") + "?" + urlencode(query)
