"""A written-report duty through the browser (SPEC §4): the sweep opened one for 都匀市 (40% of its first-instance
cases lost) and reminded the county as the due date neared; the prefecture's 依法治办 sees it, the county
government's liaison uploads the report as a PDF, and the prefecture accepts it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.accountability.models import DutyState, ReportDuty
from fuyuan.accountability.workflow import chase_report_duties, open_report_duties
from fuyuan.core.models import Role
from tests.accountability.conftest import PDF, conclude
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def test_prefecture_sees_the_duty_the_county_uploads_a_pdf_and_the_prefecture_accepts(
    page: Page,
    world: World,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.DATA_DIR = tmp_path
    first_of_month = datetime.date.today().replace(day=1)
    o, r = world.orgs, world.regions
    make_user("gov_duyun", Role.AGENCY_LIAISON, org=make_org("都匀市人民政府", r["都匀市"]))
    conclude(o["都匀自然资源局"], lost=4, total=10, day=first_of_month)
    conclude(o["福泉公安局"], lost=1, total=8, day=first_of_month)
    (duty,) = open_report_duties()
    day_before = duty.due_on - datetime.timedelta(days=1)
    assert (
        chase_report_duties(timezone.make_aware(datetime.datetime.combine(day_before, datetime.time(10)))).warned == 1
    )
    report = tmp_path / "都匀市关于2026年度行政诉讼败诉情况的书面报告.pdf"
    report.write_bytes(PDF)

    login(page, "rol_pref")
    page.goto(page.base_url + "/accountability/")  # type: ignore[attr-defined]
    row = page.get_by_test_id("duty-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("都匀市")
    expect(row).to_contain_text("40.00%")
    expect(row).to_contain_text("待报告")
    logout(page)

    login(page, "gov_duyun")
    page.goto(page.base_url + f"/accountability/{duty.pk}/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("duty-figures")).to_contain_text("40.00%")
    expect(page.get_by_test_id("timeline")).to_contain_text(f"报告期限临近（{duty.due_on:%Y-%m-%d}），已提醒")
    page.get_by_label("书面报告").set_input_files(str(report))
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_role("alert").first).to_contain_text("已报送书面报告")
    expect(page.get_by_test_id("duty-state")).to_have_text("已报送待审核")
    logout(page)

    login(page, "rol_pref")
    page.goto(page.base_url + f"/accountability/{duty.pk}/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("report-link")).to_have_text(report.name)
    page.get_by_label("审核意见（可不填）").fill("检查深刻，整改措施具体，同意办结。")
    page.get_by_test_id("accept-report").click()
    expect(page.get_by_test_id("duty-state")).to_have_text("已办结")
    expect(page.get_by_test_id("timeline")).to_contain_text("审核通过书面报告")
    screenshot(page, "report-duty")

    assert ReportDuty.objects.get().state == DutyState.CLOSED
