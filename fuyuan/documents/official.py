"""The official document layout of GB/T 9704-2012 《党政机关公文格式》 for the Word files Fuyuan writes (SPEC §7).

Every number below comes from that standard and names its clause. Type sizes are given in the Chinese 号 system,
which the standard uses and does not define: 二号 = 22 pt, 三号 = 16 pt, 四号 = 14 pt.

Chinese type only takes in Word when the East Asian font is named in ``w:rFonts/@w:eastAsia`` (Word picks the font
of each character by its script) and no theme font is named beside it (a ``*Theme`` attribute wins over the
explicit name): ``set_font`` does both, on every run and on the document's defaults.

Use: ``doc = new_document()``, then ``add_title``, ``add_heading``, ``add_paragraph``…, then ``to_bytes(doc)``.
"""

from __future__ import annotations

import datetime
import io
import math

from docx import Document as open_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# 5.1 幅面尺寸: A4 (GB/T 148), 210 mm × 297 mm.
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
# 5.2.1 页边与版心尺寸: 天头 (top) 37 mm ± 1 mm, 订口 (left, the binding side) 28 mm ± 1 mm, 版心 (the text block)
# 156 mm × 225 mm; the bottom and right margins follow: 297 − 37 − 225 = 35 mm, 210 − 28 − 156 = 26 mm.
MARGIN_TOP = Mm(37)
MARGIN_LEFT = Mm(28)
TEXT_WIDTH = Mm(156)
TEXT_HEIGHT = Mm(225)
MARGIN_BOTTOM = Mm(297 - 37 - 225)
MARGIN_RIGHT = Mm(210 - 28 - 156)
# 5.2.3 行数和字数: 22 lines a page, 28 characters a line, filling the text block.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# 225 mm / 22 lines = 28.99 pt a line: the pitch, rounded down to whole twips so that 22 lines always fit, is
# 579 twips = 28.95 pt, the "固定值 28.95 磅" line spacing of 公文 templates.
LINE_PITCH = Twips(int(TEXT_HEIGHT.emu / 635 / LINES_PER_PAGE))

# 5.2.2 字体和字号 and 7.3.3 正文: the body in 3号 仿宋 (仿宋_GB2312 is the face government offices have installed).
BODY_FONT = "仿宋_GB2312"
BODY_SIZE = Pt(16)
# 156 mm / 28 characters = 15.79 pt a character, 0.21 pt narrower than 3号 (16 pt) type: the characters are set
# closer by that much, rounded up to whole twentieths of a point (w:spacing's unit) so that 28 always fit:
# −5 = −0.25 pt, 28 × 15.75 pt = 441 pt on the 442.2 pt line.
CHAR_SPACING = Twips(math.floor((TEXT_WIDTH.pt / CHARS_PER_LINE - BODY_SIZE.pt) * 20))
# 7.3.1 标题: 2号 小标宋体 (方正小标宋简体), centred, over one or more lines.
TITLE_FONT = "方正小标宋简体"
TITLE_SIZE = Pt(22)
# 7.3.3 正文: 结构层次序数 "一、" "（一）" "1." "（1）"; the first level in 黑体, the second in 楷体, the third and
# fourth in 仿宋.
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
# 7.3.3 正文: 每个自然段左空二字，回行顶格 — each paragraph's first line is indented by two characters.
PARAGRAPH_INDENT_CHARS = 2
# 7.3.5.1 加盖印章的公文: 成文日期一般右空四字编排 — the date stands four characters in from the right.
DATE_RIGHT_INDENT_CHARS = 4
# 7.5 页码: 4号 半角宋体 Arabic numerals with an 一字线 (an em dash, "—") on either side, below the text block, the
# line's top 7 mm under it; odd pages on the right, one character in (单页码居右空一字), even pages on the left, one
# character in (双页码居左空一字).
PAGE_NUMBER_FONT = "宋体"
PAGE_NUMBER_SIZE = Pt(14)
PAGE_NUMBER_GAP = Mm(7)
# 3.1 字: one 字 is the width of one Chinese character (of the size in use).
ONE_CHAR = BODY_SIZE

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# The order of a run's properties in ``w:rPr`` (ECMA-376 Part 1, 17.3.2.28 CT_RPr): Word refuses a file whose
# elements are out of this order.
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position",
    "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
    "eastAsianLayout", "specVanish", "oMath",
)  # fmt: skip


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九: the 序数 of 7.3.3 (一、二、…)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(f"序数超出范围：{n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return digits[units]
    return f"{'' if tens == 1 else digits[tens]}十{digits[units] if units else ''}"


def heading_number(level: int, n: int) -> str:
    """The 结构层次序数 of 7.3.3 for the ``n``-th item at ``level``: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"层次超出范围：{level}")


def chinese_date(day: datetime.date) -> str:
    """2026年12月1日 — 7.3.5.4 成文日期中的数字: Arabic numerals, the year in full, no leading zero (1 不编为 01)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _child(rpr: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The ``w:{tag}`` child of ``rpr``, added in its place in the schema's order if missing."""
    element = rpr.find(qn(f"w:{tag}"))
    if element is not None:
        return element
    element = OxmlElement(f"w:{tag}")
    later = {qn(f"w:{t}") for t in _RPR_ORDER[_RPR_ORDER.index(tag) + 1 :]}
    for index, sibling in enumerate(rpr):
        if sibling.tag in later:
            rpr.insert(index, element)
            return element
    rpr.append(element)
    return element


def _set_fonts(rpr: BaseOxmlElement, name: str) -> None:
    rfonts = _child(rpr, "rFonts")
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), name)


