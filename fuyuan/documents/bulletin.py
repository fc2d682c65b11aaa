"""The 通报 on a region's administrative reconsideration and litigation for a month or a quarter (issue 5, SPEC §4
and §7): the overall figures with their year-on-year change and the benchmarks entered, the table by county, the
rankings, the agencies that lost and the counties above the loss-rate threshold — in the official layout of
GB/T 9704 (``documents.official``), as the 依法治办 sends it to the counties and departments.

Every number comes from ``stats.figures``; this module only orders and words them (``build_bulletin``), and
``bulletin_xlsx`` writes the same ``Bulletin`` as a workbook.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel
from fuyuan.core.queries import county_map
from fuyuan.documents import official
from fuyuan.stats import figures as fig
from fuyuan.stats.models import BenchmarkScope, benchmarks_for

# SPEC §4: a county whose loss rate exceeds the threshold (default 30%) is singled out.
DEFAULT_LOSS_THRESHOLD = 30
QUARTERS = "一二三四"

# The table by county: (header, measure or rate name); rates are percentages without the sign (the header says %).
TABLE_GROUPS = [("", 1), ("行政复议", 5), ("行政诉讼", 6)]
TABLE_COLUMNS = (
    ("县（市、区）", ""),
    ("收案", "reconsideration.received"),
    ("受理", "reconsideration.accepted"),
    ("办结", "reconsideration.concluded"),
    ("纠错", "reconsideration.corrected"),
    ("纠错率（%）", "correction_rate"),
    ("一审结案", "litigation.concluded"),
    ("败诉", "litigation.lost"),
    ("败诉率（%）", "loss_rate"),
    ("开庭", "litigation.hearings"),
    ("出庭", "litigation.head_appeared"),
    ("出庭率（%）", "appearance_rate"),
)
# Relative widths in the .docx: the rates ("100.00") and "一审结案" need more room than the counts.
TABLE_WIDTHS = [1.9, 0.85, 0.85, 0.85, 0.85, 1.3, 1.25, 0.85, 1.3, 0.85, 0.85, 1.3]
AGENCY_HEADERS = ("序号", "行政机关", "所属地区", "一审败诉（件）")
RANKING_HEADERS = ("名次", "县（市、区）", "比率（%）", "分子（件）", "分母（件）")


class BulletinError(ValueError):
    """The period cannot be read (not YYYY-MM or YYYY-Qn)."""


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    date_from: datetime.date
    date_to: datetime.date


def parse_period(text: str) -> Period:
    """A month ``2026-11`` (2026年11月) or a quarter ``2026-Q3`` (2026年第三季度)."""
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(
                f"{year}-{month:02d}",
                f"{year}年{month}月",
                datetime.date(year, month, 1),
                datetime.date(year, month, last),
            )
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        first, last_month = 3 * quarter - 2, 3 * quarter
        last = calendar.monthrange(year, last_month)[1]
        return Period(
            f"{year}-Q{quarter}",
            f"{year}年第{QUARTERS[quarter - 1]}季度",
            datetime.date(year, first, 1),
            datetime.date(year, last_month, last),
        )
    raise BulletinError(f"期间“{text}”无法识别：月度请填写如 2026-11，季度请填写如 2026-Q3")


def loss_threshold() -> float:
    return float(getattr(settings, "FUYUAN_LOSS_THRESHOLD", DEFAULT_LOSS_THRESHOLD))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@dataclass
class Row:
    """One line of the table: a county, or the region's own agencies (本级, ``is_county`` false)."""

    name: str
    counts: dict[str, int]
    rates: dict[str, float | None]
    is_county: bool = True

    def cells(self) -> list[str]:
        return [self.name] + [
            number(self.rates[key]) if key in self.rates else str(self.counts[key]) for _, key in TABLE_COLUMNS[1:]
        ]


@dataclass
class Ranked:
    place: int
    row: Row
    rate: float


@dataclass
class Bulletin:
    region: Region
    period: Period
    issuer: str
    title: str
    scope_word: str
    issued_on: datetime.date
    document_number: str
    total: Row
    counts: dict[str, int]
    rates: dict[str, float | None]
    change: dict[str, float | None]
    benchmarks: dict[str, dict[str, Any]]
    rows: list[Row]
    loss_ranking: list[Ranked]
    appearance_ranking: list[Ranked]
    unranked_loss: list[Row]
    unranked_appearance: list[Row]
    losing_agencies: list[tuple[str, str, int]]
    threshold: float
    over_threshold: list[Row] = field(default_factory=list)


