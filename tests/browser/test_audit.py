"""The audit log through the browser: an agency's liaison opens a case file; the audit administrator logs in with
the second factor, finds that read by the liaison's name, opens the record, checks the chain and exports the search."""

from io import BytesIO
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from fuyuan.audit.models import AuditKind, AuditRecord
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_administrator_finds_a_case_read_and_exports_it(page: Page, world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])
    base = page.base_url  # type: ignore[attr-defined]
    device = TOTPDevice.objects.create(user=world.users["auditadmin"], name="身份验证器", confirmed=True)

    login(page, "agency_duyun")
    page.goto(base + f"/cases/{case.pk}/")
    expect(page.get_by_text(case.number).first).to_be_visible()
    page.get_by_role("button", name="退出").click()

    login(page, "auditadmin")
    page.get_by_label("6 位动态验证码").fill(totp_code(device))
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("heading", name="动态验证码")).not_to_be_visible()
    page.goto(base + "/audit/")
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(page.get_by_test_id("retention")).to_contain_text("保存不少于 183 天")

    page.get_by_label("账号").fill("agency_duyun")
    page.get_by_label("类别").select_option(label="查阅")
    page.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("audit-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"查阅案件 {case.number}")
    expect(rows.first).to_contain_text("机关联络员")
    expect(rows.first).to_contain_text("127.0.0.1")

    page.get_by_test_id("verify").click()
    expect(page.get_by_role("alert").first).to_contain_text("哈希链校验通过")
    page.get_by_label("账号").fill("agency_duyun")
    page.get_by_label("类别").select_option(label="查阅")
    page.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(1)
    screenshot(page, "audit-log")

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    expect(page.get_by_test_id("export-progress")).to_contain_text("导出完成：共 1 条审计记录")
    sheet = load_workbook(BytesIO(Path(download.path()).read_bytes())).active
    exported = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(r[2], r[3], r[10]) for r in exported] == [("查阅", "agency_duyun", f"查阅案件 {case.number}")]
    assert AuditRecord.objects.filter(kind=AuditKind.EXPORT, username="auditadmin").exists()

    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("record-fields")).to_contain_text("agency_duyun")
    expect(page.get_by_test_id("record-detail-fields")).to_contain_text("cases:detail")
    screenshot(page, "audit-record")
