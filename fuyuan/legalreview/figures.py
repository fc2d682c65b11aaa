"""The legality-review figures (SPEC §6.6), computed here and nowhere else, over the matters of
``legalreview.queries.visible_to`` received in the window (placed by 收件日期):

- 收件: every matter; 已出具意见: an opinion given; 按期出具: given on or before the period's last day (the period as
  resumed after 补充材料); 已反馈: the sender reported on it; 采纳（含部分采纳）: adopted in whole or in part;
- 平均用时（日）: calendar days from receipt to the opinion, averaged over the opinions (a pause for material
  included); 按期率 = 按期出具 / 已出具意见; 采纳率 = 采纳（含部分采纳） / 已反馈.

Each count is a *measure* (``measures``): ``compute`` counts them all in one query per grouping, and
``matters_behind`` gives the matters behind any number with the same definition, so the list always equals the number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet

from fuyuan.legalreview.choices import FOLLOWED, OPINION_STATES, MatterKind
from fuyuan.legalreview.models import LegalMatter
from fuyuan.stats.figures import rate

GROUPINGS = {"sender": "送审单位", "kind": "事项类别"}
OFFICE = "office"  # the row key of the matters sent by the government office (no sender organisation)


def measures() -> dict[str, tuple[str, Q]]:
    opinion = Q(state__in=OPINION_STATES)
    return {
        "received": ("收件", Q()),
        "opinions": ("已出具意见", opinion),
        "on_time": ("按期出具", opinion & Q(opinion_on__lte=F("due_on"))),
        "reported": ("已反馈", ~Q(adoption="")),
        "followed": ("采纳（含部分采纳）", Q(adoption__in=FOLLOWED)),
    }


@dataclass
class Row:
    key: Any
    label: str
    counts: dict[str, Any] = field(default_factory=dict)

    @property
    def on_time_share(self) -> float | None:
        return rate(self.counts.get("on_time", 0), self.counts.get("opinions", 0))

    @property
    def followed_share(self) -> float | None:
        return rate(self.counts.get("followed", 0), self.counts.get("reported", 0))

    @property
    def average_days(self) -> float | None:
        value = self.counts.get("average_days")
        return None if value is None else round(float(value), 1)


@dataclass
class Figures:
    total: Row
    rows: list[Row]


def in_window(
    matters: QuerySet[LegalMatter], date_from: datetime.date, date_to: datetime.date
) -> QuerySet[LegalMatter]:
    return matters.filter(received_on__range=(date_from, date_to))


def _aggregates() -> dict[str, Any]:
    counts: dict[str, Any] = {name: Count("pk", filter=q) for name, (_, q) in measures().items()}
    counts["average_days"] = Avg("days_to_opinion", filter=Q(state__in=OPINION_STATES))
    return counts


def compute(matters: QuerySet[LegalMatter], date_from: datetime.date, date_to: datetime.date, by: str) -> Figures:
    """The totals of the window and a row per sender or per kind (``by``), in two queries."""
    window = in_window(matters, date_from, date_to)
    total = Row(None, "合计", window.aggregate(**_aggregates()))
    rows: list[Row] = []
    if by == "kind":
        labels = dict(MatterKind.choices)
        for values in window.values("kind").order_by("kind").annotate(**_aggregates()):
            kind = values.pop("kind")
            rows.append(Row(kind, str(labels.get(kind, kind)), values))
    else:
        # An agency has one region, so grouping by the region too splits only the government office's matters,
        # one row per region (keyed ``office:<region id>``).
        grouped = window.values("sender_id", "sender__name", "sender_region_id", "sender_region__name")
        for values in grouped.order_by("sender_id", "sender_region_id").annotate(**_aggregates()):
            sender_id, name = values.pop("sender_id"), values.pop("sender__name")
            region_id, region = values.pop("sender_region_id"), values.pop("sender_region__name")
            if sender_id is None:
                rows.append(Row(f"{OFFICE}:{region_id}", f"{region}人民政府办公室", values))
            else:
                rows.append(Row(sender_id, name, values))
    rows.sort(key=lambda r: (-r.counts["received"], r.label))
    return Figures(total, rows)


def matters_behind(
    matters: QuerySet[LegalMatter],
    figure: str,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    sender: str = "",
    kind: str = "",
) -> QuerySet[LegalMatter]:
    """The matters behind one number of ``compute``: the same window, measure and row. Unknown figure: KeyError."""
    _, condition = measures()[figure]
    window = in_window(matters, date_from, date_to).filter(condition)
    if sender.startswith(f"{OFFICE}:"):
        window = window.filter(sender__isnull=True, sender_region_id=int(sender.removeprefix(f"{OFFICE}:")))
    elif sender:
        window = window.filter(sender_id=int(sender))
    if kind:
        window = window.filter(kind=kind)
    return window
