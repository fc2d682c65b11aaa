"""Pre-judgment consultation through the browser (SPEC §6.9): the court liaison sends a 败诉风险提示 from the case
page, the agency answers 自行纠正 from its list, the 依法治办 reads notice and answer on the case page, and once the
suit is withdrawn the figures count it as resolved (化解)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.workflow import update_case
from tests.browser.conftest import login, open_linkage_page, screenshot
from tests.consultation.conftest import pending_case
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_court_sends_a_risk_notice_and_the_agency_corrects_its_act(page: Page, world: World) -> None:
    case = pending_case(world, plaintiffs="张某某", cause="penalty")
    case_url = f"{page.base_url}/cases/{case.pk}/"  # type: ignore[attr-defined]

    # The court liaison sends the notice from the case page.
    login(page, "court_duyun")
    page.goto(case_url)
    page.get_by_test_id("send-notice").click()
    page.get_by_label("程序问题").check()
    page.get_by_label("证据问题（事实不清、证据不足）").check()
    page.get_by_label("风险提示内容").fill("被诉处罚决定作出前未告知陈述、申辩权利；现场检查笔录缺少当事人签名。")
    screenshot(page, "consultation-send")
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_role("alert")).to_contain_text("已向都匀市自然资源局发送败诉风险提示，并抄送依法治办")
    panel = page.get_by_test_id("case-risk-notices")
    expect(panel).to_contain_text("待答复")
    expect(panel).to_contain_text("程序问题、证据问题")
    expect(page.get_by_test_id("timeline")).to_contain_text("法院发送败诉风险提示")

    # The agency finds it under 风险提示 and answers 自行纠正.
    login(page, "agency_duyun")
    open_linkage_page(page, "风险提示")
    page.get_by_role("link", name=case.number).click()
    page.get_by_label("自行纠正").check()
    page.get_by_label("答复说明").fill("经复核，原处罚决定程序违法，已于今日撤销，将重新调查后依法处理。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_role("alert")).to_contain_text("已答复败诉风险提示")
    expect(page.get_by_test_id("notice-state")).to_have_text("已答复：自行纠正")
    screenshot(page, "consultation-notice")

    # The plaintiff withdraws; the 依法治办 reads notice, answer and result on the case page.
    update_case(
        case,
        {"concluded_on": timezone.localdate(), "outcome": LitigationOutcome.WITHDRAWN_AFTER_CHANGE},
        by=world.users["court_duyun"],
    )
    login(page, "rol_duyun")
    page.goto(case_url)
    panel = page.get_by_test_id("case-risk-notices")
    expect(panel).to_contain_text("自行纠正")
    expect(panel).to_contain_text("已化解（行政机关改变行为后撤诉）")
    screenshot(page, "consultation-case-panel")

    # The figures count it as resolved, and the number opens the case.
    open_linkage_page(page, "风险提示")
    page.get_by_test_id("figures-link").click()
    row = page.get_by_test_id("figure-row")
    expect(row).to_contain_text("都匀市自然资源局")
    screenshot(page, "consultation-figures")
    row.get_by_test_id("cell-resolved").click()
    expect(page.get_by_test_id("figure-caption")).to_contain_text("化解")
    expect(page.get_by_test_id("notice-row")).to_contain_text(case.number)


def test_the_similar_cases_arriving_after_the_page_move_none_of_the_case_pages_actions(
    page: Page, world: World
) -> None:
    # 类案检索 is loaded after the case page; a person who clicks 发送败诉风险提示 while it arrives must still hit it.
    case = pending_case(world, plaintiffs="张某某", cause="penalty")
    held: list[Any] = []
    page.route("**/similar/case/**", lambda route: held.append(route))  # its answer waits until the page is measured
    login(page, "court_duyun")
    page.goto(f"{page.base_url}/cases/{case.pk}/")  # type: ignore[attr-defined]
    send = page.get_by_test_id("send-notice")
    expect(page.locator("#similar-panel")).to_contain_text("正在查找相似案件")
    before = send.bounding_box()

    for _ in range(100):  # HTMX asks for the panel as the page loads
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.locator("#similar-panel")).not_to_contain_text("正在查找相似案件")

    assert send.bounding_box() == before
    send.click()
    expect(page.get_by_label("程序问题")).to_be_visible()
