"""The one-click archive of a closed reconsideration case (issue 14 item 6): a zip of the whole case file, its
卷宗目录 (catalogue) first, then every document in the catalogue's order under a numbered name a clerk can read on
any system (``01-行政复议申请书.pdf``).

Pure: the workflow gathers the entries (name, date, file name, content) in the order of the file; nothing here
reads the database.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from docx.enum.text import WD_ALIGN_PARAGRAPH

from fuyuan.documents import official

CATALOGUE = "卷宗目录"
CATALOGUE_HEADERS = ["序号", "文书名称", "日期", "页数或大小", "文件名"]
# Relative column widths: a date such as "2026年11月10日" and the header "页数或大小" stay on one line in 5号 type.
CATALOGUE_WIDTHS = [0.9, 3.1, 3.1, 1.8, 3.6]
# Characters Windows refuses in a file name (and "/" that a zip reads as a folder), control characters included.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Long names are cut so that the archive unpacks inside the 260-character paths of Windows.
MAX_STEM = 40
# 1 KB = 1024 bytes, as a file manager shows sizes.
KB = 1024
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


class ArchiveEntry(NamedTuple):
    """One document of the case file: its name in the catalogue, its date, its file name (for the extension) and
    its content. A plain tuple ``(name, date, filename, content)`` does as well."""

    name: str
    date: datetime.date
    filename: str
    content: bytes


def safe_stem(name: str) -> str:
    """``name`` as a file name on Windows, macOS and Linux: no separators or reserved characters, no control
    characters, no leading or trailing dots and spaces, at most ``MAX_STEM`` characters; Chinese kept as it is."""
    text = unicodedata.normalize("NFC", name)
    text = re.sub(r"\s+", " ", text)
    text = _UNSAFE.sub("_", text).strip(" .")
    return text[:MAX_STEM].rstrip(" .") or "文书"


def extension(filename: str, content: bytes) -> str:
    """The file's extension, lower-case (``.pdf``), from its name, or from its content when the name has none."""
    match = re.search(r"\.([A-Za-z0-9]{1,8})$", filename.strip())
    if match:
        return "." + match[1].lower()
    if content.startswith(b"%PDF"):
        return ".pdf"
    return ".bin"


def archive_names(entries: Sequence[ArchiveEntry]) -> list[str]:
    """The names of the entries in the zip, numbered in order from 01 (the catalogue is 00): unique by their
    number, however the documents are named."""
    width = max(2, len(str(len(entries))))
    return [
        f"{n:0{width}d}-{safe_stem(e.name)}{extension(e.filename, e.content)}" for n, e in enumerate(entries, start=1)
    ]


def describe_size(filename: str, content: bytes) -> str:
    """The pages of a PDF ("3页"), or the size of any other file ("12.5 KB")."""
    if content.startswith(b"%PDF"):
        pages = len(_PDF_PAGE.findall(content))
        if pages:
            return f"{pages}页"
    size = len(content)
    if size < KB:
        return f"{size} B"
    if size < KB * KB:
        return f"{size / KB:.1f} KB"
    return f"{size / KB / KB:.1f} MB"


def render_catalogue(
    title: str,
    entries: Sequence[ArchiveEntry],
    names: Sequence[str],
    *,
    body: str = "",
    compiled_on: datetime.date,
) -> bytes:
    """The .docx of the 卷宗目录 in the official layout: the case's title, a table of number, document name, date,
    pages or size and file name, the count, and who compiled it when."""
    doc = official.new_document(title=f"{CATALOGUE}（{title}）", author=body)
    official.add_title(doc, CATALOGUE)
    official.add_paragraph(doc, title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    official.add_paragraph(doc)
    rows = [
        [str(n), e.name, official.chinese_date(e.date), describe_size(e.filename, e.content), name]
        for n, (e, name) in enumerate(zip(entries, names, strict=True), start=1)
    ]
    official.add_table(doc, CATALOGUE_HEADERS, rows, widths=CATALOGUE_WIDTHS, left=frozenset({1, 4}))
    official.add_paragraph(doc)
    official.add_paragraph(doc, f"本卷共{len(entries)}件文书。")
    if body:
        official.add_paragraph(doc, f"立卷单位：{body}")
    official.add_paragraph(doc, f"立卷日期：{official.chinese_date(compiled_on)}")
    return official.to_bytes(doc)


def _member(name: str, day: datetime.date) -> zipfile.ZipInfo:
    # The member carries the document's own date (a zip's dates start in 1980), not the moment of archiving.
    info = zipfile.ZipInfo(name, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_archive(
    title: str,
    entries: Iterable[ArchiveEntry | tuple[str, datetime.date, str, bytes]],
    *,
    body: str = "",
    compiled_on: datetime.date | None = None,
) -> bytes:
    """The zip of the case file: ``00-卷宗目录.docx`` listing every entry, then the entries in the same order under
    ``archive_names``. ``compiled_on`` defaults to the latest entry's date. Names are stored in UTF-8 (the zip's
    language flag), which the unzip tools of Windows 10+, macOS and Linux read."""
    items = [ArchiveEntry(*entry) for entry in entries]
    if not items:
        raise ValueError("卷宗没有文书，不能归档")
    day = compiled_on or max(e.date for e in items)
    names = archive_names(items)
    catalogue = render_catalogue(title, items, names, body=body, compiled_on=day)
    width = len(names[0].split("-", 1)[0])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_member(f"{0:0{width}d}-{CATALOGUE}.docx", day), catalogue)
        for entry, name in zip(items, names, strict=True):
            archive.writestr(_member(name, entry.date), entry.content)
    return buffer.getvalue()
