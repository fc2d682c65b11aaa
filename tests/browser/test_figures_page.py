"""The figures page in a browser: the prefecture office reads its rates and follows a number to its cases."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import CaseKind, LitigationOutcome, ReconsiderationOutcome
from tests.browser.conftest import login, screenshot
from tests.factories import build_world, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_the_office_reads_its_rates_changes_the_window_and_opens_the_cases_behind_a_number(page: Page) -> None:
    world = build_world()
    for i, org in enumerate(["都匀自然资源局", "都匀自然资源局", "福泉公安局", "福泉公安局"]):
        outcome = LitigationOutcome.REVOKED if i == 0 else LitigationOutcome.CLAIM_DISMISSED
        make_case(
            CaseKind.LITIGATION,
            defendant=world.orgs[org],
            filed_on=D(2021, 2, 1),
            hearing_on=D(2021, 3, 1),
            head_appeared=i < 3,
            concluded_on=D(2021, 4, 1),
            outcome=outcome,
        )
    make_case(
        CaseKind.LITIGATION,
        defendant=world.orgs["都匀自然资源局"],
        filed_on=D(2020, 2, 1),
        concluded_on=D(2020, 4, 1),
        outcome="revoked",
    )
    make_case(
        CaseKind.RECONSIDERATION,
        defendant=world.orgs["福泉公安局"],
        concluded_on=D(2021, 5, 1),
        outcome=ReconsiderationOutcome.MEDIATED,
    )

    login(page, "rol_pref")
    page.goto(page.base_url + "/stats/?date_from=2021-01-01&date_to=2021-08-31")  # type: ignore[attr-defined]

    loss = page.get_by_test_id("card").filter(has_text="败诉率")
    expect(loss.get_by_test_id("rate")).to_have_text("25.00%")
    expect(loss.get_by_test_id("yoy")).to_contain_text("↓ 75.00 个百分点")
    appearance = page.get_by_test_id("card").filter(has_text="负责人出庭应诉率")
    expect(appearance.get_by_test_id("rate")).to_have_text("75.00%")
    expect(page.get_by_test_id("card").filter(has_text="复议调解成功率").get_by_test_id("rate")).to_have_text("100.00%")
    expect(page.locator("#figure-table tbody tr")).to_have_count(2)
    screenshot(page, "figures")

    page.get_by_label("起始日期").fill("2020-01-01")
    page.get_by_label("截止日期").fill("2020-12-31")
    page.get_by_role("button", name="统计").click()
    expect(loss.get_by_test_id("rate")).to_have_text("100.00%")
    expect(page).to_have_url(re.compile(r"date_from=2020-01-01"))

    loss.get_by_test_id("numerator").click()
    page.wait_for_load_state("networkidle")
    assert "/cases/" in page.url and "figure=litigation.lost" in page.url and "from=2020-01-01" in page.url
