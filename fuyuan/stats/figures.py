"""All figures of SPEC §4/§9 are computed here and nowhere else.

A figure is a count of cases: each *measure* is defined once (the kind of case, the date that places it in a
window, and an extra condition), and every number on a page, in the CLI or in an export comes from
``compute`` while the cases behind it come from ``cases_behind`` with the same definition, so the two always
agree.

``compute`` runs one aggregate query (five when grouping by month, one per (kind, date field)) whatever the
number of cases or of grouping keys; naming the keys (counties, agencies) costs one more query.

The coordination centre's figures (SPEC §4 调解成功率 and 化解数, SPEC §6.2) are counts of disputes defined the
same way (``_dispute_measures``), all placed in the window by 办结日期: asked for (``disputes=``), they add one
query (two when grouping by coordinator, where the rows overlap and the total is counted apart).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth

from fuyuan.accountability.models import LossCause, LossReview, LossReviewState
from fuyuan.cases.choices import (
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    correction_outcomes,
    loss_outcomes,
    mediated_outcomes,
)
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, Region
from fuyuan.disputes.choices import CLOSED_AFTER_MEDIATION, RESOLVED, DisputeOutcome
from fuyuan.disputes.models import Coordinator, Dispute
from fuyuan.stats import counts

GROUPINGS = {"county": "县(市、区)", "agency": "被告/被申请人", "domain": "领域", "month": "月份"}
# Groupings of disputes only: the case figures do not apply to a centre or a coordinator.
DISPUTE_GROUPINGS = {"centre": "协调化解中心", "coordinator": "协调员"}
ALL_GROUPINGS = {**GROUPINGS, **DISPUTE_GROUPINGS}
NO_DOMAIN = "未填写"

# SPEC §4 化解数: a first-instance case resolved without judgment, by 调解 or by a withdrawal after the agency
# changed its act (行政机关改变行为后撤诉).
RESOLVED_LITIGATION_OUTCOMES = (LitigationOutcome.MEDIATED, LitigationOutcome.WITHDRAWN_AFTER_CHANGE)


@dataclass(frozen=True)
class Measure:
    """One countable figure: cases of ``kind`` (and ``instance``) whose ``date_field`` is in the window."""

    kind: str
    instance: str
    date_field: str
    label: str
    condition: Q | None = None

    def window(self, date_from: datetime.date, date_to: datetime.date) -> Q:
        q = Q(kind=self.kind, **{f"{self.date_field}__range": (date_from, date_to)})
        if self.instance:
            q &= Q(instance=self.instance)
        return q


def _measures() -> dict[str, Measure]:
    """SPEC §9: litigation counts 一审 only; the outcome sets are read from settings (choices.py) each time."""
    lit, rec, first = CaseKind.LITIGATION, CaseKind.RECONSIDERATION, Instance.FIRST
    return {
        "litigation.filed": Measure(lit, first, "filed_on", "一审立案"),
        "litigation.concluded": Measure(lit, first, "concluded_on", "一审结案"),
        "litigation.lost": Measure(lit, first, "concluded_on", "一审败诉", Q(outcome__in=loss_outcomes())),
        # SPEC §4: not a loss, reported separately as a dispute resolved (化解数).
        "litigation.withdrawn_after_change": Measure(
            lit, first, "concluded_on", "改变行为后撤诉", Q(outcome=LitigationOutcome.WITHDRAWN_AFTER_CHANGE)
        ),
        # SPEC §4 化解数: the cases' part of it (the disputes' part is ``disputes.resolved``).
        "litigation.resolved": Measure(
            lit, first, "concluded_on", "一审调解或改变行为后撤诉", Q(outcome__in=RESOLVED_LITIGATION_OUTCOMES)
        ),
        "litigation.hearings": Measure(lit, first, "hearing_on", "一审开庭"),
        "litigation.head_appeared": Measure(lit, first, "hearing_on", "负责人出庭", Q(head_appeared=True)),
        # 行政诉讼法 第3条第3款: the head shall appear, and may stay away only for a lawful reason; 法释〔2020〕3号
        # 第8条 lists those reasons (不可抗力、意外事件、需要履行他人不能代替的公务、其他正当事由). A hearing whose head
        # stayed away with such a reason on file is not one the head was due at (应出庭); one without is.
        "litigation.head_due": Measure(
            lit, first, "hearing_on", "应出庭", Q(head_absence_reason="") | Q(head_appeared=True)
        ),
        # 法释〔2020〕3号 第11条第3款: a head who appears speaks to the substantive resolution of the dispute (出声).
        "litigation.head_spoke": Measure(
            lit, first, "hearing_on", "负责人出声", Q(head_appeared=True, head_spoke=True)
        ),
        # The heads who appeared and whether they spoke is on record (a ledger without that column leaves it
        # unknown): the 出声率 is over these, so an unknown is neither counted as silence nor as speech.
        "litigation.head_speech_recorded": Measure(
            lit, first, "hearing_on", "出庭且出声情况有记录", Q(head_appeared=True, head_spoke__isnull=False)
        ),
        "reconsideration.received": Measure(rec, "", "received_on", "复议收案"),
        "reconsideration.accepted": Measure(rec, "", "received_on", "复议受理", Q(acceptance=Acceptance.ACCEPTED)),
        "reconsideration.rejected": Measure(rec, "", "received_on", "不予受理", Q(acceptance=Acceptance.REJECTED)),
        "reconsideration.concluded": Measure(rec, "", "concluded_on", "复议办结"),
        "reconsideration.corrected": Measure(
            rec, "", "concluded_on", "复议被纠错", Q(outcome__in=correction_outcomes())
        ),
        "reconsideration.mediated": Measure(
            rec, "", "concluded_on", "复议调解成功", Q(outcome__in=mediated_outcomes())
        ),
    }


MEASURES = tuple(_measures())
MEASURE_LABELS = {name: m.label for name, m in _measures().items()}

# Each rate: (name, numerator measure, denominator measure, Chinese label). The first four are in FIGURES
# (SPEC §9); the others are shown on the pages and in the text output but never added to the JSON contract.
RATES = (
    ("loss_rate", "litigation.lost", "litigation.concluded", "败诉率"),
    ("correction_rate", "reconsideration.corrected", "reconsideration.concluded", "被纠错率"),
    ("mediation_rate", "reconsideration.mediated", "reconsideration.concluded", "复议调解成功率"),
    ("appearance_rate", "litigation.head_appeared", "litigation.hearings", "负责人出庭应诉率"),
    # 行政诉讼法 第3条第3款, 法释〔2020〕3号 第8条: every hearing the head was due at, the head attended (应出尽出).
    ("due_appearance_rate", "litigation.head_appeared", "litigation.head_due", "应出尽出率"),
    # 法释〔2020〕3号 第11条第3款: of the heads who appeared (where it is on record), those who spoke (出庭又出声).
    ("speaking_rate", "litigation.head_spoke", "litigation.head_speech_recorded", "出声率"),
)
# The order of keys in FIGURES (SPEC §9).
FIGURE_KEYS = {
    "litigation": ("filed", "concluded", "lost", "loss_rate", "hearings", "head_appeared", "appearance_rate"),
    "reconsideration": (
        "received",
        "accepted",
        "rejected",
        "concluded",
        "corrected",
        "correction_rate",
        "mediated",
        "mediation_rate",
    ),
}


def measure(name: str) -> Measure:
    """The definition of measure ``name``; an unknown name raises KeyError."""
    return _measures()[name]


def cases_behind(
    cases: QuerySet[Case], measure_name: str, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Case]:
    """The cases counted by one figure: ``cases_behind(...).count()`` equals the number shown."""
    m = measure(measure_name)
    narrowed = cases.filter(m.window(date_from, date_to))
    return narrowed.filter(m.condition) if m.condition is not None else narrowed


# The groupings of first-instance losses on the dashboard (issue 5 §1): 案由, 领域, the agency sued.
LOSS_GROUPINGS = {"cause": "案由", "domain": "领域", "agency": "被告"}
_LOSS_FIELDS = {"cause": "cause", "domain": "domain", "agency": "defendant_id"}
NO_CAUSE = "未填写"


def losses_by(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date, by: str, limit: int = 10
) -> list[dict[str, Any]]:
    """The first-instance losses of the window (measure ``litigation.lost``) per 案由, 领域 or agency, most first,
    at most ``limit`` rows: ``[{"ref", "key", "count"}]`` where ``ref`` is the code or organisation id ("" for a
    case with no 案由/领域), so that ``cases_behind(...).filter(<field>=ref).count()`` equals ``count``.
    One query, and one more to name the agencies."""
    if by not in _LOSS_FIELDS:
        raise ValueError(f"未知的分组方式“{by}”")
    field = _LOSS_FIELDS[by]
    paths = counts.region_paths(cases)
    if paths is None:
        counted = (
            cases_behind(cases, "litigation.lost", date_from, date_to)
            .order_by()
            .values(field)
            .annotate(n=Count("id"))
            .order_by("-n", field)[:limit]
        )
        rows = [(row[field], row["n"]) for row in counted]
    else:
        rows = _losses_counted(cases, paths, date_from, date_to, by, limit)
    names: dict[Any, str]
    if by == "agency":
        names = dict(Organisation.objects.filter(pk__in=[ref for ref, _ in rows]).values_list("pk", "name"))
    else:
        names = dict(ActType.choices) if by == "cause" else dict(Domain.choices)
    empty = NO_CAUSE if by == "cause" else NO_DOMAIN
    return [{"ref": ref, "key": str(names.get(ref, ref)) if ref else empty, "count": n} for ref, n in rows]


def _losses_counted(
    cases: QuerySet[Case], paths: list[str], date_from: datetime.date, date_to: datetime.date, by: str, limit: int
) -> list[tuple[Any, int]]:
    """``losses_by``'s (reference, count) pairs from ``FigureCount`` (whole months) and the cases (the days at the
    window's ends) in one statement, most first, then by reference."""
    field = _LOSS_FIELDS[by]
    lost = measure("litigation.lost")
    months, edges = counts.split(date_from, date_to)
    parts: list[QuerySet[Any]] = []
    if months is not None:
        parts.append(counts.rows(paths, _GRAINS[by], months).filter(_counted(lost)).values(field).annotate(n=Sum("n")))
    if edges:
        assert lost.condition is not None
        edge_cases = cases.filter(_within(lost, edges), lost.condition).order_by()
        parts.append(edge_cases.values(field).annotate(n=Count("id")))
    found: Counter[Any] = Counter()
    for row in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        found[row[field]] += row["n"] or 0
    ranked = sorted(((ref, n) for ref, n in found.items() if n), key=lambda pair: (-pair[1], pair[0]))
    return ranked[:limit]


