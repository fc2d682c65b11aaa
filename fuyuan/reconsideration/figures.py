"""The reconsideration body's own figures (行政复议机构办案指标, issue 14 item 8), computed here and nowhere else.

The figures of SPEC §9 (``fuyuan stats``, the dashboard) count the handled files through their registry case, like
imported ones (``fuyuan.stats.figures``). These are the body's figures about its own handling, over the files of
``reconsideration.queries.visible_to`` (a 复议机构 sees its body's files; a 依法治办 those of its region):

- 按期受理率 — of the applications whose acceptance review ended in the window (受理、不予受理、视为受理, placed by the
  case's 受理/不予受理日期), those the body decided within the 5-working-day review (``reconsideration.acceptance``,
  行政复议法 (2023) 第30条第1款). A 视为受理 (第30条第3款) is the law's answer to a review not decided in time: it counts
  in the denominator and never as timely.
- 按期办结率 — of the accepted files concluded in the window (any outcome: a decision, 调解书, 和解, 终止, 撤回; placed by
  the case's 结案日期), those concluded by the last day of the decision period in force: 60 days (第62条第1款), 30 in the
  simplified procedure (第62条第2款), later by an approved extension's days and the days suspended
  (``reconsideration.workflow.decision_added_days``; files extended before that kept
  ``reconsideration.decision_extended``, 90 days). The period is the file's decision ``Deadline`` row (kept by ``deadlines.workflow.sync_case_deadlines``): no day is counted here.
- 平均办理天数 — over the same concluded files, calendar days from receipt (收案日期) to conclusion, one decimal.
- 调解和解率 — of the same concluded files, those concluded by 调解 (第73条) or 和解 (第74条).
- 听证率 — of the same concluded files, those in which a 听证 was held (its record entered, 第50-51条).
- 简易程序占比 — of the applications accepted in the window (受理日期, 视为受理 included), those in the simplified
  procedure (第53条) as the file now stands.

Each count is a *measure* (a date that places the file in the window and a condition), defined once in
``MEASURES``: ``compute`` counts them all in one query (two when grouping by month: one per date), and
``files_behind`` gives the files behind any number with the same definition, so the list always equals the number.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Sum

from fuyuan.cases.choices import Acceptance, ReconsiderationOutcome
from fuyuan.core.models import Organisation
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.reconsideration.choices import Procedure
from fuyuan.reconsideration.models import Application, ReconsiderationHearing
from fuyuan.stats.figures import rate

GROUPINGS = {"body": "行政复议机构", "respondent": "被申请人", "month": "月份"}
_KEY_FIELDS = {"body": "body_id", "respondent": "respondent_id"}

# The dates that place a file in the window: the end of its acceptance review, or its conclusion (the case's).
REVIEWED_ON = "case__accepted_on"
CONCLUDED_ON = "case__concluded_on"

# 行政复议法 (2023) 第62条: the rule bounding the decision — 60 days (lengthened by an extension's days and the days
# suspended), 30 in the simplified procedure; ``.decision_extended`` (90 days) on rows written before.
DECISION_RULES = ("reconsideration.decision", "reconsideration.decision_extended", "reconsideration.simplified")
# 第73条 (调解, ending in a 调解书) and 第74条 (和解).
MEDIATED = (ReconsiderationOutcome.MEDIATED, ReconsiderationOutcome.SETTLED)


class DaysBetween(Func):
    """Calendar days from ``start`` to ``end`` (two date expressions) as an integer, on SQLite and PostgreSQL."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(start, end)

    def _sides(self, compiler: Any, connection: Any) -> tuple[str, str, tuple[Any, ...]]:
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return start[0], end[0], (*end[1], *start[1])

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:  # type: ignore[override]
        start, end, params = self._sides(compiler, connection)
        return f"({end} - {start})", params  # PostgreSQL: date − date is an integer of days

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        start, end, params = self._sides(compiler, connection)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", params


def _met_in_time(rule_ids: Iterable[str]) -> Exists:
    """The file's case has a deadline of one of ``rule_ids`` met by its last day (a cancelled one — the rule of a
    procedure the file left — is never met)."""
    return Exists(
        Deadline.objects.filter(
            case_id=OuterRef("case_id"),
            rule_id__in=list(rule_ids),
            state=DeadlineState.MET,
            met_on__lte=F("due_on"),
        )
    )


def _hearing_held() -> Exists:
    return Exists(ReconsiderationHearing.objects.filter(application_id=OuterRef("pk"), recorded_at__isnull=False))


@dataclass(frozen=True)
class Measure:
    """One count: the files whose ``date_field`` is in the window and that meet ``condition``."""

    label: str
    date_field: str
    condition: Q

    def window(self, date_from: datetime.date, date_to: datetime.date) -> Q:
        return Q(**{f"{self.date_field}__range": (date_from, date_to)})


