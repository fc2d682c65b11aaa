import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.deadlines.workflow import sync_case_deadlines
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_opens_the_overdue_deadlines_and_reaches_the_case(page: Page, world: World) -> None:
    today = timezone.localdate()
    case = make_case(
        number="（2026）黔2701行初88号",
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=today - datetime.timedelta(days=30),
        complaint_served_on=today - datetime.timedelta(days=28),
    )
    sync_case_deadlines([case.pk])
    login(page, "rol_duyun")
    page.get_by_role("link", name="临期/逾期").click()

    page.get_by_label("状态").select_option("overdue")

    table = page.get_by_test_id("deadline-table")
    expect(table).to_contain_text("被告提交答辩状及证据")
    expect(table).to_contain_text("行政诉讼法 第67条")
    screenshot(page, "deadline-list")
    table.get_by_role("link", name="（2026）黔2701行初88号").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("（2026）黔2701行初88号")