# 败诉原因 (SPEC §6.3, 一案一分析; issue 6 §2): the cause categories the losing agencies recorded in their 倒查 of the
# first-instance losses of the window (measure ``litigation.lost``). A review may name several causes: it counts
# once under each of them, so the causes add up to at least the number of reviews (``reviews``), never less.
CAUSE_GROUPINGS = {"agency": "败诉机关", "domain": "领域", "month": "月份"}
_CAUSE_FIELDS = {"agency": "agency_id", "domain": "case__domain"}


def cause_filter(cause: str) -> Q:
    """The loss reviews whose 倒查 names ``cause`` (a code of ``LossCause``), excluding withdrawn ones (their case
    is no longer a loss). ``causes`` is a JSON list of codes; the codes are quoted in its text and none is part of
    another, so the quoted code is matched in the JSON text: the same lookup on SQLite and PostgreSQL."""
    return Q(causes__icontains=f'"{cause}"') & ~Q(state=LossReviewState.WITHDRAWN)


def analysed_filter() -> Q:
    """The loss reviews whose 倒查 is recorded (with its causes), excluding withdrawn ones: those ``loss_causes``
    counts as ``reviews``."""
    return Q(analysis_on__isnull=False) & ~Q(state=LossReviewState.WITHDRAWN)