def issuer_of(region: Region) -> str:
    """发文机关: the region's 依法治办 as registered, else "{region}依法治办"."""
    office = (
        Organisation.objects.filter(region=region, kind=OrganisationKind.RULE_OF_LAW_OFFICE).order_by("name").first()
    )
    return office.name if office else f"{region.name}依法治办"


def scope_word(region: Region) -> str:
    """全州 / 全市 / 全县 / 全省: the region's own kind, from the last character of its name."""
    last = region.name[-1:]
    return last if last in "省州市县区盟旗" else "市"


def _rank(rows: list[Row], rate: str, *, lowest_first: bool) -> tuple[list[Ranked], list[Row]]:
    """Rows with a rate, best first, equal rates sharing a place (1, 1, 3); rows without one apart."""
    rated = [(value, row) for row in rows if (value := row.rates[rate]) is not None]
    rated.sort(key=lambda pair: pair[0] if lowest_first else -pair[0])
    ranked: list[Ranked] = []
    for i, (value, row) in enumerate(rated):
        place = ranked[-1].place if ranked and ranked[-1].rate == value else i + 1
        ranked.append(Ranked(place, row, value))
    return ranked, [row for row in rows if row.rates[rate] is None]


def _rows(region: Region, result: dict[str, Any]) -> list[Row]:
    """Every county of the region (and its 本级 above county level), with zeros where nothing was counted."""
    regions = [r for r in region.subtree().filter(level__lte=RegionLevel.COUNTY)]
    regions.sort(key=lambda r: tuple(int(p) for p in r.path.strip("/").split("/")))
    by_ref = {row["ref"]: row for row in result["rows"]}
    zero = dict.fromkeys(fig.MEASURES, 0)
    rows = []
    for r in regions:
        found = by_ref.pop(r.pk, None)
        name = f"{r.name}本级" if r.level < RegionLevel.COUNTY else r.name
        counts, rates = (found["counts"], found["rates"]) if found else (zero, fig.rates(zero))
        rows.append(Row(name, counts, rates, is_county=r.level == RegionLevel.COUNTY))
    # Cases placed outside the tree's county level (none when the registry is consistent) still show.
    rows += [Row(row["key"], row["counts"], row["rates"], is_county=False) for row in by_ref.values()]
    return rows


def _losing_agencies(cases: QuerySet[Case], period: Period) -> list[tuple[str, str, int]]:
    """(agency, its county, first-instance losses) for every agency that lost, most losses first."""
    result = fig.table(cases, period.date_from, period.date_to, by="agency")
    losing = [row for row in result["rows"] if row["counts"]["litigation.lost"]]
    orgs = Organisation.objects.filter(pk__in=[row["ref"] for row in losing]).values_list("pk", "region_id")
    counties = county_map()
    names = dict(Region.objects.filter(pk__in={counties.get(r, r) for _, r in orgs}).values_list("pk", "name"))
    county_of = {pk: names.get(counties.get(region_id, region_id), "") for pk, region_id in orgs}
    agencies = [(row["key"], county_of.get(row["ref"], ""), row["counts"]["litigation.lost"]) for row in losing]
    agencies.sort(key=lambda a: (-a[2], a[0]))
    return agencies


