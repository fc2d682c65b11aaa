"""The calculator and the dispute file as a person reads them: rules by their Chinese label and source, local rules
under the deployment's own name, no rule ids."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fuyuan.deadlines import rules
from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators
from tests.browser.conftest import login, screenshot
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_coordinator, make_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def named(settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_DEPLOYMENT_NAME = "云岭州"
    for rule_id, rule in rules.build_rules().items():
        monkeypatch.setitem(rules.RULES, rule_id, rule)


def _no_rule_ids(page: Page) -> None:
    text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert [rule_id for rule_id in rules.RULES if rule_id in text] == []


def test_the_calculator_names_a_local_rule_by_label_and_the_deployment(page: Page, world: World, named: None) -> None:
    login(page, "centre")
    page.goto(page.base_url + "/deadlines/calculator/")  # type: ignore[attr-defined]

    page.get_by_label("期限规则").select_option(label="制作化解方案（5个工作日）")
    page.get_by_label("起算日").fill("2026-09-28")
    page.get_by_role("button", name="计算").click()

    result = page.get_by_test_id("deadline-result")
    expect(result).to_contain_text("制作化解方案（5个工作日）")
    expect(result).to_contain_text("云岭州规定：5日内制作化解方案（源自黔南州行政争议化解工作时限）")
    expect(result).not_to_contain_text("规则编号")
    _no_rule_ids(page)
    screenshot(page, "words-calculator")


def test_the_dispute_file_shows_its_time_limits_in_words(page: Page, world: World, named: None) -> None:
    o, centre = world.orgs, world.users["centre"]
    d = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre)
    accept_dispute(d, by=centre, consent=WRITTEN)
    expert = make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=centre)
    login(page, "centre")

    page.goto(page.base_url + f"/disputes/{d.pk}/")  # type: ignore[attr-defined]

    limits = page.get_by_test_id("limits")
    expect(limits).to_contain_text("指派后3个工作日。云岭州规定：3日内组织重大行政纠纷专家组审核")
    expect(limits).to_contain_text("受理后30日")
    _no_rule_ids(page)
    limits.scroll_into_view_if_needed()
    screenshot(page, "words-dispute")