def _set_size(rpr: BaseOxmlElement, size: Length) -> None:
    half_points = str(round(size.pt * 2))
    for tag in ("sz", "szCs"):
        _child(rpr, tag).set(qn("w:val"), half_points)


def _set_spacing(rpr: BaseOxmlElement, spacing: Length) -> None:
    _child(rpr, "spacing").set(qn("w:val"), str(round(spacing.twips)))


def set_font(run: Run, name: str, size: Length, *, bold: bool = False) -> Run:
    """Give ``run`` the face ``name`` for every script (East Asian included) and the size ``size``; runs of other
    sizes than the body's keep the natural spacing of their type."""
    run.font.size = size
    run.font.bold = bold or None
    _set_fonts(run._element.get_or_add_rPr(), name)
    if size != BODY_SIZE:
        _set_spacing(run._element.get_or_add_rPr(), Twips(0))
    return run


def _exact_lines(paragraph: Paragraph, pitch: Length = LINE_PITCH) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _indent_chars(paragraph: Paragraph, *, first_line: float = 0, right: float = 0) -> None:
    """Indent in characters (Word's ``w:firstLineChars``/``w:rightChars``, in hundredths of a character, which
    follow the character grid), with the length in points beside it for readers that ignore the former."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    if first_line:
        ind.set(qn("w:firstLine"), str(round(ONE_CHAR.twips * first_line)))
        ind.set(qn("w:firstLineChars"), str(round(first_line * 100)))
    if right:
        ind.set(qn("w:right"), str(round(ONE_CHAR.twips * right)))
        ind.set(qn("w:rightChars"), str(round(right * 100)))


def _page_field(paragraph: Paragraph) -> Run:
    """A PAGE field (the page's own number) in a run of its own."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    return run


def _page_number(paragraph: Paragraph, *, odd: bool) -> None:
    """— 1 —, per 7.5: outside (right on odd pages, left on even ones), one character in from the edge."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    _exact_lines(paragraph, PAGE_NUMBER_SIZE)
    if odd:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    set_font(_page_field(paragraph), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _defaults(doc: Document) -> None:
    """Body type, exact line pitch and Chinese as the East Asian language for the whole document, so that text
    added without a run of its own still follows 5.2.2."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    _set_size(rpr, BODY_SIZE)
    _set_spacing(rpr, CHAR_SPACING)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    _set_spacing(normal.element.get_or_add_rPr(), CHAR_SPACING)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # Widow and orphan control would move lines to the next page and break the 22-line page of 5.2.3.
    fmt.widow_control = False
    pdefault = defaults.find(qn("w:pPrDefault"))
    if pdefault is not None:
        defaults.remove(pdefault)


def _grid(doc: Document) -> None:
    """Word's line grid (文档网格) at the pitch of 22 lines a page (5.2.3). The 28 characters a line come from
    ``CHAR_SPACING``, not from a character grid: LibreOffice lays a 16 pt character that is wider than the grid's
    cell over two cells, which spreads the text over twice the width."""
    sect_pr = doc.sections[0]._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
    grid.attrib.pop(qn("w:charSpace"), None)


def new_document(*, title: str = "", author: str = "") -> Document:
    """An empty A4 document in the layout of GB/T 9704-2012: margins, text block, grid, body type, page numbers."""
    doc = open_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    # 7.5: the page-number line (one exact 4号 line) starts 7 mm under the text block; Word measures the footer
    # from the bottom edge of the page to the bottom of that line.
    section.footer_distance = Length(MARGIN_BOTTOM - PAGE_NUMBER_GAP - PAGE_NUMBER_SIZE)
    _defaults(doc)
    _grid(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    props.revision = 1
    props.comments = props.subject = props.keywords = props.category = ""
    return doc


def add_title(doc: Document, text: str) -> Paragraph:
    """The title (7.3.1): 2号 方正小标宋简体, centred."""
    paragraph = doc.add_paragraph()
    _exact_lines(paragraph)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)
    return paragraph


def add_paragraph(
    doc: Document, text: str = "", *, indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None
) -> Paragraph:
    """A body paragraph (7.3.3): 3号 仿宋, first line two characters in unless ``indent`` is False; an empty
    ``text`` gives an empty line of the grid."""
    paragraph = doc.add_paragraph()
    _exact_lines(paragraph)
    if align is not None:
        paragraph.paragraph_format.alignment = align
    if indent and text:
        _indent_chars(paragraph, first_line=PARAGRAPH_INDENT_CHARS)
    if text:
        set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    return paragraph


def add_heading(doc: Document, level: int, n: int, text: str) -> Paragraph:
    """A structural heading (7.3.3): its 序数 (``heading_number``) and text in the level's face, two characters in."""
    paragraph = doc.add_paragraph()
    _exact_lines(paragraph)
    _indent_chars(paragraph, first_line=PARAGRAPH_INDENT_CHARS)
    set_font(paragraph.add_run(heading_number(level, n) + text), HEADING_FONTS[level], BODY_SIZE)
    return paragraph


def add_date(doc: Document, day: datetime.date) -> Paragraph:
    """The date line (7.3.5.1, 7.3.5.4): right-aligned, four characters in from the right."""
    paragraph = add_paragraph(doc, chinese_date(day), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _indent_chars(paragraph, right=DATE_RIGHT_INDENT_CHARS)
    return paragraph


def add_two_columns(doc: Document, left: str, right: str) -> Paragraph:
    """One line with ``left`` at the left edge and ``right`` from the middle of the text block (signature lines)."""
    paragraph = doc.add_paragraph()
    _exact_lines(paragraph)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Length(TEXT_WIDTH // 2))
    set_font(paragraph.add_run(f"{left}\t{right}"), BODY_FONT, BODY_SIZE)
    return paragraph


def keep_together(paragraphs: list[Paragraph]) -> None:
    """Keep ``paragraphs`` on one page: a signature block moves with the last lines of the text above it, so that
    no page carries signatures and a date alone (7.3.5.5 特殊情况说明: when the space left cannot hold the seal and
    the date, the layout of the text is adjusted instead)."""
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True


# The media type a generated .docx is served with.
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- 版头, 主送, 署名, 版记 and tables, for documents sent out by an office (通报) ---

# 7.2.4 发文机关标志: 推荐使用小标宋体字，颜色为红色; centred, its top edge 35 mm below the top of the text block.
ISSUER_COLOUR = "C00000"
ISSUER_TOP_GAP = Mm(35)
# 7.2.4: the mark's size is left to the issuer "以醒目、美观、庄重为原则"; it is set as large as fits on one line of the
# text block, never above 初号 (42 pt).
ISSUER_MAX_SIZE = Pt(42)
# 7.2.7 版头中的分隔线: 发文字号之下 4 mm 处居中印一条与版心等宽的红色分隔线.
SEPARATOR_GAP = Mm(4)
# 7.4.1 版记中的分隔线: 首条和末条用粗线（推荐高度 0.35 mm），中间的用细线（推荐高度 0.25 mm）; w:sz is in eighths
# of a point: 0.35 mm = 0.99 pt → 8, 0.25 mm = 0.71 pt → 6.
IMPRINT_THICK_LINE = 8
IMPRINT_THIN_LINE = 6
# 7.4.2/7.4.3: the 版记's elements in 4号 仿宋, one character in from either side.
IMPRINT_SIZE = Pt(14)
# Tables of figures inside the body: GB/T 9704 sets no size for a table's text (clause 10 only places the page
# number of a landscape table); 5号 (10.5 pt) 仿宋 for a few columns, 小五 (9 pt) for a dozen columns of figures
# such as "100.00" in the 156 mm text block. Cells keep 1 mm of margin left and right.
TABLE_SIZE = Pt(10.5)
SMALL_TABLE_SIZE = Pt(9)
TABLE_CELL_MARGIN = Mm(1)
# 7.3.5.2/7.3.5.1: the signature centred over the date; at least two characters in from the right.
SIGNATURE_MIN_RIGHT_CHARS = 2


def _text_width_chars(text: str) -> float:
    """The width of ``text`` in characters of its size: Chinese characters are one, digits and Latin half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def add_issuer_mark(doc: Document, issuer: str) -> Paragraph:
    """发文机关标志 (7.2.4): the issuer's name in red 小标宋, centred, 35 mm below the top of the text block."""
    paragraph = doc.add_paragraph()
    size = Pt(min(ISSUER_MAX_SIZE.pt, math.floor(TEXT_WIDTH.pt / (len(issuer) + 1))))
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size.pt * 1.3)
    fmt.space_before = ISSUER_TOP_GAP
    fmt.space_after = Pt(0)
    run = set_font(paragraph.add_run(issuer), TITLE_FONT, size)
    run.font.color.rgb = RGBColor.from_string(ISSUER_COLOUR)
    return paragraph


def _border(paragraph: Paragraph, side: str, size: int, colour: str, space: int = 0) -> None:
    """A line along ``side`` (top/bottom) of ``paragraph``, the width of the text block."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # CT_PPrBase: pBdr comes after keepNext … numPr and before shd, tabs, spacing, ind, jc.
        anchor = next(
            (
                ppr.find(qn(f"w:{t}"))
                for t in ("shd", "tabs", "spacing", "ind", "jc")
                if ppr.find(qn(f"w:{t}")) is not None
            ),
            None,
        )
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), colour)
    borders.append(line)


def add_document_number(doc: Document, number: str) -> Paragraph:
    """发文字号 (7.2.5) two lines under the mark, centred, with the red separator (7.2.7) 4 mm below it; the title
    (7.3.1) goes two lines under the separator, which the caller leaves with ``add_paragraph(doc)``."""
    add_paragraph(doc)
    add_paragraph(doc)
    paragraph = add_paragraph(doc, number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    # w:space is in points: the gap between the text's line and the separator.
    _border(paragraph, "bottom", 12, ISSUER_COLOUR, space=round(SEPARATOR_GAP.pt))
    return paragraph


def add_addressee(doc: Document, text: str) -> Paragraph:
    """主送机关 (7.3.2): flush left, ending in a full-width colon."""
    return add_paragraph(doc, text if text.endswith("：") else text + "：", indent=False)


def add_signature(doc: Document, issuer: str, day: datetime.date) -> list[Paragraph]:
    """发文机关署名 and 成文日期 of a sealed document (7.3.5.1): the date four characters in from the right, the
    signature centred over it; a signature longer than the date stays two characters in and the date is centred
    under it instead."""
    date_text = chinese_date(day)
    date_width, name_width = _text_width_chars(date_text), _text_width_chars(issuer)
    centre = DATE_RIGHT_INDENT_CHARS + date_width / 2
    name_right = centre - name_width / 2
    date_right: float = DATE_RIGHT_INDENT_CHARS
    if name_right < SIGNATURE_MIN_RIGHT_CHARS:
        name_right = SIGNATURE_MIN_RIGHT_CHARS
        date_right = name_right + (name_width - date_width) / 2
    name = add_paragraph(doc, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _indent_chars(name, right=name_right)
    date = add_paragraph(doc, date_text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _indent_chars(date, right=date_right)
    return [name, date]


def add_imprint(doc: Document, issuer: str, day: datetime.date) -> Paragraph:
    """版记 (7.4): 印发机关 one character in from the left and 印发日期 one in from the right, "印发" after the date,
    between thick separators the width of the text block. It follows the text (the last page's bottom edge is left
    to the clerk, who also adds 抄送 when there is one)."""
    add_paragraph(doc)
    paragraph = doc.add_paragraph()
    _exact_lines(paragraph)
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    # One 4号 full-width space is one character of the 版记's size: the indents of 7.4.3, kept inside the text so
    # that the paragraph, and with it its separators, spans the whole text block.
    space = "\u3000"
    set_font(paragraph.add_run(f"{space}{issuer}\t{chinese_date(day)}印发{space}"), BODY_FONT, IMPRINT_SIZE)
    _border(paragraph, "top", IMPRINT_THICK_LINE, "000000", space=4)
    _border(paragraph, "bottom", IMPRINT_THICK_LINE, "000000", space=4)
    return paragraph


def add_caption(doc: Document, text: str) -> Paragraph:
    """A table's caption: centred, in 黑体 like a first-level heading."""
    paragraph = doc.add_paragraph()
    _exact_lines(paragraph)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    set_font(paragraph.add_run(text), HEADING_FONTS[1], BODY_SIZE)
    return paragraph


def _cell_text(cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH, size: Length) -> None:
    paragraph = cell.paragraphs[0]
    _exact_lines(paragraph, Pt(size.pt * 1.4))
    paragraph.paragraph_format.alignment = align
    set_font(paragraph.add_run(text), HEADING_FONTS[1] if bold else BODY_FONT, size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _cell_margins(table: Table, margin: Length) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(margin.twips)) if side in ("left", "right") else "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def add_table(
    doc: Document,
    headers: list[str],
    rows: list[list[str]],
    *,
    groups: list[tuple[str, int]] | None = None,
    widths: list[float] | None = None,
    total: list[str] | None = None,
    left: frozenset[int] = frozenset({0}),
    size: Length = TABLE_SIZE,
) -> Table:
    """A ruled table across the text block: the header (and ``total``) in 黑体, the columns in ``left`` to the left
    and every other cell centred; ``groups`` (label, number of columns) adds a header row above ``headers`` whose
    empty labels merge down into the header below; ``widths`` are relative column widths. The header repeats at
    the top of each page and no row is split over two pages."""
    n = len(headers)
    header_rows = 2 if groups else 1
    table = doc.add_table(rows=header_rows + len(rows) + (1 if total else 0), cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, TABLE_CELL_MARGIN)
    shares = widths or [1.0] * n
    for column, share in zip(table.columns, shares, strict=True):
        width = Length(int(TEXT_WIDTH * share / sum(shares)))
        column.width = width
        for cell in column.cells:
            cell.width = width
    centre = WD_ALIGN_PARAGRAPH.CENTER

    def align(i: int) -> WD_ALIGN_PARAGRAPH:
        return WD_ALIGN_PARAGRAPH.LEFT if i in left else centre

    if groups:
        start = 0
        for label, span in groups:
            if label:
                top = table.cell(0, start)
                merged = top.merge(table.cell(0, start + span - 1)) if span > 1 else top
                _cell_text(merged, label, bold=True, align=centre, size=size)
            else:
                for i in range(start, start + span):
                    table.cell(0, i).merge(table.cell(1, i))
            start += span
    for i, header in enumerate(headers):
        cell = table.cell(header_rows - 1, i)
        if not cell.paragraphs[0].text:
            _cell_text(cell, header, bold=True, align=centre, size=size)
    # Each body row's own cells (``_Row.cells``): ``table.cell(r, i)`` reads the whole table's grid at every call,
    # which makes a table of a few hundred rows take seconds.
    body = list(table.rows)[header_rows:]
    for table_row, row in zip(body, rows, strict=False):  # body ends with the total row, if any
        for i, (cell, text) in enumerate(zip(table_row.cells, row, strict=True)):
            _cell_text(cell, text, bold=False, align=align(i), size=size)
    if total:
        for i, (cell, text) in enumerate(zip(body[-1].cells, total, strict=True)):
            _cell_text(cell, text, bold=True, align=align(i), size=size)
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
    return table