def _measures() -> dict[str, Measure]:
    reviewed = Q(case__acceptance__in=[Acceptance.ACCEPTED, Acceptance.REJECTED])
    accepted = Q(case__acceptance=Acceptance.ACCEPTED)
    concluded = Q(case__acceptance=Acceptance.ACCEPTED, case__concluded_on__isnull=False)
    return {
        "reviewed": Measure("受理审查办结（受理、不予受理、视为受理）", REVIEWED_ON, reviewed),
        # 第30条第1款: decided within 5 working days; 第30条第3款: a 视为受理 was not decided in time.
        "reviewed_on_time": Measure(
            "按期作出受理或不予受理决定",
            REVIEWED_ON,
            reviewed & Q(deemed_accepted=False) & Q(_met_in_time(["reconsideration.acceptance"])),
        ),
        "accepted": Measure("受理（含视为受理）", REVIEWED_ON, accepted),
        "simplified": Measure("受理后适用简易程序", REVIEWED_ON, accepted & Q(procedure=Procedure.SIMPLIFIED)),
        "concluded": Measure("办结（已受理案件）", CONCLUDED_ON, concluded),
        "concluded_on_time": Measure("在审理期限内办结", CONCLUDED_ON, concluded & Q(_met_in_time(DECISION_RULES))),
        "mediated": Measure("以调解、和解结案", CONCLUDED_ON, concluded & Q(case__outcome__in=MEDIATED)),
        "heard": Measure("举行听证", CONCLUDED_ON, concluded & Q(_hearing_held())),
    }


MEASURES = tuple(_measures())
MEASURE_LABELS = {name: m.label for name, m in _measures().items()}
# The handling days (收案 → 结案) are summed over the files of this measure.
DAYS_OVER = "concluded"


@dataclass(frozen=True)
class Figure:
    """One of the body's figures: ``numerator`` over ``denominator`` (measures), a percentage, or — ``average`` —
    the mean handling days of the denominator's files."""

    name: str
    label: str
    numerator: str
    denominator: str
    average: bool = False


FIGURES = (
    Figure("acceptance_rate", "按期受理率", "reviewed_on_time", "reviewed"),
    Figure("decision_rate", "按期办结率", "concluded_on_time", "concluded"),
    Figure("average_days", "平均办理天数", "days", "concluded", average=True),
    Figure("mediation_rate", "调解和解率", "mediated", "concluded"),
    Figure("hearing_rate", "听证率", "heard", "concluded"),
    Figure("simplified_share", "简易程序占比", "simplified", "accepted"),
)


def measure(name: str) -> Measure:
    """The definition of measure ``name``; an unknown name raises KeyError."""
    return _measures()[name]


