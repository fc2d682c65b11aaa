"""The case export: the filtered list as a ledger workbook, named with the date, in bounded queries."""

import io
from typing import Any

from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.ledger import LITIGATION_COLUMNS, LITIGATION_SHEET, RECONSIDERATION_SHEET
from tests.factories import PASSWORD, World, make_case


def export(client: Client, persona: str, query: str = "") -> Any:
    assert client.login(username=persona, password=PASSWORD)
    return client.get("/cases/export.xlsx" + query)


def test_the_export_is_named_with_todays_date_in_an_rfc5987_filename(client: Client, world: World) -> None:
    response = export(client, "rol_pref")

    today = f"{timezone.localdate():%Y%m%d}"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f"filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%8F%B0%E8%B4%A6-{today}.xlsx" in response["Content-Disposition"]


def test_a_user_who_sees_no_cases_gets_both_sheets_with_headers_only(client: Client, world: World) -> None:
    make_case(defendant=world.orgs["都匀自然资源局"], number="都匀1")

    workbook = load_workbook(io.BytesIO(export(client, "agency_fuquan").content))

    assert workbook.sheetnames == [LITIGATION_SHEET, RECONSIDERATION_SHEET]
    rows = list(workbook[LITIGATION_SHEET].iter_rows(values_only=True))
    assert rows == [tuple(c.header for c in LITIGATION_COLUMNS)]


def test_the_export_query_count_does_not_grow_with_the_number_of_cases(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        make_case(defendant=world.orgs["都匀自然资源局"], number=f"都匀{n}")
        make_case(CaseKind.RECONSIDERATION, defendant=world.orgs["福泉公安局"], number=f"福泉复{n}")
    assert client.login(username="rol_pref", password=PASSWORD)

    with django_assert_max_num_queries(12):
        response = client.get("/cases/export.xlsx")

    sheet = load_workbook(io.BytesIO(response.content))[LITIGATION_SHEET]
    assert sheet.max_row == 31
