"""The 通报's workbook read back with openpyxl: the four sheets, their headers, and the same numbers as the .docx
and ``fuyuan stats``."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from fuyuan.documents.bulletin_xlsx import render_bulletin_xlsx
from tests.documents.bulletin_data import november_2026
from tests.factories import World


def _workbook(world: World):  # type: ignore[no-untyped-def]
    november_2026(world)
    content = render_bulletin_xlsx(world.regions["黔南州"], "2026-11", today=datetime.date(2026, 12, 1))
    return load_workbook(io.BytesIO(content))


def _values(sheet) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_the_four_sheets_with_bold_headers(world: World) -> None:
    workbook = _workbook(world)

    assert workbook.sheetnames == ["汇总", "分县统计", "排名", "败诉机关"]
    counties = workbook["分县统计"]
    assert [c.value for c in counties[1]] == [
        "县（市、区）", "收案", "受理", "办结", "纠错", "纠错率（%）",
        "一审结案", "败诉", "败诉率（%）", "开庭", "出庭", "出庭率（%）",
    ]  # fmt: skip
    assert all(cell.font.bold for cell in counties[1])


def test_the_sheets_carry_the_same_numbers_as_the_bulletin(world: World) -> None:
    workbook = _workbook(world)

    counties = _values(workbook["分县统计"])
    assert counties[1:] == [
        ["黔南州本级", 0, 0, 0, 0, None, 1, 1, 100.0, 0, 0, None],
        ["都匀市", 3, 3, 3, 1, 33.33, 4, 1, 25.0, 4, 3, 75.0],
        ["福泉市", 0, 0, 0, 0, None, 3, 2, 66.67, 2, 2, 100.0],
        ["合计", 3, 3, 3, 1, 33.33, 8, 4, 50.0, 6, 5, 83.33],
    ]
    summary = {row[0]: row[1:] for row in _values(workbook["汇总"]) if row and row[0]}
    assert summary["败诉率（%）"][:2] == [50.0, "同比下降50.00个百分点"]
    assert summary["一审结案（件）"][0] == 8


def test_the_ranking_and_the_losing_agencies_are_in_order(world: World) -> None:
    workbook = _workbook(world)

    ranking = _values(workbook["排名"])[1:]
    assert [(r[1], r[2], r[3]) for r in ranking if r[0].startswith("败诉率")] == [
        (1, "都匀市", 25.0),
        (2, "福泉市", 66.67),
        (3, "黔南州本级", 100.0),
    ]
    assert [(r[1], r[2]) for r in ranking if r[0].startswith("负责人")] == [
        (1, "福泉市"),
        (2, "都匀市"),
        (None, "黔南州本级"),
    ]
    assert _values(workbook["败诉机关"])[1:] == [
        [1, "福泉市公安局", "福泉市", 2],
        [2, "都匀市自然资源局", "都匀市", 1],
        [3, "黔南州人力资源和社会保障局", "黔南州", 1],
    ]
