"""The monthly dispatch table (按月调度表): its rows, and the .xlsx and .docx read back."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from fuyuan.documents import official
from fuyuan.packaging.dispatch import build_table
from fuyuan.packaging.dispatch_docx import dispatch_docx, dispatch_xlsx
from fuyuan.packaging.models import CasePackage
from fuyuan.packaging.workflow import close_package, report_progress
from tests.packaging.conftest import D, Packaging, at

pytestmark = pytest.mark.django_db


def april(pk_world: Packaging):  # type: ignore[no-untyped-def]
    """One package with April progress, one lagging (no progress since March), one closed in March."""
    active = pk_world.package()
    report_progress(active, text="三月专班会议", by=pk_world.leader_duyun, now=at(D(2026, 3, 25)))
    report_progress(active, text="原告同意调解", by=pk_world.leader_duyun, now=at(D(2026, 4, 15)))
    behind = pk_world.package(goal="督促群体性案件化解", kind="supervise", leader=pk_world.user("leader_pref"),
                              cases=[pk_world.fuquan_case], by=pk_world.user("rol_pref"))  # fmt: skip
    closed = pk_world.package(goal="已结案的包案")
    close_package(closed, state="resolved", note="", by=pk_world.user("rol_duyun"), now=at(D(2026, 3, 30)))
    return build_table(CasePackage.objects.all(), D(2026, 4, 1), today=D(2026, 5, 6)), active, behind


def test_the_table_has_a_row_per_package_active_in_the_month_with_its_progress_and_lag(pk_world: Packaging) -> None:
    table, active, behind = april(pk_world)

    assert table.title == "2026年4月领导包案按月调度表"
    assert table.as_of == D(2026, 4, 30)
    assert [r.package for r in table.rows] == [active, behind]  # 包案化解 before 包案督促; the closed one is gone
    first, second = table.rows
    assert [p.text for p in first.progress] == ["原告同意调解"]
    assert not first.lagging
    assert second.lagging and second.lag_reason == "一个月内未报送进展（最近 2026-03-02）"
    assert second.progress_text == "本月未报送"
    assert table.lagging == 1


def test_the_table_costs_the_same_queries_for_many_packages(pk_world: Packaging, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        pk_world.package()
    with django_assert_max_num_queries(4):
        table = build_table(CasePackage.objects.all(), D(2026, 3, 1), today=D(2026, 3, 20))
        assert len(table.rows) == 6 and all(len(r.cases) == 2 for r in table.rows)


def test_the_xlsx_reads_back_the_rows(pk_world: Packaging) -> None:
    table, _active, _behind = april(pk_world)

    sheet = load_workbook(io.BytesIO(dispatch_xlsx(table)))["按月调度表"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == ("序号", "类型", "包案领导", "案件", "化解目标", "完成期限", "本月进展", "状态", "是否落后")
    assert rows[1][:5] == (1, "包案化解", "都匀市李副市长", "（2026）黔2701行初11号、（2026）黔2701行初12号",
                           "组织专班协商化解，促成原告撤诉")  # fmt: skip
    assert rows[1][5].date() == D(2026, 6, 30)
    assert rows[1][6] == "04月15日：原告同意调解"
    assert rows[2][2] == "州王副州长" and rows[2][8] == "是（一个月内未报送进展（最近 2026-03-02））"
    assert len(rows) == 3


def test_the_docx_reads_back_in_the_official_layout(pk_world: Packaging) -> None:
    table, _active, _behind = april(pk_world)

    doc = Document(io.BytesIO(dispatch_docx(table, issuer="黔南州依法治办")))

    title = doc.paragraphs[0]
    assert title.text == "2026年4月领导包案按月调度表"
    assert title.runs[0].font.size == official.TITLE_SIZE and title.runs[0].font.name == official.TITLE_FONT
    body = next(p for p in doc.paragraphs if p.text.startswith("截至"))
    assert body.text.startswith("截至2026年4月30日，领导包案共2件，其中落后1件")
    assert body.runs[0].font.size == official.BODY_SIZE and body.runs[0].font.name == official.BODY_FONT
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0][:3] == ["序号", "类型", "包案领导"]
    assert cells[1][6] == "04月15日：原告同意调解"
    assert cells[2][8].startswith("是")
    assert any(p.text == "黔南州依法治办" for p in doc.paragraphs)
