"""The 协调化解 section of the figures page in a browser: the prefecture office reads the centre's rates, groups
them by coordinator and finds the case table gone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import CaseKind, LitigationOutcome
from fuyuan.disputes.choices import DisputeOutcome, WithdrawalReason
from fuyuan.disputes.models import Assignment
from tests.browser.conftest import login, screenshot
from tests.factories import build_world, make_case, make_coordinator
from tests.stats.test_dispute_figures import _closed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_the_office_reads_the_centres_rates_and_groups_them_by_coordinator(page: Page) -> None:
    world = build_world()
    on = D(2022, 6, 1)
    mediated = _closed(world, 6, DisputeOutcome.MEDIATED, on=on)
    _closed(world, 2, DisputeOutcome.WITHDRAWN, reason=WithdrawalReason.AGENCY_CORRECTED, on=on, centre="都匀中心")
    _closed(world, 2, DisputeOutcome.TO_LITIGATION, on=on, agency="福泉公安局")
    for outcome in [LitigationOutcome.MEDIATED, LitigationOutcome.REVOKED, LitigationOutcome.REVOKED]:
        make_case(CaseKind.LITIGATION, defendant=world.orgs["都匀自然资源局"], concluded_on=on, outcome=outcome)
    li = make_coordinator("李协调", org=world.orgs["州司法局"])
    for dispute in mediated[:4]:
        Assignment.objects.create(
            dispute=dispute, coordinator=li, assigned_at=timezone.now(), assigned_by=world.users["centre"]
        )

    login(page, "rol_pref")
    page.goto(page.base_url + "/stats/?date_from=2022-01-01&date_to=2022-12-31")  # type: ignore[attr-defined]

    section = page.get_by_test_id("disputes")

    def card(label: str):  # type: ignore[no-untyped-def]
        return section.get_by_test_id("dispute-card").filter(has=page.get_by_text(label, exact=True))

    expect(card("调解成功率").get_by_test_id("rate")).to_have_text("60.00%")  # 6 of 10
    expect(card("化解数").get_by_test_id("rate")).to_have_text("9 件")  # 6 + 2 disputes, 1 case
    expect(card("化解/败诉比").get_by_test_id("rate")).to_have_text("4.50")  # 9 / 2
    expect(section.locator("#dispute-table tbody tr")).to_have_count(2)  # 都匀市, 福泉市
    screenshot(page, "figures-disputes")

    page.get_by_label("分组").select_option(label="协调员")
    page.get_by_role("button", name="统计").click()

    expect(page.locator("#figure-table")).to_have_count(0)
    rows = page.locator("#dispute-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李协调（黔南州司法局）")
    expect(rows.first).to_contain_text("100.00%")
    expect(page.get_by_text("一件争议计入曾指派给它的每一名协调员")).to_be_visible()
    screenshot(page, "figures-disputes-by-coordinator")
