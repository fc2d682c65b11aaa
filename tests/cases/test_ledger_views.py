"""The ledger pages: web import (upload → preview → confirm), the template and the export."""

import io
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.ledger import LITIGATION_COLUMNS, RECONSIDERATION_COLUMNS
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, Organisation, Region
from tests.cases.ledgers import litigation_row, reconsideration_row, write_workbook
from tests.factories import PASSWORD, World, make_case


def logged_in(client: Client, persona: str) -> Client:
    assert client.login(username=persona, password=PASSWORD)
    return client


def upload(client: Client, path: Path) -> str:
    with path.open("rb") as f:
        return client.post("/cases/import/", {"ledger": f}).content.decode()


def test_the_preview_lists_every_error_and_writes_nothing(client: Client, world: World, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("A1"), litigation_row("A2", 立案日期="2021-13-01")])

    page = upload(logged_in(client, "rol_pref"), path)

    assert "有 1 处错误，未导入任何数据" in page
    assert (
        '<td class="text-nowrap px-2">3</td><td class="text-nowrap">立案日期</td><td class="pe-3">日期不存在“2021-13-01”</td>'
        in page
    )
    assert not Case.objects.exists()


def test_a_checked_ledger_is_imported_on_confirmation(client: Client, world: World, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx", [litigation_row("A1", 被告="都匀市城市管理局")], [reconsideration_row("R1")]
    )
    logged_in(client, "rol_pref")

    page = upload(client, path)
    assert "行政诉讼：将新增 1 件" in page
    assert not Case.objects.exists()
    token = client.session["ledger_import_token"]
    response = client.post("/cases/import/", {"confirm": "1", "token": token}, follow=True)

    assert set(Case.objects.values_list("number", flat=True)) == {"A1", "R1"}
    assert "台账已导入" in response.content.decode()
    event = Event.objects.filter(summary="台账导入登记 A1").get()
    assert event.actor == world.users["rol_pref"]
    second = client.post("/cases/import/", {"confirm": "1", "token": token}, follow=True)
    assert "导入已过期或已完成" in second.content.decode()
    assert Case.objects.count() == 2


def test_a_county_office_cannot_import_rows_of_another_county(client: Client, world: World, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx", [litigation_row("A1"), litigation_row("A2", 被告="福泉市公安局", 被告所属地区="福泉市")]
    )

    page = upload(logged_in(client, "rol_duyun"), path)

    assert "地区“福泉市”超出您的管辖范围" in page
    assert not Case.objects.exists()


def test_new_regions_of_a_web_import_are_created_under_the_users_region(
    client: Client, world: World, tmp_path: Path
) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx", [litigation_row("A1", 被告="荔波县林业局", 被告所属地区="荔波县", 法院="荔波县人民法院")]
    )
    logged_in(client, "rol_pref")
    page = upload(client, path)
    assert 'name="new_region" value="荔波县"' in page and "出现在行政诉讼第 2 行" in page

    client.post(
        "/cases/import/", {"confirm": "1", "token": client.session["ledger_import_token"], "new_region": ["荔波县"]}
    )

    case = Case.objects.get()
    assert case.region.name == "荔波县"
    assert case.region.parent == world.regions["黔南州"]