def reviews_behind(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date, cause: str | None = None
) -> QuerySet[LossReview]:
    """The loss reviews counted by ``loss_causes``: of the first-instance losses of ``cases`` concluded in the window,
    the reviews whose 倒查 is recorded (with ``cause``: those naming it). ``.count()`` equals the number shown."""
    lost = cases_behind(cases, "litigation.lost", date_from, date_to)
    reviews = LossReview.objects.filter(analysed_filter(), case__in=lost.values("pk"))
    return reviews.filter(cause_filter(cause)) if cause else reviews


def loss_causes(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date, by: str | None = None
) -> dict[str, Any]:
    """The 败诉原因 of the window's first-instance losses, overall or per agency (the losing agency of the review),
    领域 or month (of the case's 结案日期): ``{"causes": [{"cause", "label", "count"}], "reviews": n, "rows": [...]}``
    where each row is ``{"ref", "key", "reviews", "counts": {cause: n}}``, most reviews first (months in order).

    ``causes`` lists every category of ``LossCause`` in its order, zero counts included; a review naming two causes
    counts once in each (``reviews`` counts it once). One aggregate query, and one more to name the agencies.
    ``reviews_behind(cases, from, to, cause)`` filtered like a row (``agency_id``, ``case__domain``, the month)
    gives exactly the reviews behind each number."""
    if by is not None and by not in CAUSE_GROUPINGS:
        raise ValueError(f"未知的分组方式“{by}”")
    annotations = _cause_annotations()
    base = reviews_behind(cases, date_from, date_to).order_by()
    if by is None:
        found: list[dict[str, Any]] = [{"ref": None, **base.aggregate(**annotations)}]
    elif by == "month":
        found = list(base.annotate(ref=TruncMonth("case__concluded_on")).values("ref").annotate(**annotations))
    else:
        found = [
            {"ref": row.pop(_CAUSE_FIELDS[by]), **row} for row in base.values(_CAUSE_FIELDS[by]).annotate(**annotations)
        ]
    return _causes_result(found, by)


def loss_causes_by_agency_and_domain(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date
) -> dict[str, dict[str, Any]]:
    """``{"agency": loss_causes(..., by="agency"), "domain": loss_causes(..., by="domain")}`` from one query
    grouped by both (a review has one agency and its case one 领域, so each grouping is a sum over the other):
    the dashboard shows both. For the cases of some regions (``counts.region_paths``) the window's whole months
    are read from ``FigureCount`` (issue 19: the join of a province's reviews with its million cases took seconds)
    and the days at its ends from the reviews; any other set of cases is counted from the reviews themselves. The
    numbers are the same, and ``reviews_behind`` still lists the reviews behind each."""
    annotations = _cause_annotations()
    paths = counts.region_paths(cases)
    if paths is None:
        both = reviews_behind(cases, date_from, date_to).order_by().values("agency_id", "case__domain")
        pairs = list(both.annotate(**annotations))
    else:
        pairs = _causes_counted(cases, paths, date_from, date_to)
    result = {}
    for by in ("agency", "domain"):
        field = _CAUSE_FIELDS[by]
        summed: dict[Any, dict[str, Any]] = {}
        for row in pairs:
            bucket = summed.setdefault(row[field], {"ref": row[field], **dict.fromkeys(annotations, 0)})
            for name in annotations:
                bucket[name] += row[name] or 0
        result[by] = _causes_result(list(summed.values()), by)
    return result


