"""The risk-notice figures (SPEC §6.9, §4 化解数), computed here and nowhere else, over the notices of
``consultation.queries.visible_to`` sent in the window (placed by 提示日期):

- 发出提示, 已答复, and the answers 自行纠正 / 协调和解 / 坚持应诉; 逾期未答复: not answered and past the answer's
  date while the suit is pending (as the sweep chases it);
- 化解: answered 自行纠正 or 协调和解 and the suit then ended without judgment (撤诉, 行政机关改变行为后撤诉 or 调解:
  ``choices.RESOLVING_OUTCOMES``);
- 已结案 and 结案败诉: the case concluded, and concluded with a loss by the same rule as the figures of SPEC §4
  (``cases.choices.loss_outcomes``, as ``stats.figures`` measure ``litigation.lost``);
- 败诉占比: 结案败诉 / 已结案 — of the notices whose suit has ended, the share followed by a loss (a suit still pending
  is neither; counting it would make the share fall as notices are sent).

Each count is a *measure* (``measures``): ``compute`` counts them all in one query per table, and ``notices_behind``
gives the notices behind any number with the same definition, so the list always equals the number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from fuyuan.cases.choices import loss_outcomes
from fuyuan.consultation.choices import RESOLVING_ANSWERS, RESOLVING_OUTCOMES, Answer, NoticeState
from fuyuan.consultation.models import RiskNotice
from fuyuan.stats.figures import rate

GROUPINGS = {"agency": "被告行政机关", "month": "月份"}


def measures(today: datetime.date) -> dict[str, tuple[str, Q]]:
    """Every count: name → (label, condition on the notice). The loss set is read from settings each time."""
    concluded = Q(case__concluded_on__isnull=False)
    return {
        "sent": ("发出提示", Q()),
        "answered": ("已答复", Q(state=NoticeState.ANSWERED)),
        "correct": (Answer.CORRECT.label, Q(answer=Answer.CORRECT)),
        "settle": (Answer.SETTLE.label, Q(answer=Answer.SETTLE)),
        "defend": (Answer.DEFEND.label, Q(answer=Answer.DEFEND)),
        "overdue": ("逾期未答复", Q(state=NoticeState.SENT, answer_due_on__lt=today, case__concluded_on__isnull=True)),
        "resolved": ("化解", Q(answer__in=RESOLVING_ANSWERS, case__outcome__in=RESOLVING_OUTCOMES) & concluded),
        "concluded": ("已结案", concluded),
        "lost": ("结案败诉", concluded & Q(case__outcome__in=loss_outcomes())),
    }


@dataclass
class Row:
    key: Any
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def loss_share(self) -> float | None:
        return rate(self.counts.get("lost", 0), self.counts.get("concluded", 0))


@dataclass
class Figures:
    total: Row
    rows: list[Row]


def in_window(notices: QuerySet[RiskNotice], date_from: datetime.date, date_to: datetime.date) -> QuerySet[RiskNotice]:
    return notices.filter(sent_on__range=(date_from, date_to))


def _aggregates(today: datetime.date) -> dict[str, Count]:
    return {name: Count("pk", filter=q) for name, (_, q) in measures(today).items()}


def compute(
    notices: QuerySet[RiskNotice], date_from: datetime.date, date_to: datetime.date, by: str, today: datetime.date
) -> Figures:
    """The totals of the window and a row per agency or per month (``by``), in two queries (three by agency)."""
    window = in_window(notices, date_from, date_to)
    total = Row(None, "合计", window.aggregate(**_aggregates(today)))
    rows: list[Row] = []
    if by == "month":
        grouped = window.annotate(month=TruncMonth("sent_on")).values("month").order_by("month")
        for values in grouped.annotate(**_aggregates(today)):
            month = values.pop("month")
            rows.append(Row(f"{month:%Y-%m}", f"{month.year}年{month.month}月", values))
    else:
        by_agency = window.values("agency_id", "agency__name").order_by("agency__name")
        for values in by_agency.annotate(**_aggregates(today)):
            rows.append(Row(values.pop("agency_id"), values.pop("agency__name"), values))
        rows.sort(key=lambda r: (-r.counts["sent"], r.label))
    return Figures(total, rows)


def notices_behind(
    notices: QuerySet[RiskNotice],
    figure: str,
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date,
    *,
    agency: int | None = None,
    month: str = "",
) -> QuerySet[RiskNotice]:
    """The notices behind one number of ``compute``: the same window, measure and row. Unknown figure: KeyError."""
    _, condition = measures(today)[figure]
    window = in_window(notices, date_from, date_to).filter(condition)
    if agency is not None:
        window = window.filter(agency_id=agency)
    if month:
        year, mon = (int(p) for p in month.split("-"))
        window = window.filter(sent_on__year=year, sent_on__month=mon)
    return window
