"""Bad input to the ledger import (issue 7, "a bad-input run"): malformed workbooks built by hypothesis are fed to
``plan_import``/``apply_import`` and to the web upload (``/cases/import/`` as a 依法治办 user).

The import may only answer in its documented ways (SPEC §9): a ``LedgerFileError`` for a file it cannot read or a
workbook without a known sheet, a plan listing every error as "sheet, row N, column: reason", or a whole import. Never
another exception, never a server error, and nothing written unless the whole ledger was accepted.

Bounded and derandomized so that CI sees the same examples every run (``max_examples``, ``deadline=None``).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fuyuan.cases.ledger import LedgerFileError, apply_import, plan_import
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, Organisation, Region
from fuyuan.core.timeline import Actor
from tests.cases.ledgers import (
    LITIGATION_HEADERS,
    RECONSIDERATION_HEADERS,
    litigation_row,
    reconsideration_row,
)
from tests.factories import World

BOUNDED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
SHEET_NAMES = ["行政诉讼", "行政复议", "Sheet", "行政诉讼 ", "诉讼", "行政复议(2)", "xingzheng"]
TRICKY_TEXT = [
    "一审", "二审", "三审", "是", "否", "也许", "受理", "不予受理", "审查中", "撤销", "维持", "调解", "和解",
    "驳回诉讼请求", "未知结案方式", "都匀市", "福泉市", "黔南州", "安阳市", "不存在县", "都匀市人民法院",
    "都匀市自然资源局", "福泉市公安局", "黔南州司法局", "安阳市中级人民法院",
    "2021-03-05", "2021/3/5", "2021.3.5", "2021年3月5日", "2021-02-30", "2021年13月1日", "0000-00-00",
    "9999-12-31", "2021-3", "=1/0", "=SUM(A1:A3)", '=HYPERLINK("http://example.invalid","x")', "=A2",
    " ", "\u3000", "#N/A", "NULL", "'; DROP TABLE cases_case; --", "<script>x</script>",
    "案" * 300, "x" * 40_000,
]  # fmt: skip
# openpyxl refuses the C0 control characters a worksheet cannot hold; everything else is fair game.
TEXT = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(TRICKY_TEXT),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.times(),
)


def counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), Region.objects.count(), Organisation.objects.count(), Event.objects.count()


def to_bytes(workbook: Workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@st.composite
def sheets(draw: st.DrawFn, name: str, headers: list[str], base_row: Callable[[str], dict[str, Any]]) -> Any:
    """A sheet: the real headers shuffled, dropped, duplicated or joined by junk; rows that start valid and then have
    some cells replaced by anything; empty rows; a merged range."""
    chosen = draw(st.lists(st.sampled_from(headers), max_size=len(headers) + 3))
    if draw(st.booleans()):
        chosen = list(headers)
    chosen += draw(st.lists(st.one_of(TEXT, st.none(), st.integers()), max_size=2))
    rows = []
    for n in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 5)) == 0:
            rows.append([None] * len(chosen))
            continue
        valid = base_row(f"（2021）黔27行初F{draw(st.integers(1, 40))}号-{n}")
        row = [valid.get(h) if isinstance(h, str) else None for h in chosen]
        for _ in range(draw(st.integers(0, 3))):
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
        rows.append(row)
    merge = draw(st.one_of(st.none(), st.sampled_from(["A1:B1", "A2:C3", "B2:B4", "A1:A3"])))
    return name, chosen, rows, merge


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A malformed ledger, as bytes: a workbook with odd sheets, or bytes that are not (quite) a workbook."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    used: set[str] = set()
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(SHEET_NAMES))
        if name in used:
            continue
        used.add(name)
        is_litigation = "复议" not in name
        headers = LITIGATION_HEADERS if is_litigation else RECONSIDERATION_HEADERS
        base = litigation_row if is_litigation else reconsideration_row
        title, chosen, rows, merge = draw(sheets(name, headers, base))
        sheet = workbook.create_sheet(title)
        sheet.append(chosen)
        for row in rows:
            sheet.append(row)
        if merge:
            sheet.merge_cells(merge)
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    data = to_bytes(workbook)
    damage = draw(st.sampled_from(["none", "none", "none", "truncate", "flip", "garbage", "member"]))
    # A saved workbook holds the time it was written, so its length varies between runs: draw a position, then fit it.
    if damage == "truncate":
        return data[: draw(st.integers(0, 2**20)) % len(data)]
    if damage == "flip":
        at = draw(st.integers(0, 2**20)) % len(data)
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    if damage == "garbage":
        return draw(st.binary(max_size=4000))
    if damage == "member":
        return replace_member(data, "xl/worksheets/sheet1.xml", draw(st.binary(max_size=200)))
    return data


def replace_member(data: bytes, member: str, content: bytes) -> bytes:
    """The workbook with one of its zip members replaced (a sheet whose XML is broken)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == member else source.read(item))
    return out.getvalue()