def _causes_counted(
    cases: QuerySet[Case], paths: list[str], date_from: datetime.date, date_to: datetime.date
) -> list[dict[str, Any]]:
    """``loss_causes_by_agency_and_domain``'s rows (``agency_id``, ``case__domain``, ``reviews``, ``cause_<code>``)
    from ``FigureCount`` (grains "review" and "reason", whole months) and the reviews of the cases concluded on the
    days at the window's ends, in one statement."""
    lost = measure("litigation.lost")
    months, edges = counts.split(date_from, date_to)
    parts: list[QuerySet[Any]] = []
    if months is not None:
        counted = {"reviews": Sum("n", filter=Q(grain="review"))}
        counted.update({f"cause_{c}": Sum("n", filter=Q(grain="reason", cause=c)) for c in LossCause.values})
        rows = counts.rows(paths, counts.REVIEW_GRAINS, months).filter(_counted(lost))
        parts.append(rows.values("defendant_id", "domain").annotate(**counted))
    if edges:
        assert lost.condition is not None
        edge_cases = cases.filter(_within(lost, edges), lost.condition)
        reviews = LossReview.objects.filter(analysed_filter(), case__in=edge_cases.values("pk")).order_by()
        parts.append(reviews.values("agency_id", "case__domain").annotate(**_cause_annotations()))
    names = ["reviews", *(f"cause_{c}" for c in LossCause.values)]
    found: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        agency, domain = (
            (row["defendant_id"], row["domain"]) if months is not None else (row["agency_id"], row["case__domain"])
        )
        bucket = found.setdefault(
            (agency, domain), {"agency_id": agency, "case__domain": domain, **dict.fromkeys(names, 0)}
        )
        for name in names:
            bucket[name] += row[name] or 0
    return [row for row in found.values() if row["reviews"]]


def _cause_annotations() -> dict[str, Any]:
    annotations: dict[str, Any] = {"reviews": Count("id")}
    annotations.update({f"cause_{c}": Count("id", filter=cause_filter(c)) for c in LossCause.values})
    return annotations


def _causes_result(found: list[dict[str, Any]], by: str | None) -> dict[str, Any]:
    """``loss_causes``' result from its grouped rows (``ref``, ``reviews``, ``cause_<code>``)."""
    codes = list(LossCause.values)
    rows: list[dict[str, Any]] = []
    for row in found:
        ref = row["ref"].date() if isinstance(row["ref"], datetime.datetime) else row["ref"]
        by_cause = {c: row[f"cause_{c}"] or 0 for c in codes}
        rows.append({"ref": ref, "reviews": row["reviews"] or 0, "counts": by_cause})
    if by is not None:
        labels = _labelled(by, [r["ref"] for r in rows])
        for r in rows:
            r["key"] = labels[r["ref"]][1]
        if by == "month":
            rows.sort(key=lambda r: r["ref"])
        else:
            rows.sort(key=lambda r: (-r["reviews"], labels[r["ref"]][0]))
    totals = {c: sum(r["counts"][c] for r in rows) for c in codes}
    names = dict(LossCause.choices)
    return {
        "causes": [{"cause": c, "label": str(names[c]), "count": totals[c]} for c in codes],
        "reviews": sum(r["reviews"] for r in rows),
        "rows": rows if by is not None else [],
    }


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage rounded half-up to two decimals (110/506 → 21.74); None when there is nothing to divide by."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(value)


def rates(counts: dict[str, int]) -> dict[str, float | None]:
    """Every rate of ``RATES`` from the measures' counts, those outside FIGURES included."""
    return {name: rate(counts[num], counts[den]) for name, num, den, _ in RATES}


def _figures(counts: dict[str, int]) -> dict[str, dict[str, Any]]:
    """FIGURES (SPEC §9) from the measures' counts: exactly the keys of ``FIGURE_KEYS``, nothing more."""
    result: dict[str, dict[str, Any]] = {"litigation": {}, "reconsideration": {}}
    all_rates = rates(counts)
    for section, keys in FIGURE_KEYS.items():
        for key in keys:
            result[section][key] = all_rates[key] if key in all_rates else counts[f"{section}.{key}"]
    return result


def _groups() -> dict[tuple[str, str, str], list[str]]:
    """Measures sharing kind, instance and date field: one query counts them all."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for name, m in _measures().items():
        groups.setdefault((m.kind, m.instance, m.date_field), []).append(name)
    return groups


_KEY_FIELDS = {"county": "county_id", "agency": "defendant_id", "domain": "domain"}
# The grain of ``FigureCount`` each grouping reads (``stats.counts``).
_GRAINS = {"agency": "agency", "domain": "domain", "cause": "cause"}

Windows = list[tuple[datetime.date, datetime.date]]


def _within(m: Measure, windows: Windows) -> Q:
    """The cases of measure ``m``'s kind whose date is in any of ``windows`` (disjoint): its window, or several."""
    q = Q()
    for date_from, date_to in windows:
        q |= m.window(date_from, date_to)
    return q


def _counted(m: Measure) -> Q:
    """Measure ``m`` as a condition on ``FigureCount`` rows: its kind, instance and date, and its own condition,
    which reads the rows' columns of the cases' names."""
    q = Q(kind=m.kind, field=m.date_field)
    if m.instance:
        q &= Q(instance=m.instance)
    return q & m.condition if m.condition is not None else q


