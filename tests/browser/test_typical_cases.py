"""Typical cases through the browser (典型案例, 以案释法, SPEC §6.3): the prefecture's 依法治办 opens the quarter,
selects two cases by 案号, completes them and issues the compilation; an agency opens it from its list; the office
sees the agency's read receipt."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.accountability.test_typical_workflow import make_typical_world
from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_issues_two_cases_and_sees_the_agency_read_them(
    page: Page,
    world: World,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.DATA_DIR = tmp_path
    t = make_typical_world(world)  # opens 2026 Q1 as a draft
    base = page.base_url  # type: ignore[attr-defined]

    login(page, "rol_pref")
    page.goto(base + "/accountability/typical/")
    page.get_by_label("年度").fill("2026")
    page.get_by_label("季度").select_option("1")
    page.get_by_role("button", name="编辑黔南州本季度典型案例").click()
    expect(page.get_by_role("heading", name="黔南州2026年第一季度行政诉讼典型案例汇编")).to_be_visible()

    for number in ("（2026）黔2701行初45号", "（2026）黔2702行初8号"):
        page.get_by_label("案号").fill(number)
        page.get_by_role("button", name="检索").click()
        candidates = page.get_by_test_id("candidates")
        expect(candidates).to_contain_text(number)
        candidates.get_by_role("button", name="选定").click()
        expect(page.get_by_text(f"已选定{number}")).to_be_visible()

    cases = page.get_by_test_id("typical-case")
    expect(cases).to_have_count(2)
    expect(cases.nth(0)).to_contain_text("未履行听证告知程序")  # the court's 点评, prefilled

    lessons = ["征收前必须依法公告补偿方案，听取被征收人意见。", "程序合法、证据充分是行政机关胜诉的根本。"]
    for i, lesson in enumerate(lessons):
        card = cases.nth(i)
        page.wait_for_load_state("load")  # the 编辑 button opens its form by Bootstrap's (deferred) script
        card.get_by_role("button", name="编辑").click()
        form = card.get_by_test_id("edit-form")
        expect(form).to_be_visible()
        if i == 1:
            form.get_by_label("败诉原因/争议焦点").fill("公安机关作出处罚前是否履行告知程序。")
        form.get_by_label("启示").fill(lesson)
        with page.expect_navigation():  # the save posts the form and comes back to the page (slow on a busy machine)
            form.get_by_role("button", name="保存").click()
        expect(page.get_by_text("已保存")).to_be_visible(timeout=15000)

    page.get_by_label("案号").fill("行初")
    page.get_by_role("button", name="检索").click()
    screenshot(page, "typical-cases-draft")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("compilation-state")).to_have_text("已印发")
    expect(page.get_by_test_id("receipts")).to_contain_text("未读")

    login(page, "agency_duyun")
    page.goto(base + "/accountability/typical/")
    row = page.get_by_test_id("compilation-row")
    expect(row).to_contain_text("未读")
    row.get_by_role("link", name="2026年第一季度行政诉讼典型案例汇编").click()
    expect(page.get_by_test_id("typical-case")).to_have_count(2)
    expect(page.get_by_test_id("receipts")).to_have_count(0)

    login(page, "rol_pref")
    page.goto(base + f"/accountability/typical/{t.compilation.pk}/")
    receipts = page.get_by_test_id("receipts")
    expect(receipts.get_by_test_id("receipt").filter(has_text="都匀市自然资源局")).to_contain_text("已阅")
    expect(receipts.get_by_test_id("receipt").filter(has_text="福泉市公安局")).to_contain_text("未读")
    expect(page.get_by_text("已阅 1/3")).to_be_visible()
    screenshot(page, "typical-cases")