def build_bulletin(
    region: Region,
    period: Period | str,
    *,
    cases: QuerySet[Case] | None = None,
    document_number: int | None = None,
    today: datetime.date | None = None,
) -> Bulletin:
    """The 通报's contents over ``cases`` (default: the whole registry) placed in ``region``'s subtree."""
    if isinstance(period, str):
        period = parse_period(period)
    cases = (cases if cases is not None else Case.objects.all()).filter(region__path__startswith=region.path)
    issued_on = today or timezone.localdate()
    result = fig.table(cases, period.date_from, period.date_to, by="county")
    yoy = fig.year_on_year(cases, period.date_from, period.date_to, current=result["rates"])
    rows = _rows(region, result)
    loss_ranking, unranked_loss = _rank(rows, "loss_rate", lowest_first=True)
    appearance_ranking, unranked_appearance = _rank(rows, "appearance_rate", lowest_first=False)
    threshold = loss_threshold()
    word = scope_word(region)
    issuer = issuer_of(region)
    return Bulletin(
        region=region,
        period=period,
        issuer=issuer,
        title=f"关于{period.label}全{word}行政复议和行政诉讼案件情况的通报",
        scope_word=word,
        issued_on=issued_on,
        # 7.2.5 发文字号: 〔year〕 and the sequence number without 第 or leading zeros; left blank for the clerk.
        document_number=f"〔{issued_on.year}〕{document_number if document_number else chr(0x3000)}号",
        total=Row("合计", result["counts"], result["rates"]),
        counts=result["counts"],
        rates=result["rates"],
        change=yoy["change"],
        benchmarks=benchmarks_for(period.date_to.year),
        rows=rows,
        loss_ranking=loss_ranking,
        appearance_ranking=appearance_ranking,
        unranked_loss=unranked_loss,
        unranked_appearance=unranked_appearance,
        losing_agencies=_losing_agencies(cases, period),
        threshold=threshold,
        # As the written-report duty (accountability.workflow.open_report_duties): counties only, 州本级 never.
        over_threshold=[row for row in rows if row.is_county and (row.rates["loss_rate"] or 0) > threshold],
    )


# --- Wording ---


def change_text(change: float | None) -> str:
    """同比上升/下降 N 个百分点 (SPEC §4: year-on-year changes are in percentage points)."""
    if change is None:
        return "上年同期无可比数据"
    if change == 0:
        return "与上年同期持平"
    return f"同比{'上升' if change > 0 else '下降'}{abs(change):.2f}个百分点"


def benchmark_text(bulletin: Bulletin, rate: str) -> str:
    """（全省平均14.05%，全国平均…） for the benchmarks entered for the period's year, or nothing."""
    entered = bulletin.benchmarks.get(rate, {})
    parts = [f"{scope.label}{entered[scope.value].value:.2f}%" for scope in BenchmarkScope if scope.value in entered]
    return f"（{'，'.join(parts)}）" if parts else ""


def _rate_sentence(bulletin: Bulletin, rate: str, label: str) -> str:
    value = bulletin.rates[rate]
    return f"{label}{percent(value)}{benchmark_text(bulletin, rate)}，{change_text(bulletin.change[rate])}"


def _ranking_text(ranked: list[Ranked], unranked: list[Row], why: str) -> str:
    if not ranked:
        return f"本期各县（市、区）均{why}，不作排名。"
    listed = "、".join(f"{r.place}.{r.row.name}（{r.rate:.2f}%）" for r in ranked)
    text = f"依次为：{listed}。"
    if unranked:
        text += f"{'、'.join(row.name for row in unranked)}本期{why}，不参与排名。"
    return text


def overall_paragraphs(b: Bulletin) -> list[str]:
    c, w = b.counts, b.scope_word
    reconsideration = (
        f"行政复议方面，全{w}收案{c['reconsideration.received']}件，受理{c['reconsideration.accepted']}件，"
        f"不予受理{c['reconsideration.rejected']}件，办结{c['reconsideration.concluded']}件。"
        f"行政机关被纠错{c['reconsideration.corrected']}件，{_rate_sentence(b, 'correction_rate', '被纠错率')}。"
    )
    litigation = (
        f"行政诉讼方面，全{w}一审立案{c['litigation.filed']}件，一审结案{c['litigation.concluded']}件，"
        f"行政机关败诉{c['litigation.lost']}件，{_rate_sentence(b, 'loss_rate', '败诉率')}；"
        f"一审开庭{c['litigation.hearings']}件，行政机关负责人出庭应诉{c['litigation.head_appeared']}件，"
        f"{_rate_sentence(b, 'appearance_rate', '出庭应诉率')}。"
    )
    return [reconsideration, litigation]


def _heading(doc: Any, level: int, n: int, text: str) -> None:
    """A heading that moves to the next page with the text under it rather than stand alone at a page's foot."""
    official.add_heading(doc, level, n, text).paragraph_format.keep_with_next = True