def _add(into: dict[Any, dict[str, int]], more: dict[Any, dict[str, int]]) -> None:
    for ref, bucket in more.items():
        target = into.setdefault(ref, dict.fromkeys(bucket, 0))
        for name, n in bucket.items():
            target[name] = target.get(name, 0) + n


def _counts_by_ref(
    cases: QuerySet[Case],
    date_from: datetime.date,
    date_to: datetime.date,
    by: str | None,
    needed: Iterable[str] | None = None,
) -> dict[Any, dict[str, int]]:
    """Every measure's count (or those ``needed``) per grouping reference (a region id, an organisation id, a domain
    code, a month), a reference without any case left out.

    When ``cases`` is all the cases or those of some regions (``counts.region_paths``), the window's whole months
    are read from ``FigureCount`` and the days at its ends that fill no month from the cases, in one statement
    (``UNION ALL``): the same numbers as counting the cases, at the cost of a few months' rows. Any other set of
    cases is counted from the cases.
    """
    names = tuple(_measures()) if needed is None else tuple(needed)
    paths = counts.region_paths(cases)
    if paths is None:
        return _from_cases(cases, [(date_from, date_to)], by, names)
    months, edges = counts.split(date_from, date_to)
    parts = [_counted_rows(paths, months, by, names)] if months is not None else []
    if by == "month":
        # Each end lies within one month: its counts are that month's.
        parts += [_case_rows(cases, [edge], None, edge[0].replace(day=1), names) for edge in edges]
    elif edges:
        parts.append(_case_rows(cases, edges, by, names=names))
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found: dict[Any, dict[str, int]] = {}
    for row in rows:
        ref = None if by is None else counts.as_date(row["ref"])
        if by == "month" and isinstance(ref, str):
            ref = datetime.date.fromisoformat(ref[:10])
        bucket = found.setdefault(ref, dict.fromkeys(names, 0))
        for name in bucket:
            bucket[name] += row[name.replace(".", "__")] or 0
    return {ref: bucket for ref, bucket in found.items() if any(bucket.values())}


def counts_by(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date, by: str, needed: Iterable[str]
) -> dict[Any, dict[str, int]]:
    """The counts of the measures ``needed`` per ``by`` ("county", "agency", "domain" or "month") over ``cases`` in
    the inclusive window, as ``table`` counts them (from ``FigureCount`` for the cases of some regions), a reference
    without any of them left out: for a caller that needs a few rates' parts, not the figures."""
    if by not in GROUPINGS:
        raise ValueError(f"未知的分组方式“{by}”")
    return _counts_by_ref(cases, date_from, date_to, by, needed)


_NO_REF = 0


def _counted_rows(
    paths: list[str], months: tuple[datetime.date, datetime.date], by: str | None, names: tuple[str, ...]
) -> QuerySet[Any]:
    """The measures ``names``' counts per reference (``ref``) over whole months, from ``FigureCount``: only the rows
    of their date fields."""
    measures = _measures()
    annotations = {name.replace(".", "__"): Sum("n", filter=_counted(measures[name])) for name in names}
    qs = counts.rows(paths, _GRAINS.get(by or "", "county"), months, {measures[name].date_field for name in names})
    if by is None:
        return qs.annotate(ref=Value(_NO_REF)).values("ref").annotate(**annotations)
    return qs.values(ref=F("month" if by == "month" else _KEY_FIELDS[by])).annotate(**annotations)


def _case_rows(
    cases: QuerySet[Case], windows: Windows, by: str | None, ref: Any = _NO_REF, names: tuple[str, ...] = MEASURES
) -> QuerySet[Any]:
    """The measures ``names``' counts per reference (``ref``; ``ref`` itself when not grouped) over the cases whose
    dates are in ``windows``, shaped as ``_counted_rows`` so that the two are one ``UNION ALL``."""
    measures = _measures()
    union = Q()
    annotations = {}
    for name in names:
        m = measures[name]
        window = _within(m, windows)
        union |= window
        annotations[name.replace(".", "__")] = Count("id", filter=window & m.condition if m.condition else window)
    qs = cases.filter(union).order_by()
    if by is None:
        return qs.annotate(ref=Value(ref)).values("ref").annotate(**annotations)
    return qs.values(ref=F(_KEY_FIELDS[by])).annotate(**annotations)


def _from_cases(
    cases: QuerySet[Case], windows: Windows, by: str | None, names: tuple[str, ...] = MEASURES
) -> dict[Any, dict[str, int]]:
    """The measures ``names``' counts per reference over the cases whose dates are in ``windows``.

    Without a month grouping all measures are counted in one statement (a conditional count per measure over
    the union of their windows); by month each (kind, date field) group is its own query, because each measure
    is placed in the month of its own date.
    """
    if by == "month":
        return _counts_by_month(cases, windows, names)
    measures = _measures()
    union = Q()
    annotations = {}
    for name in names:
        m = measures[name]
        window = _within(m, windows)
        union |= window
        annotations[name.replace(".", "__")] = Count("id", filter=window & m.condition if m.condition else window)
    qs = cases.filter(union).order_by()
    if by is None:
        rows: Iterable[dict[str, Any]] = [{"ref": None, **qs.aggregate(**annotations)}]
    else:
        rows = qs.values(_KEY_FIELDS[by]).annotate(**annotations)
    return {
        (row["ref"] if by is None else row[_KEY_FIELDS[by]]): {name: row[name.replace(".", "__")] for name in names}
        for row in rows
    }


