"""The text of an uploaded judgment: .docx through python-docx (paragraphs and table cells, in order), .pdf through
pypdf (pure Python, maintained, no native dependency; on the measured judgments it read the same Chinese text as
pdfminer.six several times faster — see the report of issue 18). A file that is neither, or yields no text (a
scanned PDF without a text layer), is refused with a reason: nothing is stored."""

from __future__ import annotations

import io
import zipfile

from fuyuan.similar.models import JudgmentFormat

MAX_BYTES = 20 * 1024 * 1024


class UnreadableJudgment(ValueError):
    """The file could not be read as a judgment; the message says why, in Chinese."""


def format_of(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".docx"):
        return JudgmentFormat.DOCX
    if name.endswith(".pdf"):
        return JudgmentFormat.PDF
    raise UnreadableJudgment(f"文件“{filename}”不是 .docx 或 .pdf 格式")


def extract_text(filename: str, content: bytes) -> tuple[str, str]:
    """(format, text) of an uploaded judgment."""
    file_format = format_of(filename)
    if len(content) > MAX_BYTES:
        raise UnreadableJudgment(f"文件“{filename}”超过 20MB")
    try:
        text = _docx_text(content) if file_format == JudgmentFormat.DOCX else _pdf_text(content)
    except UnreadableJudgment:
        raise
    except Exception:
        raise UnreadableJudgment(f"无法读取文件“{filename}”：文件已损坏或格式不符") from None
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if not text:
        raise UnreadableJudgment(f"文件“{filename}”中没有可提取的文字（扫描件请先进行文字识别）")
    return file_format, text


def _docx_text(content: bytes) -> str:
    import docx

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UnreadableJudgment("文件不是有效的 Word（.docx）文档")
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
