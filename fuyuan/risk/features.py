"""What the loss-risk model knows of a case on a day: the records loaded once (``load_region``) and the feature
builder, a list of named functions (``FEATURES``).

Each feature function takes a case's facts, the day it is looked at and the region's history, and returns its
columns: ``(column, value, reason)``, where ``reason`` is the Chinese phrase shown when that column is among a
score's main reasons. A function reads only what was on record by that day (dates after it are as if not yet
known): a pending case is looked at on the as-of day, a concluded case used for learning on the day it concluded,
and an agency's record counts only cases concluded *before* the day. No personal data (names, ID numbers, phones,
the plaintiffs) is read at all.

To add a feature, write a function of the same shape and append a ``Feature`` to ``FEATURES`` (for instance the
outcomes of a case's similar cases, from ``fuyuan.similar``, once it exists); the model, the back-test, the reasons
and the model page take it from there. ``bench/bench_risk.py`` measures each feature by leaving it out.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from fuyuan.cases.choices import (
    ActType,
    CaseKind,
    Domain,
    Instance,
    ReconsiderationOutcome,
    correction_outcomes,
    loss_outcomes,
)
from fuyuan.cases.models import Case
from fuyuan.consultation.choices import Answer
from fuyuan.consultation.models import RiskNotice
from fuyuan.core.models import Organisation, Region

Column = tuple[str, float, str]

# 行政诉讼法 第67条: the defence and evidence are due 15 days after the complaint copy is served; 第34条: evidence
# given late counts as none (the seeds' first cause of losses).
DEFENCE_DAYS = 15
# An agency with few concluded cases is pulled towards the region's rate (an additive prior of this many cases).
PRIOR_CASES = 5
DOMAIN_LABELS = {value: str(label) for value, label in Domain.choices}
CAUSE_LABELS = {value: str(label) for value, label in ActType.choices}


@dataclass
class Facts:
    """One first-instance case as the feature functions see it (no personal data)."""

    pk: int
    number: str
    defendant_id: int
    court_id: int | None
    county_id: int
    domain: str
    cause: str
    filed_on: datetime.date
    concluded_on: datetime.date | None
    lost: bool
    group_size: int | None
    complaint_served_on: datetime.date | None
    defence_submitted_on: datetime.date | None
    hearing_on: datetime.date | None
    head_appeared: bool | None
    reconsideration_outcome: str = ""
    reconsideration_concluded_on: datetime.date | None = None
    notices: list[tuple[datetime.date, str, datetime.date | None]] = field(default_factory=list)

    def pending_on(self, day: datetime.date) -> bool:
        return self.filed_on <= day and (self.concluded_on is None or self.concluded_on > day)


class History:
    """The region's concluded first-instance cases, to ask an agency's record as of a day in O(log n)."""

    def __init__(self, cases: Iterable[Facts]) -> None:
        by_agency: dict[int, list[tuple[datetime.date, bool]]] = defaultdict(list)
        everything: list[tuple[datetime.date, bool]] = []
        for c in cases:
            if c.concluded_on is not None:
                by_agency[c.defendant_id].append((c.concluded_on, c.lost))
                everything.append((c.concluded_on, c.lost))
        self._agency = {k: self._cumulative(v) for k, v in by_agency.items()}
        self._all = self._cumulative(everything)

    @staticmethod
    def _cumulative(rows: list[tuple[datetime.date, bool]]) -> tuple[list[datetime.date], list[int]]:
        rows.sort(key=lambda r: r[0])
        days, losses, total = [], [0], 0
        for day, lost in rows:
            days.append(day)
            total += lost
            losses.append(total)
        return days, losses

    @staticmethod
    def _before(series: tuple[list[datetime.date], list[int]], day: datetime.date) -> tuple[int, int]:
        days, losses = series
        n = bisect.bisect_left(days, day)
        return n, losses[n]

    def region_record(self, day: datetime.date) -> tuple[int, int]:
        """(concluded, lost) in the whole region before ``day``."""
        return self._before(self._all, day)

    def agency_record(self, agency_id: int, day: datetime.date) -> tuple[int, int]:
        """(concluded, lost) of one agency before ``day``."""
        series = self._agency.get(agency_id)
        return self._before(series, day) if series else (0, 0)


@dataclass
class RegionRecords:
    """What ``load_region`` read: the region's first-instance cases, their history, and names for the reasons."""

    region: Region | None
    cases: list[Facts]
    history: History
    names: dict[int, str]