def _counts_by_month(
    cases: QuerySet[Case], windows: Windows, needed: Iterable[str] | None = None
) -> dict[Any, dict[str, int]]:
    """The measures' counts (those ``needed``, default all) per month, one query per (kind, date field) group."""
    measures = _measures()
    wanted = set(measures) if needed is None else set(needed)
    counts_: dict[Any, dict[str, int]] = {}
    for names in _groups().values():
        names = [name for name in names if name in wanted]
        if not names:
            continue
        first = measures[names[0]]
        window = cases.filter(_within(first, windows)).order_by()
        annotations = {
            name.replace(".", "__"): Count("id", filter=measures[name].condition)
            if measures[name].condition is not None
            else Count("id")
            for name in names
        }
        rows = window.annotate(ref=TruncMonth(first.date_field)).values("ref").annotate(**annotations)
        for row in rows:
            ref = row["ref"].date() if isinstance(row["ref"], datetime.datetime) else row["ref"]
            bucket = counts_.setdefault(ref, dict.fromkeys(wanted, 0))
            for name in names:
                bucket[name] += row[name.replace(".", "__")]
    return counts_


def monthly(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date, rate_names: Iterable[str]
) -> dict[datetime.date, dict[str, Any]]:
    """The rates ``rate_names`` (names of ``RATES``) per month, each with the counts of its numerator and
    denominator: ``{first day of month: {"rates": {...}, "counts": {...}}}``, a month without any of those cases
    absent. Like ``table(by="month")``: from ``FigureCount`` for the cases of some regions (one query, and one per
    end of the window that fills no month); counting any other set of cases costs one query per (kind, date field)
    group these rates need, so a trend of four rates costs three queries instead of five."""
    parts = {name: (num, den) for name, num, den, _label in RATES if name in set(rate_names)}
    needed = {m for pair in parts.values() for m in pair}
    if counts.region_paths(cases) is not None:
        found = _counts_by_ref(cases, date_from, date_to, "month")
        by_month = {
            month: {name: bucket[name] for name in needed}
            for month, bucket in found.items()
            if any(bucket[name] for name in needed)
        }
    else:
        by_month = _counts_by_month(cases, [(date_from, date_to)], needed)
    return {
        month: {"counts": bucket, "rates": {name: rate(bucket[num], bucket[den]) for name, (num, den) in parts.items()}}
        for month, bucket in by_month.items()
    }


def _labelled(by: str, refs: Iterable[Any]) -> dict[Any, tuple[Any, str]]:
    """Each reference's (sort key, shown key): counties by their place in the tree, months in order."""
    refs = list(refs)
    if by == "county":
        regions = Region.objects.filter(pk__in=refs).only("name", "path")
        # A path's parts compared as numbers: "/2/10/" comes after "/2/9/", parents before their children.
        return {r.pk: (tuple(int(p) for p in r.path.strip("/").split("/")), r.name) for r in regions}
    if by == "agency":
        names = dict(Organisation.objects.filter(pk__in=refs).values_list("pk", "name"))
        return {ref: (names.get(ref, ""), names.get(ref, "")) for ref in refs}
    if by == "domain":
        labels = dict(Domain.choices)
        return {ref: (str(labels.get(ref, ref)) if ref else NO_DOMAIN,) * 2 for ref in refs}
    if by == "month":
        return {ref: (ref.strftime("%Y-%m"),) * 2 for ref in refs}
    if by == "centre":
        names = dict(Organisation.objects.filter(pk__in=refs).values_list("pk", "name"))
        return {ref: (names.get(ref, ""), names.get(ref, "")) for ref in refs}
    if by == "coordinator":
        # A name with its organisation: two experts of the same name stay apart.
        people = Coordinator.objects.filter(pk__in=refs).values_list("pk", "name", "organisation__name")
        return {pk: ((name, org, pk), f"{name}（{org}）") for pk, name, org in people}
    raise ValueError(f"未知的分组方式“{by}”")


def table(
    cases: QuerySet[Case],
    date_from: datetime.date,
    date_to: datetime.date,
    by: str | None = None,
    disputes: QuerySet[Dispute] | None = None,
) -> dict[str, Any]:
    """Like ``compute``, with each row's ``ref`` kept (region id, organisation id, domain code, first day of the
    month, centre id or coordinator id) so a page can link every number to the cases behind it, and with every
    measure's count (``counts``) and every rate (``rates``, those outside FIGURES included) for the total and each
    row.

    With ``disputes`` the total and each row also carry the group ``disputes`` (``DISPUTE_KEYS``) and the
    disputes' counts in ``counts``; a county, agency, domain or month with disputes and no case gets a row too.
    Grouped by centre or coordinator (``disputes`` required), the rows carry only ``key``, ``ref``, ``counts``
    (the disputes') and ``disputes``; the total still carries everything.
    """
    if by is not None and by not in ALL_GROUPINGS:
        raise ValueError(f"未知的分组方式“{by}”")
    if by in DISPUTE_GROUPINGS and disputes is None:
        raise ValueError(f"按{ALL_GROUPINGS[by]}分组只统计协调化解数据")
    case_by = by if by in GROUPINGS else None
    counts = _counts_by_ref(cases, date_from, date_to, case_by)
    total = dict.fromkeys(_measures(), 0)
    for bucket in counts.values():
        for name, n in bucket.items():
            total[name] += n
    if disputes is None:
        rows: list[dict[str, Any]] = []
        if by is not None:
            labels = _labelled(by, counts)
            for ref in sorted(counts, key=lambda r: labels[r][0]):
                rows.append(
                    {
                        "key": labels[ref][1],
                        "ref": ref,
                        "counts": counts[ref],
                        "rates": rates(counts[ref]),
                        **_figures(counts[ref]),
                    }
                )
        return {"total": _figures(total), "counts": total, "rates": rates(total), "rows": rows}
    return _with_disputes(counts, total, disputes, date_from, date_to, by)


