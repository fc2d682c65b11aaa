"""The 调解协议书 of a mediated dispute (SPEC §6.2, §7): what the parties read and sign, in the layout of
GB/T 9704-2012, and a file Word and LibreOffice open."""

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.text.run import Run

from fuyuan.disputes.choices import WithdrawalReason
from fuyuan.disputes.workflow import accept_dispute, conclude_withdrawn
from fuyuan.documents.agreement import AgreementError, render_agreement, split_terms
from tests.disputes.consent import WRITTEN
from tests.documents.conftest import CLAUSES, Mediate, read_docx, texts
from tests.factories import World, make_dispute

pytestmark = pytest.mark.django_db


def east_asian_font(run: Run) -> str | None:
    rpr = run._element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def test_the_title_is_in_2号_小标宋_centred_and_the_body_in_3号_仿宋(mediate: Mediate) -> None:
    document = read_docx(render_agreement(mediate()))

    title, *body = [p for p in document.paragraphs if p.text.strip()]
    assert title.text == "行政争议调解协议书"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [(r.font.size, east_asian_font(r)) for r in title.runs] == [(Pt(22), "方正小标宋简体")]
    body_runs = [r for p in body for r in p.runs]
    assert body_runs
    assert {(r.font.size, east_asian_font(r), r.font.name) for r in body_runs} == {
        (Pt(16), "仿宋_GB2312", "仿宋_GB2312")
    }
    # A theme font would win over the name in Word: none is left on the runs, the defaults or the Normal style.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for element in [defaults, document.styles["Normal"].element, *(r._element for r in body_runs)]:
        assert "Theme=" not in ElementTree.tostring(element, encoding="unicode")


def test_the_page_is_a4_with_the_margins_and_22_lines_of_28_characters_of_gb_t_9704(mediate: Mediate) -> None:
    document = read_docx(render_agreement(mediate()))

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    text_height = Emu(section.page_height - section.top_margin - section.bottom_margin)
    assert (round(text_width.mm), round(text_height.mm)) == (156, 225)
    for paragraph in document.paragraphs:
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert paragraph.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert 22 * 28.95 <= text_height.pt < 23 * 28.95
    # 28 characters of 16 pt, set closer by the document's character spacing, fit the line, and 29 do not.
    spacing = document.styles.element.find(f".//{qn('w:rPrDefault')}//{qn('w:spacing')}")
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20
    assert 28 * pitch <= text_width.pt < 29 * pitch


def test_the_page_number_is_4号_宋体_between_dashes_on_the_outside_of_the_page(mediate: Mediate) -> None:
    document = read_docx(render_agreement(mediate()))

    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"
    assert " PAGE " in odd._p.xml and " PAGE " in even._p.xml
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    assert {(r.font.size, east_asian_font(r)) for p in (odd, even) for r in p.runs} == {(Pt(14), "宋体")}


def test_the_parties_are_named_in_full_with_the_agencys_current_principal_and_the_lead_coordinator_first(
    mediate: Mediate,
) -> None:
    lines = texts(read_docx(render_agreement(mediate())))

    assert lines[1] == "编号：都匀市争调〔2026〕1号"
    assert lines[2:9] == [
        "申请人：张三、李四，公民身份号码：522701199001011234，住址：贵州省都匀市剑江中路1号，联系电话：13912341234。",
        "被申请人：都匀市自然资源局。",
        "负责人：王局长。",
        "协调化解中心：都匀市行政争议协调化解中心。",
        "协调员：林专家（牵头协调员）、李律师。",
        "争议事项：不服都匀市自然资源局作出的罚款决定。",
        "请求事项：撤销罚款决定，退还已缴罚款。",
    ]
    whole = "".join(lines)
    assert "李前局长" not in whole and "赵副局长" not in whole and "孙退出" not in whole


def test_each_agreed_term_is_a_numbered_clause_in_order_then_the_standard_clauses(mediate: Mediate) -> None:
    lines = texts(read_docx(render_agreement(mediate())))

    start = lines.index("经协调，双方自愿达成如下协议：") + 1
    assert lines[start : start + 5] == [
        f"一、{CLAUSES[0]}",
        f"二、{CLAUSES[1]}",
        f"三、{CLAUSES[2]}",
        "四、本协议自双方签字（盖章）之日起生效。",
        "五、本协议一式三份，申请人、被申请人、协调化解中心各执一份，具有同等效力。",
    ]
    assert not any("司法确认" in line for line in lines)


