"""Enforcement supervision through the browser (SPEC §6.7): the 州司法局's supervision staff land on their officers,
import the exam platform's workbook — refused with the sheet, row and column of each error, then taken — and see the
officer whose certificate lapses soon under 证件预警; a citizen checks an officer's certificate number without log-in."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.core.models import Role
from fuyuan.enforcement.models import EnforcementBody, Officer
from tests.browser.conftest import login, open_menu_page, screenshot
from tests.enforcement.conftest import OFFICER_HEADERS, TRAINING_HEADERS, add_officer, workbook
from tests.factories import World, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bodies(world: World) -> None:
    o = world.orgs
    make_user("zfjd_pref", Role.ENFORCEMENT_SUPERVISION, org=o["州司法局"])
    for key, basis in (
        ("都匀自然资源局", "《中华人民共和国土地管理法》第六十七条"),
        ("福泉公安局", "《中华人民共和国治安管理处罚法》第七条"),
    ):
        EnforcementBody.objects.create(organisation=o[key], legal_basis=basis, scope="行政处罚、行政强制")


def test_the_supervision_staff_import_the_exam_workbook_and_see_who_lapses(page: Page, world: World) -> None:
    bodies(world)
    today = timezone.localdate()
    soon, later = today + datetime.timedelta(days=12), today + datetime.timedelta(days=900)
    good = {
        "执法人员": [
            OFFICER_HEADERS,
            ["王强", "都匀市自然资源局", "52270100001", "行政执法证", today - datetime.timedelta(days=2000), soon, today - datetime.timedelta(days=300)],
            ["李明", "都匀市自然资源局", "52270100002", "行政执法证", today - datetime.timedelta(days=400), later, None],
            ["孙丽", "福泉市公安局", "52270200001", "行政执法监督证", today - datetime.timedelta(days=100), later, None],
        ],
        "培训考试": [TRAINING_HEADERS, ["52270100001", today.year, 62, today - datetime.timedelta(days=30), 88, "合格"],
                 ["52270100002", today.year, 40, today - datetime.timedelta(days=30), 55, "不合格"]],
    }  # fmt: skip
    bad = {name: [list(row) for row in rows] for name, rows in good.items()}
    bad["执法人员"][2][4] = "2023-02-30"
    bad["培训考试"][2][0] = "52279999999"

    login(page, "zfjd_pref")
    expect(page.get_by_role("heading", name="执法人员")).to_be_visible()  # their main page
    open_menu_page(page, "执法监督", "人员与培训导入")
    page.get_by_label("考试平台导出的工作簿").set_input_files(
        {"name": "考试平台导出.xlsx", "mimeType": XLSX, "buffer": workbook(bad).getvalue()}
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_test_id("import-refused")).to_contain_text("工作簿有 2 处错误，未导入任何数据")
    errors = page.get_by_test_id("import-error")
    expect(errors.nth(0)).to_contain_text("执法人员第 3 行发证日期日期不存在“2023-02-30”")
    expect(errors.nth(1)).to_contain_text("培训考试第 3 行执法证号“52279999999”不存在")
    screenshot(page, "enforcement-import-refused")
    assert not Officer.objects.exists()

    page.get_by_label("考试平台导出的工作簿").set_input_files(
        {"name": "考试平台导出.xlsx", "mimeType": XLSX, "buffer": workbook(good).getvalue()}
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("alert")).to_contain_text("新增执法人员 3 人")
    row = page.get_by_test_id("officer-row").filter(has_text="王强")
    expect(row.get_by_test_id("status")).to_contain_text("临期（12天后到期）")
    expect(page.get_by_test_id("officer-row")).to_have_count(3)
    screenshot(page, "enforcement-officers", docs=True)

    open_menu_page(page, "执法监督", "证件预警")
    expect(page.get_by_test_id("alert-row")).to_have_count(1)
    expect(page.get_by_test_id("alert-row")).to_contain_text("王强")
    expect(page.get_by_test_id("reason")).to_contain_text("临期：12天后到期")
    screenshot(page, "enforcement-alerts")


def test_a_citizen_checks_an_officers_certificate_without_logging_in(page: Page, world: World) -> None:
    bodies(world)
    today = timezone.localdate()
    add_officer(world, "都匀自然资源局", "王强", "52270100001", valid_to=today + datetime.timedelta(days=700))
    add_officer(world, "福泉公安局", "孙丽", "52270200001", valid_to=today - datetime.timedelta(days=3))

    page.goto(page.base_url + "/enforcement/check/")  # type: ignore[attr-defined]
    page.get_by_label("执法证号").fill("52270100001")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("lookup-verdict")).to_have_text("证件有效")
    expect(page.get_by_test_id("lookup-name")).to_have_text("王强")
    expect(page.get_by_test_id("lookup-body")).to_have_text("都匀市自然资源局")
    screenshot(page, "enforcement-lookup-valid", docs=True)

    page.get_by_label("执法证号").fill("52270200001")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("lookup-verdict")).to_have_text("证件无效")
    screenshot(page, "enforcement-lookup-lapsed")

    page.get_by_label("执法证号").fill("52270100009")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("lookup-unknown")).to_contain_text("未查到证号为“52270100009”的执法证件")