def test_a_new_region_not_ticked_is_not_created_and_nothing_is_imported(
    client: Client, world: World, tmp_path: Path
) -> None:
    rows = [
        litigation_row("A1", 被告="荔波县林业局", 被告所属地区="荔波县", 法院="荔波县人民法院"),
        litigation_row("A2", 被告="都云市林业局", 被告所属地区="都云市"),
        litigation_row("A3"),
    ]
    path = write_workbook(tmp_path / "l.xlsx", rows)
    logged_in(client, "rol_pref")
    page = upload(client, path)
    # The typo is named with the region it resembles, for the person who made it to catch.
    assert "确认新建地区“<strong>都云市</strong>”" in page
    assert "已有相近的地区：<strong>都匀市</strong>" in page
    regions = Region.objects.count()

    response = client.post(
        "/cases/import/", {"confirm": "1", "token": client.session["ledger_import_token"], "new_region": ["荔波县"]}
    )

    page = response.content.decode()
    assert "以下新地区未勾选确认，未导入任何数据：都云市" in page
    assert not Case.objects.exists() and Region.objects.count() == regions
    assert not Organisation.objects.filter(name__in=["荔波县林业局", "都云市林业局"]).exists()
    # Confirming it afterwards still works from the same page.
    assert 'name="token"' in page
    client.post(
        "/cases/import/",
        {"confirm": "1", "token": client.session["ledger_import_token"], "new_region": ["荔波县", "都云市"]},
    )
    assert Case.objects.count() == 3 and Region.objects.filter(name="都云市").exists()


@pytest.mark.parametrize("persona", ["agency_duyun", "court_duyun", "recon_pref", "leader_pref", "sysadmin"])
def test_only_the_rule_of_law_office_imports(client: Client, world: World, persona: str) -> None:
    response = logged_in(client, persona).get("/cases/import/")

    assert response.status_code == 403
    assert "台账导入由依法治办办理" in response.content.decode()


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(client: Client, world: World, tmp_path: Path) -> None:
    bad = tmp_path / "ledger.csv"
    bad.write_text("案号,法院")
    broken = tmp_path / "broken.xlsx"
    broken.write_text("garbage")
    logged_in(client, "rol_pref")

    assert "不是 Excel 工作簿：请上传 .xlsx 文件" in upload(client, bad)
    assert "无法读取该文件" in upload(client, broken)


def test_the_template_has_both_sheets_with_the_exact_headers(client: Client, world: World) -> None:
    response = logged_in(client, "rol_pref").get("/cases/import/template.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["行政诉讼", "行政复议", "填写说明"]
    assert [c.value for c in workbook["行政诉讼"][1]] == [c.header for c in LITIGATION_COLUMNS]
    assert [c.value for c in workbook["行政复议"][1]] == [c.header for c in RECONSIDERATION_COLUMNS]


def export_numbers(client: Client, query: str = "") -> set[str]:
    response = client.get("/cases/export.xlsx" + query)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return {
        row[0] for name in ("行政诉讼", "行政复议") for row in workbook[name].iter_rows(min_row=2, values_only=True)
    }


def test_an_export_holds_only_the_cases_the_user_can_see(client: Client, world: World) -> None:
    make_case(defendant=world.orgs["都匀自然资源局"], number="都匀1")
    make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"], number="福泉1")
    make_case(CaseKind.RECONSIDERATION, defendant=world.orgs["福泉公安局"], number="福泉复1")

    assert export_numbers(logged_in(client, "agency_fuquan")) == {"福泉1", "福泉复1"}


def test_an_exported_ledger_imports_again_without_any_change(client: Client, world: World, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx",
        [
            litigation_row(
                "A1",
                原告="张三",
                案由="行政许可",
                开庭日期="2021-04-01",
                负责人出庭="否",
                结案日期="2021-05-01",
                结案方式="撤诉",
            )
        ],
        [reconsideration_row("R1", 受理日期="2021-02-02", 结案日期="2021-03-01", 结案方式="变更", 领域="公安")],
    )
    logged_in(client, "rol_pref")
    upload(client, path)
    client.post("/cases/import/", {"confirm": "1", "token": client.session["ledger_import_token"]})
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(client.get("/cases/export.xlsx").getvalue())

    page = upload(client, exported)

    assert "行政诉讼：将新增 0 件，将更新 0 件，未变 1 件" in page
    client.post("/cases/import/", {"confirm": "1", "token": client.session["ledger_import_token"]}, follow=True)
    assert Event.objects.filter(summary="台账导入更新").count() == 0
