"""The figures of non-litigation enforcement (SPEC §6.9): applications, 准予率, executed and the files pending beyond
their period, by agency and by month; and the 不准予 rulings by cause, which count for the agency like losses in the
loss-cause analysis (shown beside the 败诉原因 of ``stats.dashboard``).

Every number is the count of ``behind(...)`` with the same arguments, which the file list applies to show exactly
the files behind it (its drill-down equals its number).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.http import urlencode

from fuyuan.accountability.models import LossCause
from fuyuan.core.models import Organisation
from fuyuan.nonlitigation.choices import REFUSAL_CAUSES, ExecutionResult, Ruling
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.obligations.models import Obligation, ObligationState

# The measures, in the order shown. All but ``overdue`` count the files applied to court in the period (by the month
# of the application); ``overdue`` counts, whenever applied, the files with a period passed and the step not done.
MEASURES = {
    "applied": "申请数",
    "granted": "准予执行",
    "refused": "不准予执行",
    "executed": "执行完毕",
    "overdue": "超期未办",
}
PERIODIC = ("applied", "granted", "refused", "executed")


def overdue_obligations(today: datetime.date) -> QuerySet[Obligation]:
    """The files' due obligations (application, acceptance, ruling) still open after their day."""
    from fuyuan.nonlitigation.workflow import PERIOD

    return Obligation.objects.filter(kind=PERIOD, state=ObligationState.OPEN, due_on__lt=today)


def overdue_filter(today: datetime.date) -> Q:
    """Files pending beyond their period: with an overdue obligation."""
    return Q(pk__in=overdue_obligations(today).values("subject_id"))


def measure_filter(measure: str, today: datetime.date) -> Q:
    if measure == "applied":
        return Q(applied_on__isnull=False)
    if measure == "granted":
        return Q(ruling=Ruling.GRANTED)
    if measure == "refused":
        return Q(ruling=Ruling.REFUSED)
    if measure == "executed":
        return Q(execution_result=ExecutionResult.EXECUTED)
    if measure == "overdue":
        return overdue_filter(today)
    raise ValueError(f"未知的指标“{measure}”")


def behind(
    files: QuerySet[EnforcementFile],
    measure: str,
    *,
    year: int,
    today: datetime.date,
    month: int | None = None,
    agency_id: int | None = None,
) -> QuerySet[EnforcementFile]:
    """The files counted under ``measure`` (of ``year``, and ``month``; the agency's): ``.count()`` is the number."""
    found = files.filter(measure_filter(measure, today))
    if measure in PERIODIC:
        found = found.filter(applied_on__year=year)
        if month is not None:
            found = found.filter(applied_on__month=month)
    if agency_id is not None:
        found = found.filter(agency_id=agency_id)
    return found


def grant_rate(granted: int, refused: int) -> float | None:
    """准予率: 准予 among the rulings (准予 + 不准予), in percent to two decimals; None without a ruling."""
    from fuyuan.stats.figures import rate

    return rate(granted, granted + refused)