def render_bulletin(
    region: Region,
    period: Period | str,
    *,
    cases: QuerySet[Case] | None = None,
    document_number: int | None = None,
    today: datetime.date | None = None,
) -> bytes:
    """The .docx of the 通报 (GB/T 9704: 版头, 标题, 主送, 正文 with its tables, 署名, 成文日期, 版记)."""
    b = build_bulletin(region, period, cases=cases, document_number=document_number, today=today)
    w = b.scope_word
    doc = official.new_document(title=b.title, author=b.issuer)
    official.add_issuer_mark(doc, b.issuer)
    official.add_document_number(doc, b.document_number)
    official.add_paragraph(doc)
    official.add_title(doc, b.title)
    official.add_paragraph(doc)
    official.add_addressee(doc, f"各县（市、区）依法治办，{w}直各部门")
    official.add_paragraph(
        doc,
        f"为全面掌握全{w}行政复议和行政诉讼案件情况，推动行政机关被纠错率、败诉率下降和负责人出庭应诉率上升，"
        f"现将{b.period.label}（{official.chinese_date(b.period.date_from)}至{official.chinese_date(b.period.date_to)}）"
        f"全{w}行政复议和行政诉讼案件情况通报如下。",
    )

    _heading(doc, 1, 1, "总体情况")
    for text in overall_paragraphs(b):
        official.add_paragraph(doc, text)

    _heading(doc, 1, 2, "各县（市、区）情况")
    official.add_paragraph(doc, f"各县（市、区）及{w}本级案件情况见表1（比率保留两位小数，分母为0的记为“—”）。")
    official.add_caption(doc, f"表1　{b.period.label}各县（市、区）案件情况")
    official.add_table(
        doc,
        [header for header, _ in TABLE_COLUMNS],
        [row.cells() for row in b.rows],
        groups=TABLE_GROUPS,
        widths=TABLE_WIDTHS,
        total=b.total.cells(),
        size=official.SMALL_TABLE_SIZE,
    )
    official.add_paragraph(doc)

    _heading(doc, 1, 3, "排名情况")
    _heading(doc, 2, 1, "行政机关败诉率（由低到高）")
    official.add_paragraph(doc, _ranking_text(b.loss_ranking, b.unranked_loss, "无一审结案"))
    _heading(doc, 2, 2, "行政机关负责人出庭应诉率（由高到低）")
    official.add_paragraph(doc, _ranking_text(b.appearance_ranking, b.unranked_appearance, "无一审开庭"))

    _heading(doc, 1, 4, "一审败诉的行政机关")
    if b.losing_agencies:
        lost = sum(n for _, _, n in b.losing_agencies)
        official.add_paragraph(doc, f"本期共有{len(b.losing_agencies)}个行政机关在一审中败诉，败诉{lost}件（见表2）。")
        official.add_caption(doc, "表2　一审败诉的行政机关")
        official.add_table(
            doc,
            list(AGENCY_HEADERS),
            [[str(i), name, county, str(n)] for i, (name, county, n) in enumerate(b.losing_agencies, start=1)],
            widths=[0.8, 4.0, 1.8, 1.6],
            left=frozenset({1}),
        )
        official.add_paragraph(doc)
    else:
        official.add_paragraph(doc, "本期没有行政机关在一审中败诉。")

    _heading(doc, 1, 5, "工作要求")
    threshold = f"{b.threshold:g}%"
    if b.over_threshold:
        listed = "、".join(f"{row.name}（{percent(row.rates['loss_rate'])}）" for row in b.over_threshold)
        official.add_paragraph(
            doc,
            f"本期败诉率超过{threshold}的有：{listed}。请上述县（市、区）认真分析败诉原因，"
            f"对已判决败诉的案件逐案落实领导包案化解，并将整改情况书面报送{w}依法治办。",
        )
    else:
        official.add_paragraph(doc, f"本期没有败诉率超过{threshold}的县（市、区）。")
    official.add_paragraph(
        doc,
        f"各县（市、区）、{w}直各部门要坚持每周“一清”，及时掌握本地本部门行政复议、行政诉讼案件和负责人出庭应诉情况，"
        "对可能被纠错、败诉的案件提前分析、主动协调化解，切实降低行政机关被纠错率、败诉率，提高负责人出庭应诉率。",
    )
    closing = official.add_paragraph(doc)
    signature = official.add_signature(doc, b.issuer, b.issued_on)
    official.keep_together([closing, *signature])
    official.add_imprint(doc, b.issuer, b.issued_on)
    return official.to_bytes(doc)