def test_the_judicial_confirmation_clause_appears_when_the_parties_asked_for_it(mediate: Mediate) -> None:
    lines = texts(read_docx(render_agreement(mediate(judicial_confirmation=True))))

    start = lines.index("经协调，双方自愿达成如下协议：") + 1
    assert lines[start + 3 : start + 6] == [
        "四、本协议自双方签字（盖章）之日起生效。",
        "五、双方同意自本协议生效之日起三十日内，共同向有管辖权的人民法院申请司法确认。",
        "六、本协议一式三份，申请人、被申请人、协调化解中心各执一份，具有同等效力。",
    ]


def test_the_signature_block_and_the_date_close_the_agreement(mediate: Mediate) -> None:
    document = read_docx(render_agreement(mediate()))
    lines = texts(document)

    assert lines[-4:] == [
        "申请人（签名）：\t被申请人（盖章）：",
        "\t负责人（签名）：",
        "协调员（签名）：\t协调化解中心（盖章）：",
        "2026年12月1日",
    ]
    date = document.paragraphs[-1]
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The block moves to the next page with the last clause rather than stand there alone.
    last_clause = next(i for i, p in enumerate(document.paragraphs) if p.text.startswith("五、"))
    tail = document.paragraphs[last_clause:-1]
    assert all(p.paragraph_format.keep_with_next for p in tail)


@pytest.mark.parametrize(
    ("typed", "clauses"),
    [
        ("被申请人退还罚款\n申请人撤回申请", ["被申请人退还罚款。", "申请人撤回申请。"]),
        ("1.退还罚款1.5万元；2.撤回申请。", ["退还罚款1.5万元。", "撤回申请。"]),
        ("（一）退还罚款；\n（二）撤回申请", ["退还罚款。", "撤回申请。"]),
        ("第一条 退还罚款。\n第二条 撤回申请。", ["退还罚款。", "撤回申请。"]),
        ("一、退还罚款，\n分两期支付；\n\n二、撤回申请！", ["退还罚款，分两期支付。", "撤回申请！"]),
        ("1) 退还罚款\n2) 撤回申请", ["退还罚款。", "撤回申请。"]),
    ],
)
def test_the_terms_are_split_into_clauses_however_they_were_numbered(typed: str, clauses: list[str]) -> None:
    assert split_terms(typed) == clauses


def test_a_dispute_not_mediated_has_no_agreement_and_the_reason_says_why(world: World) -> None:
    staff = world.users["centre_duyun"]
    dispute = make_dispute(world.orgs["都匀中心"], agency=world.orgs["都匀自然资源局"], by=staff)
    with pytest.raises(AgreementError, match="尚未办结，不是调解成功"):
        render_agreement(dispute)
    dispute = accept_dispute(dispute, consent=WRITTEN, by=staff)
    dispute = conclude_withdrawn(dispute, reason=WithdrawalReason.AGENCY_CORRECTED, by=staff)
    with pytest.raises(AgreementError, match="办结方式为“撤回”，不是调解成功"):
        render_agreement(dispute)


def test_the_file_is_a_well_formed_word_package(mediate: Mediate) -> None:
    content = render_agreement(mediate(judicial_confirmation=True))

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.testzip() is None
        names = package.namelist()
        assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/settings.xml"} <= set(names)
        parts = {name: ElementTree.fromstring(package.read(name)) for name in names if name.endswith((".xml", ".rels"))}
    content_types = {e.get("PartName") for e in parts["[Content_Types].xml"]}
    assert "/word/document.xml" in content_types
    assert sum(1 for name in names if re.fullmatch(r"word/footer\d+\.xml", name)) == 2
    # Word refuses run properties out of the schema's order (ECMA-376 CT_RPr); check those the layout sets.
    order = ["rFonts", "b", "spacing", "sz", "szCs", "lang"]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
        for rpr in parts[name].iter(f"{w}rPr"):
            tags = [child.tag.removeprefix(w) for child in rpr if child.tag.removeprefix(w) in order]
            assert tags == sorted(tags, key=order.index), (name, tags)
    assert texts(read_docx(content))[0] == "行政争议调解协议书"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_opens_the_agreement_and_prints_it_to_pdf(mediate: Mediate, tmp_path: Path) -> None:
    source = tmp_path / "调解协议书.docx"
    source.write_bytes(render_agreement(mediate(judicial_confirmation=True)))

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip

    pdf = (tmp_path / "调解协议书.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) in (1, 2)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "调解协议书.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout
        text = re.sub(r"\s", "", text)
        assert "行政争议调解协议书" in text
        assert "申请司法确认" in text
        assert "2026年12月1日" in text
