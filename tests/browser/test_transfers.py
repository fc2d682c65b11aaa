"""移送纪委监委 through the browser (SPEC §6.3; issue 6 §4): the county's 依法治办 finds the year's 不作为/乱作为
losses on the yearly review list and proposes one (first without facts: refused with the reason), submits it; the
prefecture's 依法治办 transfers it to the 纪委监委; the commission's liaison acknowledges it and reports the result."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fuyuan.accountability.models import ClueTransfer, TransferState
from tests.accountability.test_transfers import build_clues
from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Page) -> None:
    page.context.clear_cookies()


def test_a_clue_is_proposed_reviewed_transferred_acknowledged_and_answered(page: Page, world: World) -> None:
    clues = build_clues(world)
    base = page.base_url  # type: ignore[attr-defined]
    review = clues.reviews["都匀不作为"]
    login(page, "rol_duyun")
    page.goto(base + reverse("accountability:transfer_candidates") + "?year=2026")
    rows = page.get_by_test_id("candidate-row")
    expect(rows).to_have_count(2)
    row = rows.filter(has_text=review.case.number)
    expect(row).to_contain_text("不履行法定职责")
    expect(row.get_by_label("问题线索")).to_have_value("inaction")
    expect(rows.filter(has_text=clues.reviews["都匀乱作为"].case.number).get_by_label("问题线索")).to_have_value(
        "misconduct"
    )
    screenshot(page, "transfers-candidates")
    row.get_by_test_id("propose-submit").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写线索事实")
    row = page.get_by_test_id("candidate-row").filter(has_text=review.case.number)
    row.get_by_label("线索事实").fill("对群众举报的违法占地长期不予查处")
    row.get_by_test_id("propose-submit").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("县级初审")
    page.get_by_test_id("submit-submit").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("州级复核")

    logout(page)
    login(page, "rol_pref")
    transfer = ClueTransfer.objects.get(review=review)
    page.goto(base + reverse("accountability:transfer_detail", args=[transfer.pk]))
    page.get_by_label("移送文号").fill("黔南法办移〔2026〕1号")
    page.get_by_test_id("transfer-submit").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("已移送")
    expect(page.get_by_test_id("step-transferred")).to_contain_text("黔南法办移〔2026〕1号")

    logout(page)
    login(page, "jw_pref")
    page.goto(base + reverse("accountability:transfer_list"))
    expect(page.get_by_test_id("transfer-row")).to_have_count(1)
    page.get_by_role("link", name=review.case.number).click()
    page.get_by_test_id("acknowledge-submit").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("已签收")
    page.get_by_label("处理结果").fill("经初步核实，已立案审查，给予相关责任人政务警告处分")
    page.get_by_test_id("answer-submit").click()
    expect(page.get_by_test_id("transfer-state")).to_have_text("已反馈")
    expect(page.get_by_test_id("result")).to_contain_text("政务警告")
    screenshot(page, "transfers-detail-answered")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.ANSWERED
