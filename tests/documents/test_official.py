"""The building blocks of the official layout (GB/T 9704-2012) that every Word document uses."""

import datetime
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from fuyuan.documents import official


@pytest.mark.parametrize(
    ("n", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (99, "九十九")]
)
def test_clause_numbers_are_written_in_chinese_numerals(n: int, numeral: str) -> None:
    assert official.chinese_numeral(n) == numeral


def test_the_four_levels_of_headings_are_numbered_as_the_standard_shows() -> None:
    assert [official.heading_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]


def test_dates_are_written_in_full_without_leading_zeros() -> None:
    assert official.chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"


def test_first_level_headings_are_in_黑体_second_level_in_楷体_and_paragraphs_indented_two_characters() -> None:
    doc = official.new_document(title="通报")
    official.add_heading(doc, 1, 1, "基本情况")
    official.add_heading(doc, 2, 1, "收案情况")
    official.add_paragraph(doc, "今年以来，全州共收案181件。")
    document = docx.Document(io.BytesIO(official.to_bytes(doc)))

    first, second, body = document.paragraphs
    fonts = [
        (p.text, p.runs[0].font.size, p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))) for p in document.paragraphs
    ]
    assert fonts == [
        ("一、基本情况", Pt(16), "黑体"),
        ("（一）收案情况", Pt(16), "楷体_GB2312"),
        ("今年以来，全州共收案181件。", Pt(16), "仿宋_GB2312"),
    ]
    for paragraph in (first, second, body):
        assert paragraph.paragraph_format.first_line_indent == Pt(32)
    assert document.core_properties.title == "通报"
    assert document.core_properties.author == ""


def test_the_date_line_stands_four_characters_in_from_the_right() -> None:
    doc = official.new_document()
    official.add_date(doc, datetime.date(2026, 12, 1))
    paragraph = docx.Document(io.BytesIO(official.to_bytes(doc))).paragraphs[0]

    assert paragraph.text == "2026年12月1日"
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraph.paragraph_format.right_indent == Pt(64)