def compute(
    cases: QuerySet[Case],
    date_from: datetime.date,
    date_to: datetime.date,
    by: str | None = None,
    disputes: QuerySet[Dispute] | None = None,
) -> dict[str, Any]:
    """The figures of SPEC §9 over ``cases`` for the inclusive window: ``{"total": FIGURES, "rows": [...]}``.

    ``by`` groups the rows: "county" (the defendant's county; a prefecture-level agency counts under the
    prefecture), "agency", "domain" or "month" (each measure in the month of its own date). Without
    ``disputes`` the keys are exactly those of the contract (SPEC §9). With ``disputes`` the total and each row
    add the group ``"disputes"``; ``by`` may then also be "centre" or "coordinator", whose rows carry only
    ``key`` and ``"disputes"`` (a dispute counts for every coordinator ever assigned to it, released or not).
    """
    result = table(cases, date_from, date_to, by, disputes)
    groups = ("disputes",) if by in DISPUTE_GROUPINGS else tuple(FIGURE_KEYS)
    if disputes is not None and by not in DISPUTE_GROUPINGS:
        groups += ("disputes",)
    rows = [{"key": row["key"], **{group: row[group] for group in groups}} for row in result["rows"]]
    return {"total": result["total"], "rows": rows}


# --- The coordination centre (SPEC §4 调解成功率, 化解数; SPEC §6.2) ---

# The order of keys in the group "disputes" (added to FIGURES only when asked for, never by default: SPEC §9).
DISPUTE_KEYS = ("closed", "mediated", "mediation_rate", "resolved", "resolved_to_loss_ratio")
DISPUTE_MEASURE_LABELS = {
    "disputes.closed": "办结的争议，不含不予受理",
    "disputes.mediated": "调解成功的争议",
    "disputes.resolved": "化解的争议：调解成功、行政机关纠正后撤回",
}


def _dispute_measures() -> dict[str, Q]:
    """Each dispute measure's condition; every one counts disputes whose 办结日期 (``concluded_on``) is in the
    window.

    - ``disputes.closed`` — SPEC §4 调解成功率's denominator: disputes the centre took on and closed
      (``CLOSED_AFTER_MEDIATION``); a dispute not accepted (不予受理) was never mediated and counts in neither;
    - ``disputes.mediated`` — its numerator: closed with 调解成功;
    - ``disputes.resolved`` — SPEC §4 化解数, the disputes' part: mediated, or withdrawn because the agency
      corrected its act (a withdrawal for any other reason resolved nothing).
    """
    return {
        "disputes.closed": Q(outcome__in=CLOSED_AFTER_MEDIATION),
        "disputes.mediated": Q(outcome=DisputeOutcome.MEDIATED),
        "disputes.resolved": RESOLVED,
    }


DISPUTE_MEASURES = tuple(_dispute_measures())


def disputes_behind(
    disputes: QuerySet[Dispute], measure_name: str, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Dispute]:
    """The disputes counted by one dispute figure: ``disputes_behind(...).count()`` equals the number shown."""
    return disputes.filter(_dispute_measures()[measure_name], concluded_on__range=(date_from, date_to))


def ratio(numerator: int, denominator: int) -> float | None:
    """A plain ratio rounded half-up to two decimals (57/25 → 2.28); None when there is nothing to divide by."""
    if not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def dispute_figures(counts: dict[str, int], with_cases: bool = True) -> dict[str, Any]:
    """The group "disputes" from the counts of a total or a row.

    SPEC §4 化解数 (``resolved``) is the disputes resolved plus the first-instance cases resolved without judgment
    (``litigation.resolved``); 化解/败诉比 (``resolved_to_loss_ratio``) sets it against the first-instance losses.
    Without cases (a centre's or a coordinator's row) ``resolved`` is the disputes' only and the ratio is None.
    """
    closed, mediated = counts["disputes.closed"], counts["disputes.mediated"]
    resolved = counts["disputes.resolved"] + (counts["litigation.resolved"] if with_cases else 0)
    return {
        "closed": closed,
        "mediated": mediated,
        "mediation_rate": rate(mediated, closed),
        "resolved": resolved,
        "resolved_to_loss_ratio": ratio(resolved, counts["litigation.lost"]) if with_cases else None,
    }


