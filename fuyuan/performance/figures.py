"""The performance figures (SPEC §6.9): 履行率, performed late and overdue unperformed, overall, by agency and by month.

One module computes each number and the list of items behind it (``items_of``), so that a number's drill-down is
exactly what it counts. The window is inclusive and taken on the due date:

- ``due`` (到期应履行): items whose due date falls in the window and has passed (or that are already performed);
- ``performed`` (已履行): of those, confirmed performed by the court, on time or late;
- ``late`` (逾期履行): of those, performed after the due date;
- ``overdue`` (逾期未履行): of those, past the due date and not performed;
- 履行率 = performed / due, a percentage to two decimals, None when nothing was due (SPEC §4's rule for rates).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from fuyuan.performance.models import ItemState, PerformanceItem

MEASURES = {"due": "到期应履行", "performed": "已履行", "late": "逾期履行", "overdue": "逾期未履行"}
GROUPINGS = {"agency": "按机关", "month": "按月份"}


def _conditions(today: datetime.date) -> dict[str, Q]:
    performed = Q(state=ItemState.PERFORMED)
    due = Q(due_on__lt=today) | performed
    return {
        "due": due,
        "performed": performed,
        "late": performed & Q(performed_on__gt=F("due_on")),
        "overdue": Q(due_on__lt=today) & ~performed,
    }


def in_window(items: QuerySet[PerformanceItem], start: datetime.date, end: datetime.date) -> QuerySet[PerformanceItem]:
    return items.filter(due_on__gte=start, due_on__lte=end)


def items_of(
    measure: str, items: QuerySet[PerformanceItem], start: datetime.date, end: datetime.date, today: datetime.date
) -> QuerySet[PerformanceItem]:
    """The items a figure counts (its drill-down)."""
    return in_window(items, start, end).filter(_conditions(today)[measure])


def rate(performed: int, due: int) -> float | None:
    return round(performed * 100 / due, 2) if due else None


@dataclass
class Row:
    key: Any  # the agency's id or the month's first day; None for the total
    label: str
    due: int
    performed: int
    late: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return rate(self.performed, self.due)


def _counts(today: datetime.date) -> dict[str, Count]:
    return {name: Count("pk", filter=cond) for name, cond in _conditions(today).items()}


def figures(
    items: QuerySet[PerformanceItem],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    by: str | None = "agency",
) -> tuple[Row, list[Row]]:
    """The total and one row per agency (most overdue first) or per month (in order), in two queries; the total
    alone for ``by`` None."""
    scoped = in_window(items, start, end)
    total = scoped.aggregate(**_counts(today))
    if by is None:
        rows: list[Row] = []
    elif by == "month":
        months = scoped.annotate(month=TruncMonth("due_on")).values("month").annotate(**_counts(today))
        rows = [Row(g["month"], f"{g['month'].year}年{g['month'].month}月", g["due"], g["performed"], g["late"], g["overdue"])
                for g in months.order_by("month")]  # fmt: skip
    else:
        grouped = scoped.values("agency_id", "agency__name").annotate(**_counts(today))
        rows = [Row(g["agency_id"], g["agency__name"], g["due"], g["performed"], g["late"], g["overdue"])
                for g in grouped.order_by("-overdue", "agency__name")]  # fmt: skip
    return Row(None, "合计", total["due"], total["performed"], total["late"], total["overdue"]), rows


def month_window(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``month``'s month (a month row's drill-down window)."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)
