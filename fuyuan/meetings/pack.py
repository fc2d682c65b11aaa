"""The figures pack of a meeting (会议材料：府院联动工作数据) as a .docx in the official layout (GB/T 9704-2012 via
``documents.official``), prepared from the data, never typed:

一、主要指标 — the region's rates of SPEC §4 for the meeting's period, from ``stats.figures.table`` over the cases of
   the region's subtree: the same numbers ``fuyuan stats --region`` prints for that window;
二、按月趋势 — the same figures month by month (``stats.figures.monthly``);
三、败诉较多的机关 — the agencies with most first-instance losses in the period, with their 败诉率
   (``stats.figures.table(by="agency")``);
四、逾期未办事项 — the due obligations (``obligations``) of the region's units open past their date on the day the
   pack is made, by unit and kind;
五、领导包案 — the open leader packages of the region (``packaging``), those falling behind marked;
六、前次会议议定事项 — the office's earlier decisions not yet confirmed done.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from fuyuan.cases.models import Case
from fuyuan.documents import official
from fuyuan.meetings.models import Decision, DecisionState, Meeting
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.obligations.registry import KINDS
from fuyuan.packaging.models import CasePackage, PackageState, lagging_condition
from fuyuan.stats import figures

TOP_AGENCIES = 10
# The rates shown, in order: (rate name of ``figures.RATES``, numerator measure, denominator measure, label).
SHOWN_RATES = [
    r for r in figures.RATES if r[0] in ("loss_rate", "appearance_rate", "correction_rate", "mediation_rate")
]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


@dataclass
class Pack:
    """What the pack says, read from the data (the .docx is written from it, and tests read it too)."""

    meeting: Meeting
    as_of: datetime.date
    counts: dict[str, int]
    rates: dict[str, float | None]
    months: list[tuple[datetime.date, dict[str, Any]]]
    agencies: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    packages: Sequence[CasePackage]
    lagging: set[int] = field(default_factory=set)
    open_decisions: list[Decision] = field(default_factory=list)


def gather(meeting: Meeting, as_of: datetime.date | None = None) -> Pack:
    as_of = as_of or timezone.localdate()
    region = meeting.office.region
    cases = Case.objects.filter(region__path__startswith=region.path)
    start, end = meeting.period_from, meeting.period_to
    total = figures.table(cases, start, end)
    by_month = figures.monthly(cases, start, end, [r[0] for r in SHOWN_RATES])
    empty = {"counts": dict.fromkeys({m for r in SHOWN_RATES for m in r[1:3]}, 0), "rates": {}}
    months = [(month, by_month.get(month, empty)) for month in _months(start, end)]
    agency_rows = [r for r in figures.table(cases, start, end, by="agency")["rows"] if r["counts"]["litigation.lost"]]
    agency_rows.sort(key=lambda r: (-r["counts"]["litigation.lost"], -(r["rates"]["loss_rate"] or 0), r["key"]))
    overdue_rows = (
        Obligation.objects.filter(
            state=ObligationState.OPEN,
            due_on__lt=as_of,
            owner_organisation__region__path__startswith=region.path,
        )
        .values("owner_organisation__name", "kind")
        .annotate(n=Count("id"), earliest=Min("due_on"))
        .order_by("-n", "earliest", "owner_organisation__name")
    )
    overdue = [
        {
            "unit": row["owner_organisation__name"],
            "kind": KINDS[row["kind"]].label if row["kind"] in KINDS else row["kind"],
            "count": row["n"],
            "earliest": row["earliest"],
        }
        for row in overdue_rows
    ]
    packages = list(
        CasePackage.objects.filter(region__path__startswith=region.path, state=PackageState.ACTIVE)
        .select_related("leader")
        .annotate(n_cases=Count("cases"))
        .order_by("due_on", "pk")
    )
    lagging = set(
        CasePackage.objects.filter(lagging_condition(as_of), region__path__startswith=region.path).values_list(
            "pk", flat=True
        )
    )
    open_decisions = list(
        Decision.objects.filter(meeting__office_id=meeting.office_id, meeting__held_on__lte=meeting.held_on)
        .exclude(meeting=meeting)
        .exclude(state=DecisionState.DONE)
        .select_related("meeting", "owner")
        .order_by("due_on", "pk")
    )
    return Pack(
        meeting=meeting,
        as_of=as_of,
        counts=total["counts"],
        rates=total["rates"],
        months=months,
        agencies=agency_rows[:TOP_AGENCIES],
        overdue=overdue,
        packages=packages,
        lagging=lagging,
        open_decisions=open_decisions,
    )


def _rate_cell(counts: dict[str, int], rates: dict[str, float | None], rate: tuple[str, str, str, str]) -> str:
    name, numerator, denominator, _label = rate
    if not counts[denominator]:
        return "—"
    return f"{percent(rates.get(name))}（{counts[numerator]}/{counts[denominator]}）"


def pack_docx(pack: Pack) -> bytes:
    meeting = pack.meeting
    office = meeting.office
    start, end = meeting.period_from, meeting.period_to
    title = "府院联动工作数据"
    doc = official.new_document(title=f"{meeting.title}会议材料：{title}", author=office.name)
    official.add_paragraph(doc, "会议材料", indent=False)
    official.add_title(doc, title)
    official.add_paragraph(doc, f"（{meeting.title}，{official.chinese_date(meeting.held_on)}）", indent=False,
                           align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    official.add_paragraph(doc)
    official.add_paragraph(
        doc,
        f"统计范围：{office.region.name}（含下级地区）；统计期间：{official.chinese_date(start)}至"
        f"{official.chinese_date(end)}。以下数据由平台根据案件台账自动生成，每项数据均可追溯到具体案件。",
    )

    c, r = pack.counts, pack.rates
    official.add_heading(doc, 1, 1, "主要指标")
    official.add_paragraph(
        doc,
        f"一审行政诉讼立案{c['litigation.filed']}件，结案{c['litigation.concluded']}件，其中败诉"
        f"{c['litigation.lost']}件，败诉率{percent(r['loss_rate'])}；开庭{c['litigation.hearings']}件，负责人出庭"
        f"{c['litigation.head_appeared']}件，出庭率{percent(r['appearance_rate'])}。行政复议收案"
        f"{c['reconsideration.received']}件，办结{c['reconsideration.concluded']}件，被纠错"
        f"{c['reconsideration.corrected']}件，被纠错率{percent(r['correction_rate'])}；调解和解"
        f"{c['reconsideration.mediated']}件，调解成功率{percent(r['mediation_rate'])}。",
    )
    official.add_table(
        doc,
        ["指标", "比率（分子/分母）"],
        [[label, _rate_cell(c, r, rate)] for rate in SHOWN_RATES for label in [rate[3]]],
        widths=[1.0, 1.4],
    )

    official.add_heading(doc, 1, 2, "按月趋势")
    rows = [
        [f"{month:%Y-%m}", *[_rate_cell(data["counts"], data["rates"], rate) for rate in SHOWN_RATES]]
        for month, data in pack.months
    ]
    official.add_table(doc, ["月份", *[rate[3] for rate in SHOWN_RATES]], rows, size=official.SMALL_TABLE_SIZE)

    official.add_heading(doc, 1, 3, "败诉较多的机关")
    if pack.agencies:
        rows = [
            [
                str(n),
                row["key"],
                str(row["counts"]["litigation.lost"]),
                str(row["counts"]["litigation.concluded"]),
                percent(row["rates"]["loss_rate"]),
            ]
            for n, row in enumerate(pack.agencies, 1)
        ]
        official.add_table(doc, ["序号", "机关", "败诉", "一审结案", "败诉率"], rows, widths=[0.5, 2.4, 0.7, 0.9, 0.9],
                           left=frozenset({1}))  # fmt: skip
    else:
        official.add_paragraph(doc, "统计期间无一审败诉案件。")

    official.add_heading(doc, 1, 4, "逾期未办事项")
    if pack.overdue:
        official.add_paragraph(
            doc,
            f"截至{official.chinese_date(pack.as_of)}，逾期未办事项共{sum(o['count'] for o in pack.overdue)}项。",
        )
        rows = [[o["unit"], o["kind"], str(o["count"]), f"{o['earliest']:%Y-%m-%d}"] for o in pack.overdue]
        official.add_table(doc, ["责任单位", "事项类别", "逾期件数", "最早届满日"], rows, widths=[2.0, 1.6, 0.8, 1.1],
                           left=frozenset({0, 1}))  # fmt: skip
    else:
        official.add_paragraph(doc, f"截至{official.chinese_date(pack.as_of)}，无逾期未办事项。")

    official.add_heading(doc, 1, 5, "领导包案")
    if pack.packages:
        official.add_paragraph(
            doc, f"在办领导包案{len(pack.packages)}件，其中落后{len(pack.lagging & {p.pk for p in pack.packages})}件。"
        )
        rows = [
            [
                p.leader.display_name,
                p.get_kind_display(),
                p.goal,
                str(p.n_cases),  # type: ignore[attr-defined]
                f"{p.due_on:%Y-%m-%d}",
                "落后" if p.pk in pack.lagging else "正常",
            ]
            for p in pack.packages
        ]
        official.add_table(doc, ["包案领导", "类型", "化解目标", "案件数", "完成期限", "进度"], rows,
                           widths=[1.0, 0.9, 2.4, 0.6, 1.1, 0.6], left=frozenset({2}),
                           size=official.SMALL_TABLE_SIZE)  # fmt: skip
    else:
        official.add_paragraph(doc, "无在办的领导包案。")

    official.add_heading(doc, 1, 6, "前次会议议定事项办理情况")
    if pack.open_decisions:
        rows = [
            [
                f"{d.meeting.held_on:%Y-%m-%d}",
                d.text,
                d.owner.name,
                f"{d.due_on:%Y-%m-%d}",
                "逾期未办" if d.is_overdue(pack.as_of) else d.get_state_display(),
            ]
            for d in pack.open_decisions
        ]
        official.add_table(doc, ["会议日期", "议定事项", "牵头单位", "办结期限", "状态"], rows,
                           widths=[1.0, 2.6, 1.4, 1.0, 0.9], left=frozenset({1, 2}),
                           size=official.SMALL_TABLE_SIZE)  # fmt: skip
    else:
        official.add_paragraph(doc, "前次会议议定事项均已办结。")

    official.add_paragraph(doc)
    official.add_signature(doc, office.name, pack.as_of)
    return official.to_bytes(doc)


def figures_pack(meeting: Meeting, as_of: datetime.date | None = None) -> bytes:
    return pack_docx(gather(meeting, as_of))


def pack_filename(meeting: Meeting) -> str:
    return f"{meeting.held_on:%Y%m%d}{meeting.title}会议材料.docx".replace("/", "-")