def _annotations(today: datetime.date, *, periodic_only: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for m in MEASURES:
        if periodic_only and m not in PERIODIC:
            continue
        found[m] = Count("id", filter=measure_filter(m, today))
    return found


def table(files: QuerySet[EnforcementFile], *, year: int, today: datetime.date) -> dict[str, Any]:
    """By agency (every measure) and by month of application (the periodic ones), with the totals: three queries
    and one to name the agencies. Rows carry ``counts`` ({measure: n}) and ``rate``."""
    periodic = files.filter(applied_on__year=year)
    in_year = Q(applied_on__year=year)
    by_agency: dict[int, dict[str, int]] = {}
    agency_annotations = {
        m: Count("id", filter=measure_filter(m, today) & (in_year if m in PERIODIC else Q())) for m in MEASURES
    }
    for row in files.order_by().values("agency_id").annotate(**agency_annotations):
        counts = {m: row[m] for m in MEASURES}
        if any(counts.values()):
            by_agency[row["agency_id"]] = counts
    names = dict(Organisation.objects.filter(pk__in=by_agency).values_list("pk", "name"))
    agencies: list[dict[str, Any]] = [
        {"agency_id": pk, "name": names.get(pk, ""), "counts": c, "rate": grant_rate(c["granted"], c["refused"])}
        for pk, c in sorted(by_agency.items(), key=lambda kv: (-kv[1]["applied"], names.get(kv[0], "")))
    ]
    months_found = {
        row["m"]: {m: row[m] for m in PERIODIC}
        for row in periodic.order_by()
        .annotate(m=ExtractMonth("applied_on"))
        .values("m")
        .annotate(**_annotations(today, periodic_only=True))
    }
    months = []
    for number in range(1, 13):
        c = months_found.get(number, dict.fromkeys(PERIODIC, 0))
        months.append({"month": number, "counts": c, "rate": grant_rate(c["granted"], c["refused"])})
    totals = {m: sum(a["counts"][m] for a in agencies) for m in MEASURES}
    return {
        "agencies": agencies,
        "months": months,
        "totals": totals,
        "rate": grant_rate(totals["granted"], totals["refused"]),
    }


# ---------------------------------------------------------------------------------------------------------------
# 不准予 rulings in the loss-cause analysis


def refusal_cause_filter(cause: str) -> Q:
    """The refused files whose ruling names ``cause`` (a code of ``LossCause``), matched in the JSON text as
    ``stats.figures.cause_filter`` does: the same lookup on SQLite and PostgreSQL."""
    return Q(ruling=Ruling.REFUSED, refusal_causes__icontains=f'"{cause}"')


def refusals_behind(
    files: QuerySet[EnforcementFile], date_from: datetime.date, date_to: datetime.date, cause: str | None = None
) -> QuerySet[EnforcementFile]:
    """The 不准予 rulings of the window (by the ruling's date), naming ``cause`` if given."""
    found = files.filter(ruling=Ruling.REFUSED, ruled_on__gte=date_from, ruled_on__lte=date_to)
    return found.filter(refusal_cause_filter(cause)) if cause else found


def list_url(**params: Any) -> str:
    return reverse("nonlitigation:list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def refusal_causes(
    files: QuerySet[EnforcementFile], date_from: datetime.date, date_to: datetime.date
) -> dict[str, Any]:
    """非诉执行不准予 as a source of the loss-cause analysis: the window's 不准予 rulings, the count of each cause over
    all of them and per agency, each number linking to the files behind it. A ruling naming two causes counts once
    under each (as a 倒查 does). One query."""
    codes = [str(c) for c in REFUSAL_CAUSES]
    annotations: dict[str, Any] = {"rulings": Count("id")}
    annotations.update({f"cause_{c}": Count("id", filter=refusal_cause_filter(c)) for c in codes})
    found = refusals_behind(files, date_from, date_to).order_by().values("agency_id", "agency__name")
    rows_found = list(found.annotate(**annotations))
    names = {r["agency_id"]: r["agency__name"] for r in rows_found}
    window = {"ruled_from": date_from.isoformat(), "ruled_to": date_to.isoformat()}
    rows = []
    for r in sorted(rows_found, key=lambda r: (-r["rulings"], names.get(r["agency_id"], ""))):
        agency = r["agency_id"]
        rows.append(
            {
                "key": names.get(agency, ""),
                "rulings": r["rulings"],
                "rulings_url": list_url(measure="refused", agency=agency, **window),
                "cells": [
                    {
                        "count": r[f"cause_{c}"],
                        "url": list_url(measure="refused", agency=agency, cause=c, **window)
                        if r[f"cause_{c}"]
                        else None,
                    }
                    for c in codes
                ],
            }
        )
    totals = {c: sum(r[f"cause_{c}"] for r in rows_found) for c in codes}
    return {
        "rulings": sum(r["rulings"] for r in rows_found),
        "headers": [str(LossCause(c).label) for c in codes],
        "causes": [
            {
                "cause": c,
                "label": str(LossCause(c).label),
                "count": totals[c],
                "url": list_url(measure="refused", cause=c, **window) if totals[c] else None,
            }
            for c in codes
        ],
        "rows": rows,
    }