def average(total: int, count: int) -> float | None:
    """A mean rounded half-up to one decimal (65/2 → 32.5); None when there is nothing to divide by."""
    if not count:
        return None
    return float((Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def figures_of(counts: dict[str, int]) -> dict[str, float | None]:
    """Every figure of ``FIGURES`` from the measures' counts (and ``days``, the summed handling days)."""
    return {
        f.name: average(counts[f.numerator], counts[f.denominator])
        if f.average
        else rate(counts[f.numerator], counts[f.denominator])
        for f in FIGURES
    }


def handling_days() -> DaysBetween:
    """Calendar days from receipt to conclusion of a file (its case's 收案日期 and 结案日期)."""
    return DaysBetween(F("case__received_on"), F("case__concluded_on"))


# The files a timeliness figure leaves out of its numerator (its denominator's files less its numerator's), listed so
# that a body finds the late ones: name → (denominator, numerator, label). Their count is the difference.
LATE = {
    "reviewed_late": ("reviewed", "reviewed_on_time", "未按期作出受理决定（含视为受理）"),
    "concluded_late": ("concluded", "concluded_on_time", "超过审理期限办结"),
}
LATE_LABELS = {name: label for name, (_den, _num, label) in LATE.items()}


def files_behind(
    files: QuerySet[Application], measure_name: str, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Application]:
    """The files counted by one measure (or one of ``LATE``): ``files_behind(...).count()`` equals the number shown
    (for ``LATE``, its denominator's count less its numerator's)."""
    if measure_name in LATE:
        denominator, numerator, _label = LATE[measure_name]
        return files_behind(files, denominator, date_from, date_to).exclude(measure(numerator).condition)
    m = measure(measure_name)
    return files.filter(m.window(date_from, date_to) & m.condition)


def _annotations(
    names: Iterable[str], date_from: datetime.date, date_to: datetime.date, windowed: bool
) -> dict[str, Any]:
    """A conditional count per measure (and the days' sum) — with each measure's own window when the rows span
    several (``windowed``), without when the query is already narrowed to the one date's window."""
    measures = _measures()
    annotations: dict[str, Any] = {}
    for name in names:
        m = measures[name]
        condition = m.window(date_from, date_to) & m.condition if windowed else m.condition
        annotations[name] = Count("pk", filter=condition)
        if name == DAYS_OVER:
            annotations["days"] = Sum(handling_days(), filter=condition)
    return annotations


def _clean(row: dict[str, Any], names: Iterable[str]) -> dict[str, int]:
    counts = {name: row.get(name) or 0 for name in names}
    if DAYS_OVER in counts:
        counts["days"] = row.get("days") or 0
    return counts


def _counts(
    files: QuerySet[Application], date_from: datetime.date, date_to: datetime.date, by: str | None
) -> dict[Any, dict[str, int]]:
    """Every measure's count per grouping reference (a body's or respondent's id, the first day of a month; None
    without grouping). One statement — by month one per date field, each file placed in the month of that date.

    By month the files are counted per day of that date and the days added up into months here: a plain date column
    groups natively on both databases, where truncating each row's date to its month (``TruncMonth``) is a function
    call per row (on SQLite a Python one) and cost twice the statement."""
    measures = _measures()
    if by == "month":
        counts: dict[Any, dict[str, int]] = {}
        for date_field in (REVIEWED_ON, CONCLUDED_ON):
            names = [n for n, m in measures.items() if m.date_field == date_field]
            window = files.filter(**{f"{date_field}__range": (date_from, date_to)}).order_by()
            rows = window.values(date_field).annotate(**_annotations(names, date_from, date_to, windowed=False))
            for row in rows:
                day = row[date_field]
                bucket = counts.setdefault(day.replace(day=1), _zero())
                for name, n in _clean(row, names).items():
                    bucket[name] += n
        return counts
    union = Q()
    for date_field in (REVIEWED_ON, CONCLUDED_ON):
        union |= Q(**{f"{date_field}__range": (date_from, date_to)})
    qs = files.filter(union).order_by()
    annotations = _annotations(measures, date_from, date_to, windowed=True)
    if by is None:
        return {None: _clean(qs.aggregate(**annotations), measures)}
    field = _KEY_FIELDS[by]
    return {row[field]: _clean(row, measures) for row in qs.values(field).annotate(**annotations)}


def _zero() -> dict[str, int]:
    return {**dict.fromkeys(MEASURES, 0), "days": 0}


def _labels(by: str, refs: Iterable[Any]) -> dict[Any, str]:
    refs = list(refs)
    if by == "month":
        return {ref: ref.strftime("%Y-%m") for ref in refs}
    return dict(Organisation.objects.filter(pk__in=refs).values_list("pk", "name"))


def compute(
    files: QuerySet[Application], date_from: datetime.date, date_to: datetime.date, by: str | None = None
) -> dict[str, Any]:
    """The body's figures over ``files`` for the inclusive window.

    Returns ``{"total": {"counts", "figures"}, "rows": [{"key", "ref", "counts", "figures"}]}``: ``counts`` holds
    every measure's count and ``days`` (the handling days summed over the concluded files), ``figures`` every
    figure of ``FIGURES``. ``by`` groups the rows: "body", "respondent" (ordered by name) or "month" (in order;
    each measure in the month of its own date). A row's ``ref`` (organisation id, first day of the month) narrows
    ``files_behind`` to the row: see ``row_scope``. One query, two by month, and one more to name the organisations.
    """
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"未知的分组方式“{by}”")
    counts = _counts(files, date_from, date_to, by)
    total = _zero()
    for bucket in counts.values():
        for name, n in bucket.items():
            total[name] += n
    rows: list[dict[str, Any]] = []
    if by is not None:
        labels = _labels(by, counts)
        order = (lambda ref: ref) if by == "month" else (lambda ref: (labels.get(ref, ""), ref))
        for ref in sorted(counts, key=order):
            rows.append(
                {"key": labels.get(ref, ""), "ref": ref, "counts": counts[ref], "figures": figures_of(counts[ref])}
            )
    return {"total": {"counts": total, "figures": figures_of(total)}, "rows": rows}


def row_scope(
    by: str, ref: Any, date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.date, datetime.date, dict[str, Any]]:
    """The window and filters (``body``/``respondent``: an organisation id) that select one row's files."""
    if by == "month":
        month_end = ref.replace(day=calendar.monthrange(ref.year, ref.month)[1])
        return max(ref, date_from), min(month_end, date_to), {}
    return date_from, date_to, {by: ref}


def narrowed(files: QuerySet[Application], *, body: int | None = None, respondent: int | None = None) -> QuerySet:
    """``files`` of one body and/or one respondent (a row's filters)."""
    if body is not None:
        files = files.filter(body_id=body)
    if respondent is not None:
        files = files.filter(respondent_id=respondent)
    return files
