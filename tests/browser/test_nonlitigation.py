"""Non-litigation enforcement through the browser (SPEC §6.9): the agency registers a decision, records the 催告,
applies too early and is told from which day it may apply, applies; the court liaison accepts and rules 准予执行."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.nonlitigation.models import EnforcementFile
from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_agency_reminds_and_applies_and_the_court_grants(page: Page, world: World) -> None:
    today = timezone.localdate()
    served = today - datetime.timedelta(days=213)  # the six months to sue have run; the three months to apply have not
    reminded = today - datetime.timedelta(days=21)

    # The agency registers the decision.
    login(page, "agency_duyun")
    page.goto(page.base_url + "/nonlitigation/")  # type: ignore[attr-defined]
    page.get_by_test_id("register-link").click()
    page.get_by_label("行政决定文号").fill("都自然资罚〔2026〕12号")
    page.get_by_label("行政决定日期").fill((served - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("行政决定送达日期").fill(served.isoformat())
    page.get_by_label("决定内容").fill("限期拆除违法建筑并处罚款人民币二万元")
    page.locator("#id_party_name").fill("张三")
    page.get_by_label("当事人身份证号/统一社会信用代码").fill("522701199001011234")
    page.get_by_test_id("register").click()
    file = EnforcementFile.objects.get()
    expect(page.get_by_role("alert").first).to_contain_text(f"申请执行期限至 {file.application_due_on:%Y-%m-%d}")
    expect(page.get_by_test_id("facts")).to_contain_text("5227**********1234")

    # The 催告, and what the platform says of it.
    step = page.get_by_test_id("step-remind")
    step.get_by_label("催告书文号").fill("都自然资催〔2026〕3号")
    step.get_by_label("催告书送达日期").fill(reminded.isoformat())
    step.get_by_test_id("do-remind").click()
    file.refresh_from_db()
    assert file.may_apply_from is not None
    expect(page.get_by_test_id("next")).to_contain_text(f"{file.may_apply_from:%Y-%m-%d} 起可申请")

    # Too early: refused, naming the day it may apply; nothing written.
    step = page.get_by_test_id("step-apply")
    step.get_by_label("受理法院").select_option(label="都匀市人民法院")
    step.get_by_label("申请执行日期").fill((reminded + datetime.timedelta(days=3)).isoformat())
    step.get_by_test_id("do-apply").click()
    expect(page.get_by_test_id("form-error")).to_contain_text(
        f"{file.may_apply_from:%Y-%m-%d} 起方可申请人民法院强制执行"
    )
    screenshot(page, "nonlitigation-too-early")

    step = page.get_by_test_id("step-apply")
    step.get_by_label("受理法院").select_option(label="都匀市人民法院")
    step.get_by_label("申请执行日期").fill(today.isoformat())
    step.get_by_test_id("do-apply").click()
    expect(page.get_by_role("alert").first).to_contain_text("已申请人民法院强制执行")
    expect(page.get_by_test_id("stage")).to_have_text("已申请执行")
    page.goto(page.base_url + "/nonlitigation/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("file-row")).to_contain_text("5227**********1234")
    screenshot(page, "nonlitigation-list-agency")

    # The court liaison accepts and grants.
    login(page, "court_duyun")
    page.goto(page.base_url + "/nonlitigation/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="都自然资罚〔2026〕12号").click()
    step = page.get_by_test_id("step-accept")
    step.get_by_label("受理日期").fill(today.isoformat())
    step.get_by_label("法院案号").fill("（2026）黔2701行审12号")
    step.get_by_test_id("do-accept").click()
    expect(page.get_by_role("alert").first).to_contain_text("已登记受理")
    step = page.get_by_test_id("step-rule")
    step.get_by_role("radio", name="准予执行", exact=True).check()
    step.get_by_label("裁定日期").fill(today.isoformat())
    step.get_by_label("裁定书文号").fill("（2026）黔2701行审12号裁定")
    step.get_by_test_id("do-rule").click()
    expect(page.get_by_role("alert").first).to_contain_text("已登记裁定")
    expect(page.get_by_test_id("stage")).to_have_text("准予执行")
    expect(page.get_by_test_id("timeline")).to_contain_text("裁定准予执行")
    expect(page.get_by_test_id("step-execute")).to_be_visible()
    expect(page.get_by_test_id("step-hand_over")).to_be_visible()
    screenshot(page, "nonlitigation-granted")

    # The 依法治办 sees it in the figures.
    login(page, "rol_duyun")
    page.goto(page.base_url + "/nonlitigation/figures/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("agency-row")).to_contain_text("都匀市自然资源局")
    expect(page.get_by_test_id("total-rate")).to_have_text("100.00%")
    screenshot(page, "nonlitigation-figures")
