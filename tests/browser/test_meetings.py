"""A joint meeting through the browser (SPEC §6.9): the 依法治办 of 都匀市 sets up its 府院联席会议办公室, adds a member
unit with its liaison, records its meeting with two decisions and downloads the figures pack; the 自然资源局's liaison finds its task under 联席会议 and reports it done; the office
confirms it on the meeting's page."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from fuyuan.core.models import OrganisationKind
from tests.browser.conftest import login, open_linkage_page, screenshot
from tests.factories import World, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_records_a_meeting_downloads_its_pack_and_the_agency_reports_its_task(
    page: Page, world: World, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    make_org("都匀市人民政府", world.regions["都匀市"], OrganisationKind.OTHER)
    today = timezone.localdate()
    held, first_due, second_due = (today + datetime.timedelta(days=n) for n in (-3, 10, 20))

    # The 依法治办 sets up the office and adds a member unit with its liaison.
    login(page, "rol_duyun")
    open_linkage_page(page, "联席会议")
    page.get_by_test_id("open-office").click()
    expect(page.get_by_role("alert")).to_contain_text("已设立都匀市府院联席会议办公室")
    page.get_by_label("身份").select_option(label="成员单位")
    page.locator("#id_organisation").select_option(label="都匀市自然资源局")
    page.get_by_label("联络员").select_option(label="agency_duyun（都匀市自然资源局）")
    page.get_by_label("任职起始日").fill(f"{today.year}-01-01")
    page.get_by_test_id("add-member").click()
    expect(page.get_by_test_id("member-row")).to_contain_text(["成员单位都匀市自然资源局"])
    screenshot(page, "meetings-office")

    # It records the meeting with its two decisions.
    page.get_by_role("link", name="登记会议").click()
    page.get_by_label("会议类别").select_option(label="年度联席会议")
    page.get_by_label("会议名称").fill("2026年度府院联席会议")
    page.get_by_label("会议日期").fill(held.isoformat())
    page.get_by_label("会议地点").fill("都匀市人民政府三楼会议室")
    page.get_by_label("议题").fill("通报全年行政诉讼和行政复议数据\n研判征地拆迁领域败诉原因")
    page.get_by_label("会议纪要").fill("会议通报了全年数据，研究了征地拆迁领域败诉原因，议定两项事项。")
    people = page.get_by_test_id("person-row")
    for n, (name, post, unit) in enumerate(
        [("李副市长", "副市长", "都匀市人民政府"), ("赵院长", "院长", "都匀市人民法院")]
    ):
        people.nth(n).get_by_label("参会人员姓名").fill(name)
        people.nth(n).get_by_label("参会人员职务").fill(post)
        people.nth(n).get_by_label("代表单位").select_option(label=unit)
    rows = page.get_by_test_id("decision-row")
    rows.nth(0).get_by_label("议定事项").fill("规范征收补偿程序，开展全局执法案卷自查")
    rows.nth(0).get_by_label("牵头单位").select_option(label="都匀市自然资源局")
    rows.nth(0).get_by_label("办结期限").fill(first_due.isoformat())
    rows.nth(1).get_by_label("议定事项").fill("向市政府通报征地拆迁类案件审理中发现的共性问题")
    rows.nth(1).get_by_label("牵头单位").select_option(label="都匀市人民法院")
    rows.nth(1).get_by_label("办结期限").fill(second_due.isoformat())
    page.get_by_test_id("record-meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记“2026年度府院联席会议”，议定事项 2 项已通知牵头单位")
    expect(page.get_by_test_id("decision-state")).to_have_text(["办理中", "办理中"])
    expect(page.get_by_test_id("agenda")).to_contain_text("研判征地拆迁领域败诉原因")
    expect(page.get_by_test_id("participants")).to_contain_text("赵院长")

    with page.expect_download() as download_info:
        page.get_by_test_id("pack-link").click()
    download = download_info.value
    assert download.suggested_filename == f"{held:%Y%m%d}2026年度府院联席会议会议材料.docx"
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert "府院联动工作数据" in [p.text for p in doc.paragraphs]
    screenshot(page, "meetings-detail", docs=True)
    meeting_url = page.url

    # The agency's liaison finds its task and reports it done.
    login(page, "agency_duyun")
    open_linkage_page(page, "联席会议")
    expect(page.get_by_test_id("task-row")).to_have_count(1)
    expect(page.get_by_test_id("task-row")).to_contain_text("规范征收补偿程序")
    screenshot(page, "meetings-mine")
    page.get_by_test_id("open-task").click()
    expect(page.get_by_test_id("decision")).to_have_count(1)  # its own unit's decision only
    page.get_by_label("办理情况").fill("已完成全局执法案卷自查，修订征收补偿工作规程")
    page.get_by_test_id("report-decision").click()
    expect(page.get_by_role("alert")).to_contain_text("已报告第1项议定事项办结，等待联席办确认")
    expect(page.get_by_test_id("decision-state")).to_have_text("已报告办结")

    # The office confirms it: done, and no longer in the agency's tasks.
    login(page, "rol_duyun")
    page.goto(meeting_url)
    page.get_by_test_id("confirm-decision").click()
    expect(page.get_by_role("alert")).to_contain_text("第1项议定事项已确认办结")
    expect(page.get_by_test_id("decision-state")).to_have_text(["已确认办结", "办理中"])
    expect(page.get_by_test_id("timeline")).to_contain_text("都匀市自然资源局报告第1项议定事项办结")
    screenshot(page, "meetings-detail-done")
    open_linkage_page(page, "联席会议")
    screenshot(page, "meetings-list")
