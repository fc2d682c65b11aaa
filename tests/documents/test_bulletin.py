"""The 通报 (.docx) read back: the official layout's title and fonts, the figures equal to ``fuyuan stats`` over
the same region and window, the rankings in order, the agencies that lost, the threshold, the wording of the
year-on-year change and of the benchmarks."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table

from fuyuan.documents import official
from fuyuan.documents.bulletin import BulletinError, parse_period, render_bulletin
from fuyuan.stats.models import Benchmark, BenchmarkScope
from tests.documents.bulletin_data import november_2026
from tests.documents.conftest import read_docx, texts
from tests.factories import World, make_org

D = datetime.date
TITLE = "关于2026年11月全州行政复议和行政诉讼案件情况的通报"


def _bulletin(world: World, **kw: object) -> Document:
    november_2026(world)
    return read_docx(render_bulletin(world.regions["黔南州"], "2026-11", today=D(2026, 12, 1), **kw))  # type: ignore[arg-type]


def _stats_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("stats", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _east_asian_font(run) -> str:  # type: ignore[no-untyped-def]
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_bulletin_carries_the_issuer_number_title_addressee_and_date_in_the_official_layout(world: World) -> None:
    make_org("中共黔南州委全面依法治州委员会办公室", world.regions["黔南州"], "rule_of_law_office")

    doc = _bulletin(world, document_number=12)
    lines = texts(doc)

    assert lines[0] == "中共黔南州委全面依法治州委员会办公室"
    assert lines[1] == "〔2026〕12号"
    assert lines[2] == TITLE
    assert lines[3] == "各县（市、区）依法治办，州直各部门："
    title = next(p for p in doc.paragraphs if p.text == TITLE)
    assert _east_asian_font(title.runs[0]) == official.TITLE_FONT and title.runs[0].font.size == official.TITLE_SIZE
    body = next(p for p in doc.paragraphs if p.text.startswith("行政复议方面"))
    assert _east_asian_font(body.runs[0]) == official.BODY_FONT and body.runs[0].font.size == official.BODY_SIZE
    assert "2026年12月1日" in lines and "2026年12月1日印发" in lines[-1]
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)  # GB/T 9704 5.2.1


def test_without_an_office_on_record_the_issuer_is_the_regions_office_and_the_number_is_left_blank(
    world: World,
) -> None:
    lines = texts(_bulletin(world))

    assert lines[0] == "黔南州依法治办"
    assert lines[1] == "〔2026〕\u3000号"


def test_the_table_by_county_shows_the_same_figures_as_fuyuan_stats(world: World) -> None:
    doc = _bulletin(world)
    stats = _stats_json("--region", "黔南州", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "county")

    table = _rows(doc.tables[0])
    by_name = {row[0]: row for row in table[2:]}
    assert list(by_name) == ["黔南州本级", "都匀市", "福泉市", "合计"]
    for row in [*stats["rows"], {"key": "合计", **stats["total"]}]:
        name = "黔南州本级" if row["key"] == "黔南州" else row["key"]
        rec, lit = row["reconsideration"], row["litigation"]
        expected = [rec["received"], rec["accepted"], rec["concluded"], rec["corrected"], rec["correction_rate"]]
        expected += [lit["concluded"], lit["lost"], lit["loss_rate"], lit["hearings"], lit["head_appeared"]]
        expected += [lit["appearance_rate"]]
        shown = ["—" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v)) for v in expected]
        assert by_name[name][1:] == shown, name
    assert by_name["合计"][1:] == ["3", "3", "3", "1", "33.33", "8", "4", "50.00", "6", "5", "83.33"]


def test_the_overall_paragraphs_give_the_counts_the_rates_and_the_change_in_percentage_points(world: World) -> None:
    lines = texts(_bulletin(world))

    litigation = next(line for line in lines if line.startswith("行政诉讼方面"))
    assert "一审结案8件，行政机关败诉4件，败诉率50.00%，同比下降50.00个百分点" in litigation
    assert "出庭应诉率83.33%，上年同期无可比数据" in litigation


def test_the_benchmarks_entered_for_the_year_stand_beside_the_rate(world: World) -> None:
    Benchmark.objects.create(
        year=2026,
        rate="loss_rate",
        scope=BenchmarkScope.PROVINCE,
        value="22.33",
        source="省司法厅通报",
        entered_by=world.users["rol_pref"],
    )

    litigation = next(line for line in texts(_bulletin(world)) if line.startswith("行政诉讼方面"))

    assert "败诉率50.00%（全省平均22.33%）" in litigation


def test_counties_are_ranked_by_loss_rate_lowest_first_and_by_appearance_rate_highest_first(world: World) -> None:
    lines = texts(_bulletin(world))

    loss = lines[lines.index("（一）行政机关败诉率（由低到高）") + 1]
    appearance = lines[lines.index("（二）行政机关负责人出庭应诉率（由高到低）") + 1]
    assert loss == "依次为：1.都匀市（25.00%）、2.福泉市（66.67%）、3.黔南州本级（100.00%）。"
    assert appearance == "依次为：1.福泉市（100.00%）、2.都匀市（75.00%）。黔南州本级本期无一审开庭，不参与排名。"


def test_the_agencies_that_lost_are_listed_with_their_losses_most_first(world: World) -> None:
    doc = _bulletin(world)

    assert _rows(doc.tables[1]) == [
        ["序号", "行政机关", "所属地区", "一审败诉（件）"],
        ["1", "福泉市公安局", "福泉市", "2"],
        ["2", "都匀市自然资源局", "都匀市", "1"],
        ["3", "黔南州人力资源和社会保障局", "黔南州", "1"],
    ]
    assert "本期共有3个行政机关在一审中败诉，败诉4件（见表2）。" in texts(doc)


def test_the_counties_above_the_loss_rate_threshold_are_named_but_not_the_prefectures_own_row(
    world: World, settings: object
) -> None:
    # 黔南州本级 lost 1 of 1 (100.00%) and 福泉市 2 of 3 (66.67%): only the county is asked to report, as only a
    # county gets a written-report duty (accountability.workflow.open_report_duties).
    default = [line for line in texts(_bulletin(world)) if "败诉率超过" in line]
    settings.FUYUAN_LOSS_THRESHOLD = 70  # type: ignore[attr-defined]
    raised = [
        line for line in texts(read_docx(render_bulletin(world.regions["黔南州"], "2026-11"))) if "败诉率超过" in line
    ]

    assert default[0].startswith("本期败诉率超过30%的有：福泉市（66.67%）。请上述县（市、区）")
    assert "黔南州本级" not in default[0]
    assert raised == ["本期没有败诉率超过70%的县（市、区）。"]


def test_a_period_with_no_loss_says_so_instead_of_an_empty_table(world: World) -> None:
    doc = read_docx(render_bulletin(world.regions["黔南州"], "2026-Q3"))

    lines = texts(doc)
    assert "关于2026年第三季度全州行政复议和行政诉讼案件情况的通报" in lines
    assert "本期没有行政机关在一审中败诉。" in lines
    assert "本期各县（市、区）均无一审结案，不作排名。" in lines
    assert len(doc.tables) == 1


def test_a_month_and_a_quarter_are_read_and_anything_else_is_refused_with_the_expected_form() -> None:
    month, quarter = parse_period("2026-11"), parse_period("2026-q4")

    assert (month.date_from, month.date_to, month.label) == (D(2026, 11, 1), D(2026, 11, 30), "2026年11月")
    assert (quarter.date_from, quarter.date_to, quarter.label) == (D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度")
    for wrong in ("2026-13", "2026-Q5", "11/2026", ""):
        with pytest.raises(BulletinError, match="2026-Q3"):
            parse_period(wrong)
