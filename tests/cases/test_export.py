"""The case export: the filtered list as a ledger workbook, named with the date, in bounded queries."""

import datetime
import io
from typing import Any

from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.ledger import LITIGATION_COLUMNS, LITIGATION_SHEET, RECONSIDERATION_SHEET
from fuyuan.cases.models import Case
from tests.factories import PASSWORD, World, make_case

LITIGATION_HEADERS = [c.header for c in LITIGATION_COLUMNS]


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

    workbook = load_workbook(io.BytesIO(export(client, "agency_fuquan").getvalue()))

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
        body = client.get("/cases/export.xlsx").getvalue()

    sheet = load_workbook(io.BytesIO(body))[LITIGATION_SHEET]
    assert sheet.max_row == 31


def test_the_export_is_streamed_and_its_first_bytes_leave_before_any_case_is_read(client: Client, world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], number="都匀0")
    copies = []
    for n in range(1, 2500):
        copy = Case.objects.get(pk=case.pk)
        copy.pk, copy.number = None, f"都匀{n}"
        copies.append(copy)
    Case.objects.bulk_create(copies)

    response = export(client, "rol_pref")
    assert isinstance(response, StreamingHttpResponse)
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(pieces)
    assert first.startswith(b"PK") and not [q for q in queries if "cases_case" in q["sql"]]
    rest = list(pieces)

    assert len(rest) > 3  # the rows arrive in pieces, not as one block at the end
    sheet = load_workbook(io.BytesIO(first + b"".join(rest)), read_only=True)[LITIGATION_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2500 and {row[0] for row in rows} == {f"都匀{n}" for n in range(2500)}
    assert rows[0][LITIGATION_HEADERS.index("立案日期")] == datetime.datetime.combine(case.filed_on, datetime.time())
