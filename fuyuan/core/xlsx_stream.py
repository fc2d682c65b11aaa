"""An Excel workbook written as it is sent: the bytes of a long export leave while its rows are still being read.

openpyxl's write-only mode keeps memory flat but gives the first byte only when the last row is written
(``Workbook.save`` zips at the end), so a 20,000-case export kept the person waiting with nothing arriving and a
province's export could outlast a proxy's timeout. Here each sheet is one deflated member of a zip written to an
unseekable stream (``zipfile`` then writes data descriptors instead of seeking back), and its XML is produced
row by row: what is compressed is yielded at once. Cells are inline strings, numbers, booleans and dates (a date
style), which is what the exports hold; the workbook opens in Excel, WPS, LibreOffice and openpyxl.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone
from openpyxl.utils import get_column_letter

# Rows gathered before they are handed to the compressor: large enough to compress well, small enough to flow.
ROWS_PER_WRITE = 200
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot carry (openpyxl refuses them with IllegalCharacterError); a pasted control character
# must not break the whole export.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Cell styles (cellXfs in styles.xml): 0 plain, 1 date, 2 date and time, 3 bold (header row).
DATE_STYLE, DATETIME_STYLE, HEADER_STYLE = 1, 2, 3
STYLES = f"""{XML_HEAD}<styleSheet xmlns="{MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


class _Pipe(io.RawIOBase):
    """Where the zip writes: kept until the generator hands it on. Not seekable, so ``zipfile`` streams."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return ""
    styled = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{styled}><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        delta = value - datetime.datetime.combine(EXCEL_EPOCH, datetime.time())
        return f'<c r="{ref}" s="{DATETIME_STYLE}"><v>{delta.total_seconds() / 86400:.8f}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    text = escape(ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, values: Sequence[Any], letters: list[str], style: int) -> str:
    while len(letters) < len(values):
        letters.append(get_column_letter(len(letters) + 1))
    cells = "".join(_cell(f"{letters[i]}{number}", v, style) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def stream_workbook(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]], *, header: bool = True) -> Iterator[bytes]:
    """The .xlsx of ``sheets`` (name, rows) in pieces, each sheet's rows read only as it is written. With
    ``header`` the first row of each sheet is bold."""
    pipe = _Pipe()
    names = [name for name, _rows in sheets]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        listed = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{listed}</sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{XML_HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{links}'
            f'<Relationship Id="rId{len(names) + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", STYLES)
        yield pipe.drain()
        for i, (_name, rows) in enumerate(sheets, 1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as member:
                member.write(f'{XML_HEAD}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
                letters: list[str] = []
                batch: list[str] = []
                for number, values in enumerate(rows, 1):
                    batch.append(_row(number, values, letters, HEADER_STYLE if header and number == 1 else 0))
                    if len(batch) == ROWS_PER_WRITE:
                        member.write("".join(batch).encode())
                        batch.clear()
                        if data := pipe.drain():
                            yield data
                member.write(("".join(batch) + "</sheetData></worksheet>").encode())
            yield pipe.drain()
    yield pipe.drain()
