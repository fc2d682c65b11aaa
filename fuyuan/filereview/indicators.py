"""What the yearly assessment (法治建设考核) reads of case-file review: one aggregate query, and its drill-down is
``filereview:files`` with ``?organisation=ID&year=YYYY`` (exactly the files counted here)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse

from fuyuan.filereview.models import ReviewFile


def counted_files(year: int) -> QuerySet[ReviewFile]:
    """The files the indicator counts: scored, in the plans of ``year``."""
    return ReviewFile.objects.filter(plan__year=year, scored_at__isnull=False)


def file_review_score(year: int, within: str = "") -> dict[int, tuple[Decimal, int]]:
    """Per enforcement body (Organisation id): (sum of its scored files' scores in the year's plans, how many);
    ``within`` (a region path): only the bodies of that region's subtree (the assessment's prefecture).
    A body with no scored file is absent (the assessment says its records are missing rather than scoring 0).
    The sum stays a Decimal: a county adds its bodies' sums, and floats added there could put the average's
    half cent on the wrong side (353.4 + 222.1 is 575.4999… in floats)."""
    files = counted_files(year)
    if within:
        files = files.filter(body__region__path__startswith=within)
    rows = files.values("body_id").annotate(total=Sum("score"), n=Count("id")).order_by()
    return {r["body_id"]: (r["total"], r["n"]) for r in rows}


def file_review_score_url(year: int, organisation_ids: list[int]) -> str:
    """The assessment's drill-down (``fuyuan.assessment.indicators``): the records ``file_review_score`` counts for these
    units (one department, or a county's units, whose value sums theirs)."""
    if not organisation_ids:
        return ""
    query = [("organisation", pk) for pk in organisation_ids] + [("year", year)]
    return reverse("filereview:files") + "?" + urlencode(query)
