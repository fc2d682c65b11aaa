"""``fuyuan import-cases`` (SPEC §9): headers by name, date styles, creation under --region, re-import,
all-or-nothing with every error named by sheet, row and column."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fuyuan.cases.choices import Acceptance, LitigationOutcome, ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, Organisation, Region
from fuyuan.core.timeline import timeline
from tests.cases.ledgers import litigation_row, reconsideration_row, write_workbook
from tests.factories import World


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_cases", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path, *args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_cases", str(path), *args, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(excinfo.value)


def counts() -> tuple[int, int, int, int]:
    return Region.objects.count(), Organisation.objects.count(), Case.objects.count(), Event.objects.count()


def test_both_sheets_import_with_every_field_and_a_timeline_event(world: World, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx",
        [
            litigation_row(
                "（2021）黔27行初1号",
                原告="张三",
                案由="行政处罚",
                领域="自然资源",
                开庭日期="2021-04-01",
                负责人出庭="是",
                出庭负责人="王局长",
                结案日期="2021-05-06",
                结案方式="撤销",
            )
        ],
        [reconsideration_row("黔南复〔2021〕1号", 结案日期="2021-03-01", 结案方式="和解", 受理日期="2021-02-03")],
    )

    out, _ = run(path)

    case = Case.objects.get(number="（2021）黔27行初1号")
    assert case.court == world.orgs["都匀法院"]
    assert case.defendant == world.orgs["都匀自然资源局"]
    assert case.county == world.regions["都匀市"]
    assert (case.hearing_on, case.concluded_on) == (datetime.date(2021, 4, 1), datetime.date(2021, 5, 6))
    assert case.head_appeared is True and case.appeared_head == "王局长"
    assert case.outcome == LitigationOutcome.REVOKED and case.is_loss
    recon = Case.objects.get(number="黔南复〔2021〕1号")
    assert recon.reconsideration_body == world.orgs["州司法局"]
    assert recon.outcome == ReconsiderationOutcome.SETTLED and recon.is_mediated
    assert recon.acceptance == Acceptance.ACCEPTED
    assert "行政诉讼：已新增 1 件" in out and "行政复议：已新增 1 件" in out
    assert [e.summary for e in timeline(case)] == ["台账导入登记 （2021）黔27行初1号"]


@pytest.mark.parametrize(
    "cell",
    [
        datetime.date(2021, 3, 5),
        datetime.datetime(2021, 3, 5, 0, 0),
        "2021-03-05",
        "2021/3/5",
        "2021.3.5",
        "2021年3月5日",
    ],
)
def test_every_date_style_of_the_contract_is_read(world: World, tmp_path: Path, cell: object) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初2号", 立案日期=cell)])

    run(path)

    assert Case.objects.get().filed_on == datetime.date(2021, 3, 5)


def test_columns_are_matched_by_header_in_any_order_and_unknown_columns_are_ignored(
    world: World, tmp_path: Path
) -> None:
    headers = ["备注说明", "立案日期", "被告所属地区", "被告", "审级", "法院", "案号"]
    path = write_workbook(
        tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初3号", 备注说明="随便")], litigation_headers=headers
    )

    run(path)

    assert Case.objects.get().number == "（2021）黔27行初3号"


def test_unknown_regions_and_organisations_are_created_under_region_and_reported(db: None, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初4号")], [reconsideration_row("复1")])

    out, _ = run(path, "--region", "黔南州")

    pref = Region.objects.get(name="黔南州")
    assert pref.parent is None
    assert set(Region.objects.filter(parent=pref).values_list("name", flat=True)) == {"都匀市", "福泉市"}
    assert Organisation.objects.get(name="都匀市人民法院").kind == "court"
    assert Organisation.objects.get(name="黔南州司法局").kind == "justice_bureau"
    assert Organisation.objects.get(name="都匀市自然资源局").region.name == "都匀市"
    assert "新建顶级地区：黔南州" in out
    assert "都匀市、福泉市" in out
    assert "都匀市人民法院（法院，都匀市）" in out


def test_an_unknown_region_without_region_option_is_refused_and_says_what_to_do(db: None, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初5号")])

    message = refused(path)

    assert "行政诉讼, row 2, 被告所属地区: 地区“都匀市”不存在；请用 --region 指定新地区的上级地区" in message
    assert counts() == (0, 0, 0, 0)


def test_re_importing_updates_instead_of_duplicating_and_records_only_real_changes(
    world: World, tmp_path: Path
) -> None:
    rows = [litigation_row("（2021）黔27行初6号"), litigation_row("（2021）黔27行初7号")]
    run(write_workbook(tmp_path / "a.xlsx", rows))
    rows[1].update(结案日期="2021-06-30", 结案方式="驳回诉讼请求")

    out, _ = run(write_workbook(tmp_path / "b.xlsx", rows))

    assert Case.objects.count() == 2
    assert "已新增 0 件，已更新 1 件，未变 1 件" in out
    unchanged = Case.objects.get(number="（2021）黔27行初6号")
    changed = Case.objects.get(number="（2021）黔27行初7号")
    assert len(timeline(unchanged)) == 1
    last = list(timeline(changed))[-1]
    assert last.summary == "台账导入更新"
    assert last.changes["结案方式"] == ["（空）", "驳回诉讼请求"]
    assert changed.version == 2


def test_cases_imported_beside_existing_ones_each_get_their_own_event_and_deadlines(
    world: World, tmp_path: Path
) -> None:
    run(write_workbook(tmp_path / "a.xlsx", [litigation_row("（2021）黔27行初8号")]))
    litigation = [
        litigation_row("（2021）黔27行初8号", 结案日期="2021-06-30", 结案方式="驳回诉讼请求"),
        litigation_row("（2021）黔27行初9号", 立案日期="2021-04-01"),
    ]
    reconsideration = [reconsideration_row("黔南复〔2021〕9号", 收案日期="2021-02-08", 受理情况="审查中")]

    run(write_workbook(tmp_path / "b.xlsx", litigation, reconsideration))

    for number, start in (
        ("（2021）黔27行初9号", datetime.date(2021, 4, 1)),
        ("黔南复〔2021〕9号", datetime.date(2021, 2, 8)),
    ):
        case = Case.objects.get(number=number)
        assert [e.summary for e in timeline(case)] == [f"台账导入登记 {number}"]
        assert list(case.deadlines.values_list("start_on", flat=True)) == [start]


def test_whether_the_head_spoke_comes_from_the_optional_column_and_needs_an_appearance(
    world: World, tmp_path: Path
) -> None:
    spoke = litigation_row(
        "（2021）黔27行初21号", 开庭日期="2021-04-01", 负责人出庭="是", 出庭负责人="王局长", 负责人出声="是"
    )
    silent = litigation_row(
        "（2021）黔27行初22号", 开庭日期="2021-04-02", 负责人出庭="是", 出庭负责人="王局长", 负责人出声="否"
    )
    absent = litigation_row("（2021）黔27行初23号", 开庭日期="2021-04-03", 负责人出庭="否", 负责人出声="是")

    message = refused(write_workbook(tmp_path / "bad.xlsx", [spoke, silent, absent]))

    assert "行政诉讼, row 4, 负责人出声: 负责人出庭为“是”时才能填写负责人是否出声" in message
    assert not Case.objects.exists()

    run(write_workbook(tmp_path / "good.xlsx", [spoke, silent]))

    spoken = dict(Case.objects.values_list("number", "head_spoke"))
    assert spoken == {"（2021）黔27行初21号": True, "（2021）黔27行初22号": False}


def test_one_bad_row_among_good_ones_is_named_and_nothing_is_written(world: World, tmp_path: Path) -> None:
    rows = [litigation_row(f"（2021）黔27行初{n}号", 被告=f"新单位{n}") for n in range(10, 15)]
    rows[3]["立案日期"] = "2021-02-30"
    path = write_workbook(
        tmp_path / "l.xlsx", rows, [reconsideration_row("复2", 被申请人="新县公安局", 被申请人所属地区="新县")]
    )
    before = counts()

    message = refused(path, "--region", "黔南州")

    assert "行政诉讼, row 5, 立案日期: 日期不存在“2021-02-30”" in message
    assert "1 处错误，未导入任何数据" in message
    assert counts() == before


def test_every_error_is_listed_not_only_the_first(world: World, tmp_path: Path) -> None:
    rows = [
        litigation_row("（2021）黔27行初20号", 结案方式="胜诉", 结案日期="2021-05-01"),
        litigation_row("（2021）黔27行初21号", 审级="三审"),
        litigation_row("（2021）黔27行初22号", 结案日期="2021-05-01"),
        litigation_row("（2021）黔27行初19号"),
        litigation_row("（2021）黔27行初23号", 负责人出庭="可能"),
        litigation_row("（2021）黔27行初24号", 立案日期="明天"),
        litigation_row("（2021）黔27行初19号"),
    ]

    lines = refused(write_workbook(tmp_path / "l.xlsx", rows)).splitlines()

    assert lines[:6] == [
        "行政诉讼, row 2, 结案方式: 未知的结案方式“胜诉”（可填：驳回诉讼请求、撤销、部分撤销、变更、确认违法、确认无效、责令履行、判决给付、判决赔偿、裁定驳回起诉、撤诉、行政机关改变行为后撤诉、调解、终结）",
        "行政诉讼, row 3, 审级: 未知的审级“三审”（可填：一审、二审、再审）",
        "行政诉讼, row 4, 结案方式: 填写了结案日期但缺少结案方式",
        "行政诉讼, row 6, 负责人出庭: 只能填“是”“否”或留空，而不是“可能”",
        "行政诉讼, row 7, 立案日期: 不是日期“明天”（应为 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日）",
        "行政诉讼, row 8, 案号: 案号重复（与行政诉讼第 5 行相同）",
    ]


def test_a_missing_required_column_is_refused(world: World, tmp_path: Path) -> None:
    headers = ["案号", "法院", "审级", "被告", "被告所属地区"]
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初30号")], litigation_headers=headers)

    assert "行政诉讼, row 1, 立案日期: 缺少必填列" in refused(path)
    assert not Case.objects.exists()


def test_an_organisation_named_in_another_region_is_refused_naming_both(world: World, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初31号", 被告所属地区="福泉市")])

    assert "被告: “都匀市自然资源局”已登记在“都匀市”，与本行的“福泉市”不一致" in refused(path)


def test_a_number_registered_as_the_other_kind_is_refused(world: World, tmp_path: Path) -> None:
    run(write_workbook(tmp_path / "a.xlsx", None, [reconsideration_row("同号")]))

    assert "行政诉讼, row 2, 案号: 该案号已登记为行政复议案件" in refused(
        write_workbook(tmp_path / "b.xlsx", [litigation_row("同号")])
    )


def test_dry_run_reports_and_writes_nothing(db: None, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2021）黔27行初40号")])

    out, _ = run(path, "--region", "黔南州", "--dry-run")

    assert "未写入任何数据" in out
    assert "行政诉讼：将新增 1 件" in out
    assert counts() == (0, 0, 0, 0)


def test_a_file_that_is_not_a_workbook_exits_with_a_one_line_reason(db: None, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")

    with pytest.raises(CommandError, match="无法读取该文件"):
        run(path)
    with pytest.raises(CommandError, match="文件不存在"):
        run(tmp_path / "missing.xlsx")


def test_blank_rows_and_a_table_that_starts_in_column_b_keep_each_row_named_by_its_row_in_excel(
    world: World, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    from tests.cases.ledgers import LITIGATION_HEADERS

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "行政诉讼"
    good, bad = litigation_row("（2021）黔27行初50号"), litigation_row("（2021）黔27行初51号", 立案日期="2021-02-30")
    for row, values in ((1, LITIGATION_HEADERS), (2, [good.get(h) for h in LITIGATION_HEADERS]),
                        (5, [bad.get(h) for h in LITIGATION_HEADERS])):  # fmt: skip
        for column, value in enumerate(values, start=2):  # column A left empty, rows 3 and 4 blank
            sheet.cell(row=row, column=column, value=value)
    path = tmp_path / "l.xlsx"
    workbook.save(path)

    assert "行政诉讼, row 5, 立案日期: 日期不存在“2021-02-30”" in refused(path)

    sheet.delete_rows(5)
    sheet.insert_rows(1)  # the headers moved to row 2: the first row is where the contract wants them
    workbook.save(path)

    assert "行政诉讼, row 1, 案号: 缺少必填列" in refused(path)
    assert not Case.objects.exists()
