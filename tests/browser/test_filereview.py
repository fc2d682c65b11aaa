"""Enforcement supervision through the browser (SPEC §6.7): the 特邀执法监督员 scores the file assigned to them (the
total previewed as they type, a deduction over its item refused, a veto item failing the file whatever its points),
then the 司法局's staff read the results; and a unit's legal staff record a 旁听 session with its 心得."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, open_menu_page, screenshot
from tests.factories import World
from tests.filereview.conftest import add_supervisors, file_of, plan_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_invited_supervisor_scores_an_assigned_file_and_the_staff_read_the_results(
    page: Page,
    world: World,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.DATA_DIR = tmp_path
    add_supervisors(world)
    plan = plan_of(world)
    file_of(world, plan, "都自然罚〔2026〕12号")
    file_of(world, plan, "福公罚〔2026〕3号", body="福泉公安局", reviewer="tyjd2")

    # The 特邀执法监督员 lands on the files assigned to them, and only those.
    login(page, "tyjd")
    expect(page.get_by_role("heading", name="我的评查案卷")).to_be_visible()
    expect(page.get_by_test_id("file-row")).to_have_count(1)
    page.get_by_role("link", name="都自然罚〔2026〕12号").click()

    # Deductions are previewed as they are typed; one over its item's points is refused with the reason.
    page.get_by_label("卷面：文书填写不完整、有涂改 扣分").fill("12")
    expect(page.get_by_test_id("preview")).to_contain_text("最多扣10.0分，填写的是12分")
    page.get_by_label("卷面：文书填写不完整、有涂改 扣分").fill("2")
    page.get_by_label("内容：送达、执行不规范 扣分").fill("3.5")
    expect(page.get_by_test_id("preview")).to_contain_text("得分 94.5 分，合格")
    screenshot(page, "filereview-scoring")

    # A veto item fails the file whatever its points.
    page.get_by_label("执法人员不足2人").check()
    expect(page.get_by_test_id("preview")).to_contain_text("一票否决，不合格")
    page.get_by_label("发现的问题（列入执法监督通知书）").fill("现场检查笔录仅一名执法人员签名。")
    page.get_by_test_id("save-score").click()
    expect(page.get_by_role("alert").first).to_contain_text("评分已保存")
    expect(page.get_by_test_id("score")).to_have_text("0.0 分")
    expect(page.get_by_text("扣分后 94.5 分，因否决项计 0 分")).to_be_visible()
    screenshot(page, "filereview-scored")

    # The 司法局's staff read the results and issue the notice from the plan.
    login(page, "zfjd_pref")
    open_menu_page(page, "执法监督", "评查结果")
    body_row = page.get_by_test_id("by-body").get_by_role("row").filter(has_text="都匀市自然资源局")
    expect(body_row).to_contain_text("0.0")
    screenshot(page, "filereview-results")
    open_menu_page(page, "执法监督", "案卷评查")
    page.get_by_role("link", name="行政执法案卷集中评查").click()
    page.get_by_test_id("issue-notice").click()
    expect(page.get_by_role("alert").first).to_contain_text("已下发执法监督通知书执法监督〔2026〕1号")
    screenshot(page, "filereview-plan")
    page.get_by_role("link", name="2026年行政执法案卷评查标准").click()
    expect(page.get_by_test_id("in-use")).to_be_visible()
    screenshot(page, "filereview-sheet")
    open_menu_page(page, "执法监督", "旁听完成情况")
    expect(page.get_by_test_id("behind-count")).to_contain_text("未达标单位 3 个")
    screenshot(page, "attendance-compliance")


def test_a_unit_records_a_court_attendance_session(page: Page, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    login(page, "agency_duyun")
    open_menu_page(page, "执法监督", "旁听庭审")
    page.get_by_test_id("new-session").click()
    page.get_by_label("案号").fill("（2026）黔2701行初45号")
    page.get_by_label("案由").fill("不服林业行政处罚")
    page.get_by_label("审理法院").select_option(label="都匀市人民法院")
    page.get_by_label("庭审日期").fill("2026-11-18")
    page.get_by_label("线上旁听").check()
    page.get_by_label("姓名（第1位）").fill("李明")
    page.locator("#post_1").fill("法制股股长")
    page.locator("#reflection_1").fill("行政机关负责人出庭并发言，答辩有理有据；本案证据链完整，值得学习。")
    page.get_by_label("姓名（第2位）").fill("王芳")
    screenshot(page, "attendance-new")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("已登记2026-11-18旁听庭审")
    expect(page.get_by_test_id("attendee")).to_have_count(2)
    screenshot(page, "attendance-detail")
    # The breadcrumb's link, not the menu's entry of the same name (hidden until its dropdown opens, but counted as
    # visible if the stylesheet has not applied yet when the locator resolves).
    page.get_by_role("main").get_by_role("link", name="旁听庭审", exact=True).click()
    expect(page.get_by_test_id("own-count")).to_contain_text("本单位2026年已旁听庭审 1 次")
    expect(page.get_by_test_id("own-count")).to_contain_text("尚未达标")
    screenshot(page, "attendance-list")
