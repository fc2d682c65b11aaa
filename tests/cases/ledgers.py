"""Building ledger workbooks for tests, with the SPEC §9 headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from fuyuan.cases.ledger import LITIGATION_COLUMNS, RECONSIDERATION_COLUMNS

LITIGATION_HEADERS = [c.header for c in LITIGATION_COLUMNS]
RECONSIDERATION_HEADERS = [c.header for c in RECONSIDERATION_COLUMNS]


def litigation_row(number: str, **cells: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "案号": number,
        "法院": "都匀市人民法院",
        "审级": "一审",
        "被告": "都匀市自然资源局",
        "被告所属地区": "都匀市",
        "立案日期": "2021-03-05",
    }
    row.update(cells)
    return row


def reconsideration_row(number: str, **cells: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "案号": number,
        "复议机构": "黔南州司法局",
        "被申请人": "福泉市公安局",
        "被申请人所属地区": "福泉市",
        "收案日期": "2021-02-01",
        "受理情况": "受理",
    }
    row.update(cells)
    return row


def write_workbook(
    path: Path,
    litigation: list[dict[str, Any]] | None = None,
    reconsideration: list[dict[str, Any]] | None = None,
    *,
    litigation_headers: list[str] | None = None,
) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for name, rows, headers in (
        ("行政诉讼", litigation, litigation_headers or LITIGATION_HEADERS),
        ("行政复议", reconsideration, RECONSIDERATION_HEADERS),
    ):
        if rows is None:
            continue
        sheet = workbook.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path
