"""The monthly dispatch table (月度调度表, SPEC §7) as a .docx in the official layout (GB/T 9704-2012: title in
方正小标宋 2号, body in 仿宋 3号, via ``documents.official``) and as an .xlsx with the same rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from fuyuan.cases.ledger import HEADER_FONT
from fuyuan.documents import official
from fuyuan.packaging.dispatch import HEADERS, DispatchTable

WIDTHS = [0.5, 0.9, 1.0, 2.0, 2.0, 1.1, 2.6, 0.9, 1.1]
XLSX_WIDTHS = [6, 10, 12, 30, 30, 12, 45, 12, 24]


def dispatch_docx(table: DispatchTable, *, issuer: str) -> bytes:
    doc = official.new_document(title=table.title, author=issuer)
    official.add_title(doc, table.title)
    official.add_paragraph(doc)
    official.add_paragraph(
        doc,
        f"截至{official.chinese_date(table.as_of)}，领导包案共{len(table.rows)}件，其中落后{table.lagging}件。"
        "对落后的包案，依法治办采取电话提醒、约谈等措施督促落实。",
    )
    rows = [row.cells(n) for n, row in enumerate(table.rows, start=1)]
    official.add_table(doc, HEADERS, rows, widths=WIDTHS, left=frozenset({3, 4, 6}), size=official.SMALL_TABLE_SIZE)
    official.add_paragraph(doc)
    official.add_signature(doc, issuer, table.as_of)
    return official.to_bytes(doc)


def dispatch_xlsx(table: DispatchTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "按月调度表"
    sheet.append(HEADERS)
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.cell(1, index).font = HEADER_FONT
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, row in enumerate(table.rows, start=1):
        values: list[object] = list(row.cells(n))
        values[0], values[5] = n, row.due_on
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
        sheet.cell(sheet.max_row, 6).number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
