"""The 典型案例汇编 .docx (SPEC §7: Word in the official layout of GB/T 9704, ``documents.official``): the title, a
目录-like list of the cases, then each case under its 一、 heading (黑体) with 【基本案情】【败诉原因/争议焦点】
【法院点评】【启示】 in the body type (仿宋 三号), and the issuer's signature with the date of issue."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from fuyuan.accountability.models import Compilation, TypicalCase
from fuyuan.documents import official
from fuyuan.documents.bulletin import issuer_of

NO_COMMENT = "（法院未作点评）"


def cause_label(item: TypicalCase) -> str:
    """A lost case teaches by why it was lost; a won one by what was disputed."""
    from fuyuan.accountability.typical import is_loss

    return "败诉原因" if is_loss(item.case) else "争议焦点"


def _section(doc: Document, label: str, text: str) -> None:
    """The section's label in bold on the first line of its text; each further line a paragraph of its own."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()] or [""]
    first = official.add_paragraph(doc, f"【{label}】")
    official.set_font(first.runs[0], official.BODY_FONT, official.BODY_SIZE, bold=True)
    official.set_font(first.add_run(lines[0]), official.BODY_FONT, official.BODY_SIZE)
    for line in lines[1:]:
        official.add_paragraph(doc, line)


def render_compilation(compilation: Compilation, items: Sequence[TypicalCase], *, issued_on: datetime.date) -> bytes:
    issuer = issuer_of(compilation.region)
    doc = official.new_document(title=compilation.title, author=issuer)
    official.add_title(doc, compilation.title)
    official.add_paragraph(doc)
    official.add_paragraph(doc, "目　录", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    for n, item in enumerate(items, start=1):
        official.add_paragraph(doc, official.heading_number(1, n) + item.title)
    official.add_paragraph(doc)
    for n, item in enumerate(items, start=1):
        official.add_heading(doc, 1, n, item.title).paragraph_format.keep_with_next = True
        _section(doc, "基本案情", item.summary)
        _section(doc, cause_label(item), item.cause)
        _section(doc, "法院点评", item.comment or NO_COMMENT)
        _section(doc, "启示", item.lesson)
    closing = official.add_paragraph(doc)
    official.keep_together([closing, *official.add_signature(doc, issuer, issued_on)])
    return official.to_bytes(doc)
