"""Two indicators of the yearly rule-of-law assessment (SPEC §6.7 item 5), per Organisation id, each one aggregate
query. An organisation with no records is absent. Each has its drill-down, listing exactly the records counted:

- ``certificate_coverage``: ``/enforcement/officers/?organisation=ID&year=YYYY`` (``officers_counted``);
- ``major_decisions_in_order``: ``/enforcement/decisions/?organisation=ID&year=YYYY`` (``decisions_counted``).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse

from fuyuan.enforcement.models import MajorDecision, Officer
from fuyuan.enforcement.queries import coverage, decided_in, holds_valid_certificate, in_order, on_staff


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def officers_counted(officers: QuerySet[Officer], year: int) -> QuerySet[Officer]:
    """The officers on staff on 31 December of ``year`` (the coverage's denominator), each annotated
    ``valid_at_year_end`` (its numerator)."""
    day = year_end(year)
    return officers.filter(on_staff(day)).annotate(valid_at_year_end=holds_valid_certificate(day))


def certificate_coverage(year: int, within: str = "") -> dict[int, tuple[int, int]]:
    """Per Organisation id: (officers holding a valid certificate on 31 December of ``year``, officers on staff then);
    ``within`` (a region path): only the bodies of that region's subtree (the assessment's prefecture)."""
    officers = Officer.objects.all()
    if within:
        officers = officers.filter(body__organisation__region__path__startswith=within)
    return coverage(officers, year_end(year), "body__organisation_id")


def decisions_counted(decisions: QuerySet[MajorDecision], year: int) -> QuerySet[MajorDecision]:
    """The major decisions made in ``year`` (the denominator); those ``in_order`` are the numerator."""
    return decisions.filter(decided_in(year))


def major_decisions_in_order(year: int, within: str = "") -> dict[int, tuple[int, int]]:
    """Per Organisation id: (major decisions of ``year`` reviewed before the decision and filed on time, major decisions
    of ``year``); ``within`` (a region path): only the bodies of that region's subtree."""
    decisions = MajorDecision.objects.filter(decided_in(year))
    if within:
        decisions = decisions.filter(body__organisation__region__path__startswith=within)
    rows = (
        decisions.values("body__organisation_id")
        .annotate(ok=Count("pk", filter=in_order()), total=Count("pk"))
        .order_by()
    )
    return {r["body__organisation_id"]: (r["ok"], r["total"]) for r in rows}


def certificate_coverage_url(year: int, organisation_ids: list[int]) -> str:
    """The assessment's drill-down (``fuyuan.assessment.indicators``): the records ``certificate_coverage`` counts for these
    units (one department, or a county's units, whose value sums theirs)."""
    if not organisation_ids:
        return ""
    query = [("organisation", pk) for pk in organisation_ids] + [("year", year)]
    return reverse("enforcement:officers") + "?" + urlencode(query)


def major_decisions_in_order_url(year: int, organisation_ids: list[int]) -> str:
    """The assessment's drill-down (``fuyuan.assessment.indicators``): the records ``major_decisions_in_order`` counts for these
    units (one department, or a county's units, whose value sums theirs)."""
    if not organisation_ids:
        return ""
    query = [("organisation", pk) for pk in organisation_ids] + [("year", year)]
    return reverse("enforcement:decisions") + "?" + urlencode(query)