@dataclass(frozen=True)
class Feature:
    name: str  # stable id: ``agency_history``
    label: str  # 被告机关以往败诉情况
    compute: Callable[[Facts, datetime.date, History, dict[int, str]], list[Column]]


def agency_history(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    """The defendant's loss rate over its cases concluded before the day, pulled towards the region's rate when it
    has few (``PRIOR_CASES``); and whether it has no record at all."""
    n, lost = history.agency_record(c.defendant_id, day)
    region_n, region_lost = history.region_record(day)
    prior = (region_lost + 1) / (region_n + 2)
    rate = (lost + PRIOR_CASES * prior) / (n + PRIOR_CASES)
    name = names.get(c.defendant_id, "被告机关")
    if n:
        text = f"{name}此前一审结案{n}件、败诉{lost}件（{lost / n:.0%}），地区为{prior:.0%}"
    else:
        text = f"{name}此前没有一审结案记录"
    return [("agency_loss_rate", rate, text), ("agency_no_record", float(n == 0), text)]


def domain(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    label = DOMAIN_LABELS.get(c.domain)
    return [(f"domain={c.domain}", 1.0, f"领域为{label}")] if label else []


def cause(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    label = CAUSE_LABELS.get(c.cause)
    return [(f"cause={c.cause}", 1.0, f"案由为{label}")] if label else []


def court(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    if c.court_id is None:
        return []
    return [(f"court={c.court_id}", 1.0, f"由{names.get(c.court_id, '该法院')}审理")]


def reconsideration(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    """Whether a reconsideration preceded the suit and how it had ended by the day (纠错, 维持/驳回, other)."""
    if not c.reconsideration_outcome or c.reconsideration_concluded_on is None or c.reconsideration_concluded_on > day:
        return []
    if c.reconsideration_outcome in correction_outcomes():
        return [("reconsideration=corrected", 1.0, "此前行政复议已纠错")]
    if c.reconsideration_outcome in {ReconsiderationOutcome.UPHELD, ReconsiderationOutcome.REJECTED}:
        return [("reconsideration=upheld", 1.0, "此前行政复议维持或驳回")]
    return [("reconsideration=other", 1.0, "此前经过行政复议（调解、终止等）")]


def defence_late(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    """The defence and evidence were recorded as submitted more than ``DEFENCE_DAYS`` after service (行政诉讼法
    第67条, 第34条). A fact of the record, not of the clock: a defence not yet recorded is no feature."""
    served, submitted = c.complaint_served_on, c.defence_submitted_on
    if served is None or submitted is None or submitted > day:
        return []
    late = (submitted - served).days > DEFENCE_DAYS
    return [("defence_late", float(late), f"答辩及证据逾期提交（送达后第{(submitted - served).days}日）")]


def head_appearance(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    """At a hearing held by the day, no legal head of the agency appeared (法释〔2020〕3号). Only the absence is a
    column: a case not yet heard and a case whose head appeared look alike, so that "a hearing was held", which every
    concluded case that was judged has and a pending case may not have yet, teaches the model nothing."""
    if c.hearing_on is None or c.hearing_on > day or c.head_appeared is not False:
        return []
    return [("head_absent", 1.0, "庭审中行政机关负责人未出庭")]


def risk_notice(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    """The court's 败诉风险提示 (``fuyuan.consultation``) sent by the day, and the agency's answer by then."""
    sent = [n for n in c.notices if n[0] <= day]
    if not sent:
        return []
    columns: list[Column] = [("risk_notice", 1.0, "法院已发出败诉风险提示")]
    answers = {answer for _, answer, answered_on in sent if answered_on is not None and answered_on <= day}
    if Answer.DEFEND in answers:
        columns.append(("risk_notice_defended", 1.0, "收到风险提示后机关答复坚持应诉"))
    if answers & {Answer.CORRECT, Answer.SETTLE}:
        columns.append(("risk_notice_resolving", 1.0, "收到风险提示后机关答复自行纠正或协调和解"))
    return columns


def group_case(c: Facts, day: datetime.date, history: History, names: dict[int, str]) -> list[Column]:
    if not c.group_size:
        return []
    return [("group_case", 1.0, f"群体性/系列案件（{c.group_size}件）")]


# The features the model uses. ``bench/bench_risk.py`` leaves each out in turn and adds each of ``CANDIDATES``: on the
# demo prefecture (5,263 first-instance cases) 领域 and 审理法院 lowered the back-test AUC (by 0.005 and 0.006: they
# repeat 案由 and the agency's county) and on the generated ledger added nothing, so they are candidates, not used.
FEATURES: list[Feature] = [
    Feature("agency_history", "被告机关以往败诉情况（截至当日）", agency_history),
    Feature("cause", "案由", cause),
    Feature("reconsideration", "是否经过复议及复议结果", reconsideration),
    Feature("defence_late", "答辩及证据是否逾期提交", defence_late),
    Feature("head_appearance", "庭审时负责人未出庭应诉", head_appearance),
    Feature("risk_notice", "法院败诉风险提示及机关答复", risk_notice),
    Feature("group_case", "群体性/系列案件", group_case),
]
CANDIDATES: list[Feature] = [
    Feature("domain", "领域", domain),
    Feature("court", "审理法院", court),
]
COLUMN_LABELS = {
    "agency_loss_rate": "被告机关以往败诉率",
    "agency_no_record": "被告机关此前无结案记录",
    "reconsideration=corrected": "此前行政复议已纠错",
    "reconsideration=upheld": "此前行政复议维持或驳回",
    "reconsideration=other": "此前经过行政复议（其他结果）",
    "defence_late": "答辩及证据逾期提交",
    "head_absent": "负责人未出庭",
    "risk_notice": "法院发出败诉风险提示",
    "risk_notice_defended": "风险提示后坚持应诉",
    "risk_notice_resolving": "风险提示后自行纠正或协调和解",
    "group_case": "群体性/系列案件",
}


def column_label(column: str, names: dict[int, str]) -> str:
    """A model column in Chinese, for the model page's weights."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    kind, _, value = column.partition("=")
    if kind == "cause":
        return f"案由：{CAUSE_LABELS.get(value, value)}"
    if kind == "domain":
        return f"领域：{DOMAIN_LABELS.get(value, value)}"
    if kind == "court" and value.isdigit():
        return f"法院：{names.get(int(value), value)}"
    return column


def columns_of(
    c: Facts, day: datetime.date, history: History, names: dict[int, str], features: Iterable[Feature]
) -> list[Column]:
    out: list[Column] = []
    for feature in features:
        out.extend(feature.compute(c, day, history, names))
    return out


def first_instance_cases(region: Region | None) -> QuerySet[Case]:
    cases = Case.objects.filter(kind=CaseKind.LITIGATION, instance=Instance.FIRST)
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
    return cases


def load_region(region: Region | None) -> RegionRecords:
    """The region's first-instance cases (three queries: the cases, their risk notices, the names of their
    agencies and courts), whatever their number."""
    losses = loss_outcomes()
    rows = first_instance_cases(region).values_list(
        "pk",
        "number",
        "defendant_id",
        "court_id",
        "county_id",
        "domain",
        "cause",
        "filed_on",
        "concluded_on",
        "outcome",
        "group_size",
        "complaint_served_on",
        "defence_submitted_on",
        "hearing_on",
        "head_appeared",
        "predecessor__kind",
        "predecessor__outcome",
        "predecessor__concluded_on",
    )
    cases: list[Facts] = []
    for r in rows.iterator(chunk_size=5000):
        recon = r[15] == CaseKind.RECONSIDERATION
        cases.append(
            Facts(
                pk=r[0],
                number=r[1],
                defendant_id=r[2],
                court_id=r[3],
                county_id=r[4],
                domain=r[5],
                cause=r[6],
                filed_on=r[7],  # type: ignore[arg-type]  # litigation_has_court_instance_filed_on
                concluded_on=r[8],
                lost=r[9] in losses,
                group_size=r[10],
                complaint_served_on=r[11],
                defence_submitted_on=r[12],
                hearing_on=r[13],
                head_appeared=r[14],
                reconsideration_outcome=r[16] if recon and r[16] else "",
                reconsideration_concluded_on=r[17] if recon else None,
            )
        )
    by_pk = {c.pk: c for c in cases}
    notices = RiskNotice.objects.filter(case__kind=CaseKind.LITIGATION, case__instance=Instance.FIRST)
    if region is not None:
        notices = notices.filter(case__region__path__startswith=region.path)
    for case_id, sent_on, answer, answered_on in notices.values_list("case_id", "sent_on", "answer", "answered_on"):
        if case_id in by_pk:
            by_pk[case_id].notices.append((sent_on, answer, answered_on))
    org_ids = {c.defendant_id for c in cases} | {c.court_id for c in cases if c.court_id}
    names = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    return RegionRecords(region=region, cases=cases, history=History(cases), names=names)
