"""The 依法治办 reads a court's 不准予执行 in the dashboard's loss-cause analysis and opens the file behind the number."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.nonlitigation.choices import Ruling
from fuyuan.nonlitigation.workflow import (
    accept_application,
    apply_to_court,
    record_reminder,
    register_file,
    rule_on_application,
)
from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sees_a_refusal_among_the_loss_causes_and_opens_its_file(page: Page, world: World) -> None:
    today = timezone.localdate()
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    f = register_file(
        {
            "decision_number": "都自然资罚〔2026〕20号",
            "decision_date": today - datetime.timedelta(days=216),
            "decision_summary": "限期拆除违法建筑",
            "party_name": "李四",
            "served_on": today - datetime.timedelta(days=213),
        },
        by=agency,
    )
    f = record_reminder(f, number="催20号", served_on=today - datetime.timedelta(days=21), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=today, by=agency)
    f = accept_application(f, accepted_on=today, court_case_number="（2026）黔2701行审20号", by=court)
    rule_on_application(
        f, ruling=Ruling.REFUSED, ruled_on=today, ruling_number="（2026）黔2701行审20号裁定",
        causes=["procedure"], reasons="催告书未载明当事人依法享有的陈述权和申辩权", by=court,
    )  # fmt: skip

    login(page, "rol_duyun")
    page.goto(page.base_url + f"/stats/dashboard/?date_from={today.year}-01-01&date_to={today.isoformat()}")  # type: ignore[attr-defined]
    section = page.get_by_test_id("refusal-causes")
    expect(section.get_by_test_id("refusal-rulings")).to_have_text("1")
    expect(section.get_by_test_id("refusal-row")).to_contain_text("都匀市自然资源局")
    section.scroll_into_view_if_needed()
    screenshot(page, "nonlitigation-loss-causes")

    section.get_by_test_id("refusal-cell").click()
    expect(page.get_by_test_id("applied-filters")).to_contain_text("原因：程序违法")
    expect(page.get_by_test_id("file-row")).to_have_count(1)
    page.get_by_role("link", name="都自然资罚〔2026〕20号").click()
    expect(page.get_by_test_id("ruling")).to_contain_text("程序违法")
    expect(page.get_by_test_id("stage")).to_have_text("不准予执行")