_DISPUTE_KEY_FIELDS = {
    "county": "county_id",
    "agency": "agency_id",
    "domain": "domain",
    "centre": "centre_id",
    "coordinator": "assignments__coordinator_id",
}


def _dispute_counts(
    disputes: QuerySet[Dispute], date_from: datetime.date, date_to: datetime.date, by: str | None
) -> dict[Any, dict[str, int]]:
    """Every dispute measure's count per grouping reference, in one statement.

    By coordinator the disputes are joined to every assignment they ever had (released ones included), and each
    dispute is counted once per coordinator (``distinct``: a coordinator released and assigned again is one);
    a dispute never assigned has no coordinator's row.
    """
    measures = _dispute_measures()
    union = Q()
    for condition in measures.values():
        union |= condition
    qs = disputes.filter(union, concluded_on__range=(date_from, date_to)).order_by()
    distinct = by == "coordinator"
    annotations = {
        name.replace(".", "__"): Count("id", filter=condition, distinct=distinct)
        for name, condition in measures.items()
    }
    if by is None:
        rows: Iterable[dict[str, Any]] = [{"ref": None, **qs.aggregate(**annotations)}]
    elif by == "month":
        rows = qs.annotate(ref=TruncMonth("concluded_on")).values("ref").annotate(**annotations)
    else:
        rows = qs.annotate(ref=F(_DISPUTE_KEY_FIELDS[by])).values("ref").annotate(**annotations)
    counts: dict[Any, dict[str, int]] = {}
    for row in rows:
        ref = row["ref"].date() if isinstance(row["ref"], datetime.datetime) else row["ref"]
        if by == "coordinator" and ref is None:
            continue
        counts[ref] = {name: row[name.replace(".", "__")] for name in measures}
    return counts


def _with_disputes(
    case_counts: dict[Any, dict[str, int]],
    case_total: dict[str, int],
    disputes: QuerySet[Dispute],
    date_from: datetime.date,
    date_to: datetime.date,
    by: str | None,
) -> dict[str, Any]:
    """``table``'s result with the disputes' counts and group added to the total and every row."""
    grouped = _dispute_counts(disputes, date_from, date_to, by) if by is not None else {}
    if by is None or by == "coordinator":
        dispute_total = _dispute_counts(disputes, date_from, date_to, None)[None]
    else:
        # Every closed dispute is in exactly one row (a county, an agency, a domain, a month, a centre).
        dispute_total = dict.fromkeys(DISPUTE_MEASURES, 0)
        for bucket in grouped.values():
            for name, n in bucket.items():
                dispute_total[name] += n
    total = {**case_total, **dispute_total}
    result: dict[str, Any] = {
        "total": {**_figures(total), "disputes": dispute_figures(total)},
        "counts": total,
        "rates": rates(total),
        "rows": [],
    }
    if by is None:
        return result
    refs = set(grouped) if by in DISPUTE_GROUPINGS else set(case_counts) | set(grouped)
    labels = _labelled(by, refs)
    no_cases = dict.fromkeys(_measures(), 0)
    no_disputes = dict.fromkeys(DISPUTE_MEASURES, 0)
    for ref in sorted(labels, key=lambda r: labels[r][0]):
        if by in DISPUTE_GROUPINGS:
            counts = grouped[ref]
            row = {"key": labels[ref][1], "ref": ref, "counts": counts, "disputes": dispute_figures(counts, False)}
        else:
            counts = {**case_counts.get(ref, no_cases), **grouped.get(ref, no_disputes)}
            row = {
                "key": labels[ref][1],
                "ref": ref,
                "counts": counts,
                "rates": rates(counts),
                **_figures(counts),
                "disputes": dispute_figures(counts),
            }
        result["rows"].append(row)
    return result


def shift_year_back(day: datetime.date) -> datetime.date:
    """The same day a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def year_on_year(
    cases: QuerySet[Case],
    date_from: datetime.date,
    date_to: datetime.date,
    current: dict[str, float | None] | None = None,
    disputes: QuerySet[Dispute] | None = None,
) -> dict[str, Any]:
    """The window a year earlier and each rate's change in percentage points (SPEC §4), None when either side
    has no rate: ``{"from", "to", "total": FIGURES, "rates": {...}, "change": {"loss_rate": -12.67, ...}}``,
    every rate of ``RATES`` in ``rates`` and ``change``, every measure's count in ``counts``. Pass ``current``
    (this window's ``rates``) when already computed. With ``disputes``, ``total`` carries the year-earlier group
    "disputes" and ``counts`` the disputes' counts too."""
    prev_from, prev_to = shift_year_back(date_from), shift_year_back(date_to)
    current = current if current is not None else table(cases, date_from, date_to)["rates"]
    previous = table(cases, prev_from, prev_to, disputes=disputes)
    change: dict[str, float | None] = {}
    for name, _num, _den, _label in RATES:
        change[name] = points(current[name], previous["rates"][name])
    return {
        "from": prev_from,
        "to": prev_to,
        "total": previous["total"],
        "counts": previous["counts"],
        "rates": previous["rates"],
        "change": change,
    }


def points(now: float | None, before: float | None) -> float | None:
    """The change of a rate in percentage points (SPEC §4), None when either side has no rate."""
    return None if now is None or before is None else float(Decimal(str(now)) - Decimal(str(before)))