def import_or_refuse(data: bytes) -> str:
    """Run the import on ``data`` as the command does; say how it answered. Fails on any undocumented answer."""
    before = counts()
    try:
        plan = plan_import(io.BytesIO(data), root="黔南州")
    except LedgerFileError as exc:
        assert str(exc), "无法读取的文件必须有说明"
        assert counts() == before
        return "refused file"
    assert counts() == before, "检查台账时不得写入任何数据"
    if not plan.ok:
        for error in plan.errors:
            assert error.sheet and error.row >= 1 and error.column and error.reason, str(error)
        with pytest.raises(ValueError):
            apply_import(plan, by=Actor(label="模糊测试"))
        assert counts() == before, "被拒绝的台账不得留下任何数据"
        return "refused rows"
    apply_import(plan, by=Actor(label="模糊测试"))
    numbers = {r.number for r in plan.rows}
    assert Case.objects.filter(number__in=numbers).count() == len(numbers)
    return "imported"


@BOUNDED
@given(data=workbooks())
def test_a_malformed_ledger_is_refused_with_reasons_or_imported_whole(world: World, data: bytes) -> None:
    event(import_or_refuse(data))


def workbook_with(sheet: str, headers: list[Any], rows: list[list[Any]], merge: str | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    ws = workbook.create_sheet(sheet)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    return to_bytes(workbook)


def row_of(headers: list[str], **cells: Any) -> list[Any]:
    values = litigation_row("（2021）黔27行初K1号", **cells)
    return [values.get(h) for h in headers]


H = LITIGATION_HEADERS
VALID = workbook_with("行政诉讼", H, [row_of(H)])
NAMED_CASES: dict[str, tuple[bytes, str]] = {
    "不是 xlsx 的字节": (b"%PDF-1.7 not a workbook", "refused file"),
    "空文件": (b"", "refused file"),
    "截断的 zip": (VALID[: len(VALID) // 2], "refused file"),
    "工作表 XML 损坏": (replace_member(VALID, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>"), "refused file"),
    "工作表名称不对": (workbook_with("Sheet1", H, [row_of(H)]), "refused file"),
    "缺少必填列": (workbook_with("行政诉讼", H[1:], [row_of(H)[1:]]), "refused rows"),
    "重复的表头": (workbook_with("行政诉讼", [*H, "案号"], [[*row_of(H), "（2021）黔27行初K2号"]]), "imported"),
    "不可能的日期": (workbook_with("行政诉讼", H, [row_of(H, 立案日期="2021-02-30")]), "refused rows"),
    "日期列里的数字": (workbook_with("行政诉讼", H, [row_of(H, 立案日期=12345678901)]), "refused rows"),
    "未知的结案方式": (workbook_with("行政诉讼", H, [row_of(H, 结案日期="2021-05-01", 结案方式="胜诉")]), "refused rows"),
    "公式": (workbook_with("行政诉讼", H, [row_of(H, 原告="=1/0", 被告="=A1")]), "refused rows"),
    "超长文字": (workbook_with("行政诉讼", H, [row_of(H, 案号="案" * 5000)]), "refused rows"),
    "合并单元格": (workbook_with("行政诉讼", H, [row_of(H), row_of(H, 案号="K3")], merge="A2:A3"), "refused rows"),
    "只有空行": (workbook_with("行政诉讼", H, [[None] * len(H), [" "] * len(H)]), "imported"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(NAMED_CASES))
def test_each_kind_of_bad_ledger_gets_its_documented_answer(world: World, name: str) -> None:
    data, expected = NAMED_CASES[name]
    assert import_or_refuse(data) == expected


@settings(BOUNDED, max_examples=60)
@given(data=workbooks())
def test_the_web_upload_never_fails_on_a_malformed_ledger_and_writes_nothing_it_refused(
    world: World, data: bytes
) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])
    before = counts()
    upload = io.BytesIO(data)
    upload.name = "台账.xlsx"
    response = client.post("/cases/import/", {"ledger": upload})
    assert response.status_code == 200
    token = client.session.get("ledger_import_token")
    assert counts() == before, "预览不得写入任何数据"
    if token is None:
        return
    confirmed = client.post("/cases/import/", {"confirm": "1", "token": token})
    assert confirmed.status_code in (200, 302)
    if confirmed.status_code == 200:
        assert counts() == before
