"""The 依法治办 ties a lost suit to the major decision it was about and follows it back from the supervision
dashboard (issue 16 item 4): it links the case to the decision from the case page (关联决策/文件), finds the decision
on the dashboard's 决策与文件引发的争议 card, opens the decision's figures and, from its 败诉 number, the lost case."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.decisions import workflow as wf
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_links_a_lost_suit_to_its_decision_and_follows_it_back_from_the_dashboard(
    page: Page, world: World
) -> None:
    # given: a decision of 都匀市 started from its catalogue, and a suit about it that the agency lost
    office, today = world.users["rol_duyun"], timezone.localdate()
    catalogue = wf.create_catalogue(world.regions["都匀市"], today.year, by=office)
    item = wf.add_catalogue_item(
        catalogue, title="都匀市城区停车收费标准调整", owner=world.orgs["都匀自然资源局"],
        planned_start=today, planned_end=today + datetime.timedelta(days=90), by=office,
    )  # fmt: skip
    wf.approve_catalogue(catalogue, approved_on=today, basis="经市委常委会同意", by=office)
    wf.publish_catalogue(catalogue, published_on=today, by=office)
    decision = wf.start_decision(item, draft="城区停车收费标准调整方案", by=world.users["agency_duyun"])
    lost = make_case(
        number="（2026）黔2701行初88号",
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=today - datetime.timedelta(days=60),
        concluded_on=today - datetime.timedelta(days=5),
        outcome=LitigationOutcome.REVOKED,
    )

    # The office links the suit to the decision from the case page.
    login(page, "rol_duyun")
    page.goto(f"{page.base_url}/cases/{lost.pk}/")  # type: ignore[attr-defined]
    page.get_by_label("关联决策/文件").select_option(label=decision.title)
    page.get_by_label("关联说明（可不填）").fill("原告认为收费标准调整违法")
    page.get_by_role("button", name="关联决策/文件").click()
    expect(page.get_by_test_id("case-source")).to_contain_text(decision.title)

    # On the dashboard the card names the decision with its lost case.
    page.get_by_role("link", name="监督看板").click()
    card = page.get_by_test_id("dispute-sources")
    expect(card.get_by_test_id("sources-lost")).to_have_text("1")
    row = card.get_by_test_id("source-card-row").filter(has_text="都匀市城区停车收费")
    expect(row.get_by_test_id("source-card-lost")).to_have_text("1")
    card.scroll_into_view_if_needed()
    screenshot(page, "decision-disputes-dashboard")

    # The decision's figures, then the lost case behind its number.
    row.get_by_role("link", name="都匀市城区停车收费").click()
    expect(page.get_by_test_id("source-lost")).to_have_text("1")
    screenshot(page, "decision-disputes-figures")
    page.get_by_test_id("source-lost").click()
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    screenshot(page, "decision-disputes-lost-cases")
    page.get_by_role("link", name=lost.number).click()
    expect(page.get_by_test_id("case-source")).to_contain_text(decision.title)
    screenshot(page, "decision-disputes-case")
    page.get_by_test_id("case-source").get_by_role("link", name=decision.title).click()
    expect(page.get_by_test_id("linked-case")).to_contain_text(lost.number)
    expect(page.get_by_test_id("linked-case")).to_contain_text("败诉")
