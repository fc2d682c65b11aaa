"""The legality review through the browser (SPEC §6.6): an agency sends a normative document from 合法性审查, the
司法局's reviewer takes it from the queue and gives the opinion 修改后合法, and the agency downloads the opinion and
reports it followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, open_menu_page, screenshot
from tests.factories import World
from tests.legalreview.conftest import add_reviewers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agency_sends_a_normative_document_the_reviewer_answers_and_the_agency_follows_it(
    page: Page,
    world: World,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.DATA_DIR = tmp_path
    add_reviewers(world)

    # The agency sends the draft from the menu.
    login(page, "agency_duyun")
    open_menu_page(page, "依法决策", "合法性审查")
    page.get_by_test_id("submit-link").click()
    page.get_by_label("事项类别").select_option(label="规范性文件")
    page.get_by_label("事项名称").fill("都匀市城市绿化管理办法（送审稿）")
    page.get_by_label("送审内容").fill("第一条 为加强城市绿化管理，制定本办法。\n第五条 违反本办法的，处五万元罚款。")
    screenshot(page, "legalreview-submit")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_role("alert")).to_contain_text("已报送都匀市司法局审查，审查期限至")
    expect(page.get_by_test_id("matter-state")).to_have_text("待分办")

    # The reviewer finds it in the queue, takes it and gives the opinion.
    login(page, "review_duyun")
    open_menu_page(page, "依法决策", "合法性审查")
    row = page.get_by_test_id("matter-row").filter(has_text="都匀市城市绿化管理办法")
    expect(row).to_contain_text("待分办")
    screenshot(page, "legalreview-queue")
    row.get_by_role("link", name="都匀市城市绿化管理办法（送审稿）").click()
    page.get_by_label("承办人").select_option(label="review_duyun")
    page.get_by_role("button", name="分办").click()
    expect(page.get_by_role("alert")).to_contain_text("已分办")
    page.get_by_label("修改后合法").check()
    page.get_by_label("审查意见").fill(
        "（一）第五条罚款超出上位法规定的幅度，应予修改。\n（二）应增加听取公众意见的程序。"
    )
    page.get_by_role("button", name="出具审查意见").click()
    expect(page.get_by_role("alert")).to_contain_text("已出具审查意见")
    expect(page.get_by_test_id("conclusion")).to_have_text("修改后合法")

    # The agency downloads the opinion and reports it followed.
    login(page, "agency_duyun")
    open_menu_page(page, "依法决策", "合法性审查")
    page.get_by_role("link", name="都匀市城市绿化管理办法（送审稿）").click()
    with page.expect_download() as download:
        page.get_by_test_id("opinion-docx").click()
    assert download.value.suggested_filename.startswith("合法性审查意见书")
    page.get_by_label("采纳", exact=True).check()
    page.get_by_role("button", name="反馈采纳情况").click()
    expect(page.get_by_role("alert")).to_contain_text("已反馈采纳情况")
    expect(page.get_by_test_id("adoption")).to_have_text("采纳")
    expect(page.get_by_test_id("timeline")).to_contain_text("送审单位反馈：采纳")
    screenshot(page, "legalreview-matter", docs=True)

    # The figures count it: one received, one opinion, on time, followed; the number opens the matter.
    open_menu_page(page, "依法决策", "合法性审查")
    page.get_by_test_id("figures-link").click()
    row = page.get_by_test_id("figure-row").filter(has_text="都匀市自然资源局")
    expect(row).to_contain_text("100.00%")
    screenshot(page, "legalreview-figures")
    row.get_by_test_id("cell-followed").click()
    expect(page.get_by_test_id("figure-caption")).to_contain_text("采纳（含部分采纳）")
    expect(page.get_by_test_id("matter-row")).to_have_count(1)
