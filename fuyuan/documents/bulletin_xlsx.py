"""The 通报's tables as a workbook (issue 5): sheets 汇总, 分县统计, 排名 and 败诉机关 with the same numbers as the
.docx (both are written from one ``bulletin.Bulletin``), the header row styled like the case ledger's."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from fuyuan.cases.ledger import HEADER_FONT
from fuyuan.documents.bulletin import (
    AGENCY_HEADERS,
    RANKING_HEADERS,
    TABLE_COLUMNS,
    Bulletin,
    Ranked,
    Row,
    build_bulletin,
    change_text,
)
from fuyuan.stats import figures as fig
from fuyuan.stats.models import BenchmarkScope

SUMMARY_HEADERS = ("项目", "本期", "上年同期比较", *(scope.label for scope in BenchmarkScope))
# The summary's lines: (label, measure or rate name).
SUMMARY_LINES = (
    ("行政复议收案（件）", "reconsideration.received"),
    ("受理（件）", "reconsideration.accepted"),
    ("不予受理（件）", "reconsideration.rejected"),
    ("办结（件）", "reconsideration.concluded"),
    ("被纠错（件）", "reconsideration.corrected"),
    ("被纠错率（%）", "correction_rate"),
    ("一审立案（件）", "litigation.filed"),
    ("一审结案（件）", "litigation.concluded"),
    ("败诉（件）", "litigation.lost"),
    ("败诉率（%）", "loss_rate"),
    ("一审开庭（件）", "litigation.hearings"),
    ("负责人出庭应诉（件）", "litigation.head_appeared"),
    ("出庭应诉率（%）", "appearance_rate"),
)
RATE_NAMES = {name for name, *_ in fig.RATES}
# Numerator and denominator of each ranked rate, for the ranking sheet.
RATE_PARTS = {name: (numerator, denominator) for name, numerator, denominator, _ in fig.RATES}


def _sheet(workbook: Workbook, title: str, headers: tuple[str, ...] | list[str], widths: list[int]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for cell, width in zip(sheet[1], widths, strict=False):
        cell.font = HEADER_FONT
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _value(row: Row, key: str) -> Any:
    """A count as a number, a rate as a number of percent (None, an empty cell, when the denominator is 0)."""
    return row.rates[key] if key in RATE_NAMES else row.counts[key]


def write_bulletin_xlsx(b: Bulletin) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])

    summary = _sheet(workbook, "汇总", SUMMARY_HEADERS, [22, 12, 26, 12, 12])
    for label, key in SUMMARY_LINES:
        line: list[Any] = [label, _value(b.total, key)]
        if key in RATE_NAMES:
            entered = b.benchmarks.get(key, {})
            line.append(change_text(b.change[key]))
            line += [float(entered[s.value].value) if s.value in entered else None for s in BenchmarkScope]
        summary.append(line)
    summary.append([])
    summary.append(["地区", b.region.name])
    summary.append(["期间", f"{b.period.label}（{b.period.date_from} 至 {b.period.date_to}）"])
    summary.append(["发文机关", b.issuer])
    summary.append(["成文日期", b.issued_on])

    counties = _sheet(workbook, "分县统计", [h for h, _ in TABLE_COLUMNS], [16] + [11] * (len(TABLE_COLUMNS) - 1))
    for row in [*b.rows, b.total]:
        counties.append([row.name, *(_value(row, key) for _, key in TABLE_COLUMNS[1:])])
    for cell in counties[counties.max_row]:
        cell.font = HEADER_FONT

    ranking = _sheet(workbook, "排名", ("排名项目", *RANKING_HEADERS), [26, 8, 16, 12, 12, 12])

    def ranked(label: str, rate: str, items: list[Ranked], unranked: list[Row]) -> None:
        numerator, denominator = RATE_PARTS[rate]
        for item in items:
            counts = item.row.counts
            ranking.append([label, item.place, item.row.name, item.rate, counts[numerator], counts[denominator]])
        for row in unranked:
            ranking.append([label, None, row.name, None, row.counts[numerator], row.counts[denominator]])

    ranked("败诉率（由低到高）", "loss_rate", b.loss_ranking, b.unranked_loss)
    ranked("负责人出庭应诉率（由高到低）", "appearance_rate", b.appearance_ranking, b.unranked_appearance)

    agencies = _sheet(workbook, "败诉机关", AGENCY_HEADERS, [8, 36, 14, 16])
    for i, (name, county, lost) in enumerate(b.losing_agencies, start=1):
        agencies.append([i, name, county, lost])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_bulletin_xlsx(region: Any, period: Any, **kwargs: Any) -> bytes:
    """The workbook of the 通报 of ``region`` for ``period`` (same arguments as ``bulletin.render_bulletin``)."""
    return write_bulletin_xlsx(build_bulletin(region, period, **kwargs))
