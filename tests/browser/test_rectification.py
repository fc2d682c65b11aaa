"""The 销账本 through the browser (SPEC §6.5): the court registers a 司法建议书 with two items, the agency reports
on both, the court verifies both, and the recommendation is 已销账."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_judicial_recommendation_is_registered_rectified_verified_and_closed(
    page: Page, world: World, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    document = tmp_path / "都匀法院司法建议书.pdf"
    document.write_bytes(PDF)
    issued = timezone.localdate() - datetime.timedelta(days=3)

    # The court registers the document with two items.
    login(page, "court_duyun")
    page.goto(page.base_url + "/rectification/")  # type: ignore[attr-defined]
    page.get_by_test_id("register-link").click()
    page.get_by_label("文书类别").select_option(label="司法建议书")
    page.get_by_label("文号").fill("（2026）黔2701司建7号")
    page.get_by_label("被建议单位").select_option(label="都匀市自然资源局")
    page.get_by_label("发出日期").fill(issued.isoformat())
    page.get_by_label("文书扫描件").set_input_files(str(document))
    page.get_by_label("主要内容").fill("审理征收补偿案件中发现补偿程序不规范、举证不及时")
    page.get_by_label("整改事项").nth(0).fill("规范征收补偿公告和听证程序")
    page.get_by_test_id("add-item").click()
    page.get_by_label("整改事项").nth(1).fill("建立行政应诉举证期限台账，按期提交证据")
    page.get_by_test_id("register").click()
    expect(page.get_by_text("已登记司法建议书（（2026）黔2701司建7号），已通知责任单位")).to_be_visible()
    expect(page.get_by_test_id("item")).to_have_count(2)
    expect(page.get_by_test_id("rec-state")).to_have_text("整改中")

    # The agency reports on both items.
    login(page, "agency_duyun")
    page.goto(page.base_url + "/rectification/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="（2026）黔2701司建7号").click()
    for n, text in enumerate(["已修订征收补偿工作规程并公开", "已建立举证期限台账，由法规科每周核对"]):
        item = page.get_by_test_id("item").nth(n)
        item.get_by_label("整改情况").fill(text)
        item.get_by_test_id("report-item").click()
        expect(page.get_by_text(f"已报送第{n + 1}项的整改情况，等待核验")).to_be_visible()
    expect(page.get_by_test_id("item-state")).to_have_text(["已报送整改情况", "已报送整改情况"])

    # The court verifies both: 已销账.
    login(page, "court_duyun")
    page.goto(page.base_url + "/rectification/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="（2026）黔2701司建7号").click()
    page.get_by_test_id("item").nth(0).get_by_test_id("verify-item").click()
    expect(page.get_by_role("alert")).to_contain_text("第1项核验通过")
    page.get_by_test_id("item").nth(1).get_by_test_id("verify-item").click()
    expect(page.get_by_role("alert")).to_contain_text("第2项核验通过；全部事项已核验，已销账")
    expect(page.get_by_test_id("rec-state")).to_have_text("已销账")
    expect(page.get_by_test_id("timeline")).to_contain_text("全部整改事项核验通过，已销账")
    screenshot(page, "rectification")
    page.goto(page.base_url + "/rectification/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("count-closed")).to_have_text("1")
    screenshot(page, "rectification-ledger")
