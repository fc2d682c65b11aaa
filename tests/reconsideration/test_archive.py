"""The archive of a closed case file (issue 14 item 6): a zip whose first document is the 卷宗目录, then every
document in the catalogue's order under a numbered, safe Chinese name."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from fuyuan.documents import official
from fuyuan.reconsideration.archive import ArchiveEntry, archive_names, build_archive, describe_size, safe_stem

D = datetime.date
TITLE = "张三不服都匀市自然资源局行政处罚决定行政复议案"
# A PDF of two pages (its page tree names /Type /Pages once, which is not a page).
TWO_PAGES = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 2 >> endobj\n2 0 obj << /Type /Page >> endobj\n" + (
    b"3 0 obj << /Type/Page >> endobj\n%%EOF\n"
)


def word_file(text: str) -> bytes:
    doc = official.new_document(title=text)
    official.add_title(doc, text)
    return official.to_bytes(doc)


ENTRIES = [
    ArchiveEntry("行政复议申请书", D(2026, 11, 2), "申请书 扫描件.PDF", TWO_PAGES),
    ArchiveEntry("补正行政复议申请通知书", D(2026, 11, 4), "correction.docx", word_file("补正行政复议申请通知书")),
    ArchiveEntry("补正材料", D(2026, 11, 10), "身份证明.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 3000),
    ArchiveEntry("补正材料", D(2026, 11, 12), "处罚决定书", TWO_PAGES),
    ArchiveEntry('证据/照片:现场 "1"*?', D(2026, 11, 20), "photo.PNG", b"\x89PNG" + b"\0" * 20),
    ArchiveEntry("行政复议决定书", D(2026, 12, 1), "decision.docx", word_file("行政复议决定书")),
]
NAMES = [
    "01-行政复议申请书.pdf",
    "02-补正行政复议申请通知书.docx",
    "03-补正材料.jpg",
    "04-补正材料.pdf",
    "05-证据_照片_现场 _1___.png",
    "06-行政复议决定书.docx",
]


def open_zip(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    return archive


def catalogue_rows(archive: zipfile.ZipFile) -> list[list[str]]:
    document = docx.Document(io.BytesIO(archive.read(archive.namelist()[0])))
    (table,) = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_zip_opens_with_the_catalogue_first_then_every_document_in_order_under_its_numbered_name() -> None:
    with open_zip(build_archive(TITLE, ENTRIES, body="都匀市人民政府")) as archive:
        names = archive.namelist()
        assert names == ["00-卷宗目录.docx", *NAMES]
        for entry, name in zip(ENTRIES, NAMES, strict=True):
            assert archive.read(name) == entry.content
            assert archive.getinfo(name).date_time[:3] == (entry.date.year, entry.date.month, entry.date.day)
        # The names are stored as UTF-8 (the zip's language flag), so that Chinese names unpack as written.
        assert all(info.flag_bits & 0x800 for info in archive.infolist())


def test_the_catalogue_lists_every_document_with_its_number_date_pages_or_size_and_file_name() -> None:
    with open_zip(build_archive(TITLE, ENTRIES, body="都匀市人民政府")) as archive:
        rows = catalogue_rows(archive)
        lines = [p.text for p in docx.Document(io.BytesIO(archive.read("00-卷宗目录.docx"))).paragraphs if p.text]

    assert rows[0] == ["序号", "文书名称", "日期", "页数或大小", "文件名"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert [row[1] for row in rows[1:]] == [e.name for e in ENTRIES]
    assert [row[2] for row in rows[1:]] == [
        "2026年11月2日", "2026年11月4日", "2026年11月10日", "2026年11月12日", "2026年11月20日", "2026年12月1日",
    ]  # fmt: skip
    assert rows[1][3] == rows[4][3] == "2页"
    assert rows[3][3] == "2.9 KB"
    assert rows[5][3] == "24 B"
    assert [row[4] for row in rows[1:]] == NAMES
    assert lines[:2] == ["卷宗目录", TITLE]
    assert lines[-3:] == ["本卷共6件文书。", "立卷单位：都匀市人民政府", "立卷日期：2026年12月1日"]


def test_every_name_is_unique_and_safe_on_any_system() -> None:
    names = archive_names(ENTRIES)

    assert len(set(names)) == len(names)
    for name in names:
        assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name)
        assert name == name.strip(" .")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("行政复议申请书", "行政复议申请书"),
        ("  ..证据\t目录.. ", "证据 目录"),
        ("a/b\\c:d", "a_b_c_d"),
        ("...", "文书"),
        ("长" * 60, "长" * 40),
    ],
)
def test_a_document_name_becomes_a_safe_file_name(name: str, safe: str) -> None:
    assert safe_stem(name) == safe


def test_a_file_of_a_hundred_documents_is_numbered_with_three_digits_from_the_catalogue_000() -> None:
    entries = [(f"第{n}件", D(2026, 12, 1), "a.pdf", TWO_PAGES) for n in range(1, 101)]

    with open_zip(build_archive(TITLE, entries)) as archive:
        names = archive.namelist()
        assert names[:2] == ["000-卷宗目录.docx", "001-第1件.pdf"]
        assert names[-1] == "100-第100件.pdf"
        assert len(catalogue_rows(archive)) == 101


def test_the_compilation_date_is_the_latest_documents_unless_given() -> None:
    with open_zip(build_archive(TITLE, ENTRIES, compiled_on=D(2026, 12, 6))) as archive:
        text = "".join(p.text for p in docx.Document(io.BytesIO(archive.read("00-卷宗目录.docx"))).paragraphs)
    assert "立卷日期：2026年12月6日" in text
    assert "立卷单位" not in text


def test_an_empty_file_is_not_archived() -> None:
    with pytest.raises(ValueError, match="卷宗没有文书"):
        build_archive(TITLE, [])


def test_a_pdf_gives_its_pages_and_any_other_file_its_size() -> None:
    assert describe_size("a.pdf", TWO_PAGES) == "2页"
    assert describe_size("a.bin", b"x" * 2_500_000) == "2.4 MB"


def test_libreoffice_prints_the_catalogue_to_pdf(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    with open_zip(build_archive(TITLE, ENTRIES, body="都匀市人民政府")) as archive:
        source = tmp_path / "catalogue.docx"
        source.write_bytes(archive.read("00-卷宗目录.docx"))

    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip

    text = subprocess.run(
        ["pdftotext", str(tmp_path / "catalogue.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    assert "卷宗目录" in flat and "行政复议决定书" in flat and "本卷共6件文书" in flat
