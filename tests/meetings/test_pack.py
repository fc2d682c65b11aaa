"""The figures pack of a meeting (会议材料：府院联动工作数据): its numbers are those ``fuyuan stats`` gives for the
region and period; it lists the agencies that lose most, the region's overdue items, the open leader packages and
the earlier decisions not yet done; Word reads it back (python-docx) and LibreOffice prints it."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn

from fuyuan.cases.choices import CaseKind, LitigationOutcome, ReconsiderationOutcome
from fuyuan.core.models import Role
from fuyuan.meetings.models import MeetingKind
from fuyuan.meetings.pack import figures_pack, gather
from fuyuan.meetings.workflow import DecisionDraft, record_meeting
from fuyuan.packaging.models import PackageKind
from fuyuan.packaging.workflow import create_package
from tests.browser.conftest import ARTIFACTS
from tests.factories import World, make_case, make_org, make_user
from tests.meetings.conftest import NOW, D, hold_annual_meeting, open_duyun_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world: World, settings, tmp_path, clock):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    o, u, r = world.orgs, world.users, world.regions
    zhujian = make_org("都匀市住房和城乡建设局", r["都匀市"])
    lit = dict(kind=CaseKind.LITIGATION, filed_on=D(2026, 2, 1))
    natural = o["都匀自然资源局"]
    make_case(defendant=natural, **lit, hearing_on=D(2026, 3, 5), head_appeared=True,
              concluded_on=D(2026, 4, 10), outcome=LitigationOutcome.REVOKED)  # fmt: skip
    make_case(defendant=natural, **lit, hearing_on=D(2026, 5, 6), head_appeared=True,
              concluded_on=D(2026, 6, 15), outcome=LitigationOutcome.CONFIRMED_ILLEGAL)  # fmt: skip
    make_case(defendant=natural, **lit, hearing_on=D(2026, 5, 7), head_appeared=False,
              concluded_on=D(2026, 6, 20), outcome=LitigationOutcome.CLAIM_DISMISSED)  # fmt: skip
    make_case(defendant=zhujian, **lit, concluded_on=D(2026, 9, 1), outcome=LitigationOutcome.REVOKED)
    pending = make_case(defendant=zhujian, **lit)
    make_case(defendant=o["福泉公安局"], **lit, concluded_on=D(2026, 4, 1), outcome=LitigationOutcome.REVOKED)
    make_case(CaseKind.RECONSIDERATION, defendant=natural, received_on=D(2026, 3, 1), concluded_on=D(2026, 4, 20),
              outcome=ReconsiderationOutcome.REVOKED)  # fmt: skip
    make_case(CaseKind.RECONSIDERATION, defendant=natural, received_on=D(2026, 3, 2), concluded_on=D(2026, 4, 21),
              outcome=ReconsiderationOutcome.UPHELD)  # fmt: skip
    leader = make_user("leader_duyun", Role.LEADER, region=r["都匀市"])
    create_package(kind=PackageKind.RESOLVE, leader=leader, cases=[pending], goal="实质性化解房屋征收补偿争议",
                   due_on=D(2026, 11, 30), by=u["rol_duyun"], now=NOW)  # fmt: skip
    office = open_duyun_office(world)
    # An earlier meeting's decision, due 25 November and not reported: overdue on the day the pack is made.
    record_meeting(
        office, kind=MeetingKind.SPECIAL, title="征地拆迁专题会议", held_on=D(2026, 6, 10), place="会议室",
        agenda=["征地拆迁案件"], participants=[], minutes="",
        decisions=[DecisionDraft("清理征地补偿历史欠账", zhujian, D(2026, 11, 25))], by=u["rol_duyun"], now=NOW,
    )  # fmt: skip
    return hold_annual_meeting(world, office)


def docx_text(data: bytes) -> tuple[Document, str, list[list[list[str]]]]:
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return doc, text, tables


def test_the_packs_rates_are_those_fuyuan_stats_gives_for_the_region_and_period(
    meeting, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("stats", "--region", "都匀市", "--from", "2026-01-01", "--to", "2026-11-19", "--format", "json",
                 stdout=out)  # fmt: skip
    stats = json.loads(out.getvalue())["total"]
    with django_assert_max_num_queries(10):  # as many whatever the cases (measured: 10 on 100,000 cases)
        pack = gather(meeting, D(2026, 12, 2))
    assert (meeting.period_from, meeting.period_to) == (D(2026, 1, 1), D(2026, 11, 19))
    lit, rec = stats["litigation"], stats["reconsideration"]
    assert (
        (pack.counts["litigation.concluded"], pack.counts["litigation.lost"])
        == (lit["concluded"], lit["lost"])
        == (4, 3)
    )
    assert pack.rates["loss_rate"] == lit["loss_rate"] == 75.0
    assert pack.rates["appearance_rate"] == lit["appearance_rate"] == 66.67
    assert pack.rates["correction_rate"] == rec["correction_rate"] == 50.0

    _doc, text, tables = docx_text(figures_pack(meeting, D(2026, 12, 2)))
    assert "一审行政诉讼立案5件，结案4件，其中败诉3件，败诉率75.00%" in text
    assert ["败诉率", "75.00%（3/4）"] in tables[0]
    assert ["负责人出庭应诉率", "66.67%（2/3）"] in tables[0]
    assert ["被纠错率", "50.00%（1/2）"] in tables[0]


def test_the_pack_lists_the_trend_the_agencies_that_lose_most_overdue_items_packages_and_open_decisions(
    meeting,
) -> None:  # type: ignore[no-untyped-def]
    doc, text, tables = docx_text(figures_pack(meeting, D(2026, 12, 2)))
    trend, agencies, overdue, packages, earlier = tables[1:]

    assert [row[0] for row in trend[1:]] == [f"2026-{m:02d}" for m in range(1, 12)]
    # Each month's 败诉率 over the cases concluded that month: April one lost of one, June one of two, May none.
    assert (trend[4][1], trend[5][1], trend[6][1]) == ("100.00%（1/1）", "—", "50.00%（1/2）")
    assert agencies[1:] == [
        ["1", "都匀市自然资源局", "2", "3", "66.67%"],
        ["2", "都匀市住房和城乡建设局", "1", "1", "100.00%"],
    ]
    assert "福泉市公安局" not in text + str(tables)  # another county
    assert "截至2026年12月2日，逾期未办事项共1项。" in text
    assert overdue[1:] == [["都匀市住房和城乡建设局", "联席会议议定事项", "1", "2026-11-25"]]
    assert "在办领导包案1件，其中落后1件。" in text
    assert packages[1][2:] == ["实质性化解房屋征收补偿争议", "1", "2026-11-30", "落后"]
    assert earlier[1:] == [["2026-06-10", "清理征地补偿历史欠账", "都匀市住房和城乡建设局", "2026-11-25", "逾期未办"]]
    # The official layout: the title in 小标宋 2号 (documents.official).
    title = next(p for p in doc.paragraphs if p.text == "府院联动工作数据")
    fonts = title.runs[0]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22


def test_libreoffice_prints_the_pack_and_its_first_page_renders_to_a_png(meeting, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("需要 LibreOffice（soffice）：apt-get install libreoffice-writer（.ci/run 会安装）")
    source = tmp_path / "pack.docx"
    source.write_bytes(figures_pack(meeting, D(2026, 12, 2)))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "pack.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    for expected in ("府院联动工作数据", "2026年度府院联席会议", "败诉较多的机关", "都匀市自然资源局", "75.00%（3/4）",
                     "逾期未办事项", "领导包案", "都匀市府院联席会议办公室"):  # fmt: skip
        assert expected in flat, expected

    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(ARTIFACTS / "meetings-pack-page1")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with Image.open(ARTIFACTS / "meetings-pack-page1.png") as image:
        assert image.height / image.width == pytest.approx(297 / 210, rel=0.01)
        grey = image.convert("L")
        assert sum(grey.histogram()[:128]) > 0.01 * grey.width * grey.height
