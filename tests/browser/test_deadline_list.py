"""临期/逾期 through the browser: the 依法治办 narrows the list to a county and to one organisation (责任单位), reaches
the case, and sees a deadline computed on weekends only flagged on the list and on the case page (issue 3)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.deadlines.workflow import sync_case_deadlines
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def docket(world: World) -> None:
    """A prefecture's week of deadlines: defences overdue and due soon in two counties, reconsiderations under
    acceptance review, and one defence running into a year whose holidays nobody has entered yet."""
    today = timezone.localdate()
    days = datetime.timedelta
    housing = make_org("都匀市住房和城乡建设局", world.regions["都匀市"])
    litigation = [
        ("（2026）黔2701行初88号", "都匀自然资源局", "都匀法院", 28),
        ("（2026）黔2701行初91号", "都匀自然资源局", "都匀法院", 19),
        ("（2026）黔2701行初95号", housing, "都匀法院", 12),
        ("（2026）黔2702行初41号", "福泉公安局", "福泉法院", 22),
        ("（2026）黔2702行初47号", "福泉公安局", "福泉法院", 11),
    ]
    cases = []
    for number, agency, court, served_ago in litigation:
        defendant = world.orgs[agency] if isinstance(agency, str) else agency
        cases.append(
            make_case(
                number=number,
                defendant=defendant,
                court=world.orgs[court],
                filed_on=today - days(served_ago + 3),
                complaint_served_on=today - days(served_ago),
            )
        )
    for n, received_ago in ((212, 2), (215, 1)):
        cases.append(
            make_case(
                "reconsideration",
                number=f"黔南复〔2026〕{n}号",
                defendant=world.orgs["都匀自然资源局"],
                reconsideration_body=world.orgs["州司法局"],
                received_on=today - days(received_ago),
                acceptance="pending",
            )
        )
    # Served on 27 December 2026: the defence runs into 2027, which the calendar package does not know.
    cases.append(
        make_case(
            number="（2026）黔2701行初99号",
            defendant=world.orgs["都匀自然资源局"],
            court=world.orgs["都匀法院"],
            filed_on=datetime.date(2026, 12, 20),
            complaint_served_on=datetime.date(2026, 12, 27),
        )
    )
    sync_case_deadlines([c.pk for c in cases])


def test_the_prefecture_office_lists_one_countys_and_one_agencys_deadlines_and_reaches_the_case(
    page: Page, world: World
) -> None:
    docket(world)
    login(page, "rol_pref")
    page.get_by_role("link", name="临期/逾期").click()
    table = page.get_by_test_id("deadline-table")

    page.get_by_label("状态").select_option("")
    expect(table).to_contain_text("（2026）黔2702行初41号")
    page.get_by_label("县(市、区)").select_option(label="都匀市")
    expect(table).not_to_contain_text("（2026）黔2702行初41号")
    expect(table).to_contain_text("（2026）黔2701行初95号")
    screenshot(page, "deadlines", docs=True)
    page.get_by_label("责任单位").select_option(label="都匀市自然资源局")

    expect(page.get_by_label("责任单位")).to_have_value(str(world.orgs["都匀自然资源局"].pk))
    expect(table).to_contain_text("（2026）黔2701行初88号")
    expect(table).not_to_contain_text("（2026）黔2701行初95号")  # 住房和城乡建设局's
    expect(table).not_to_contain_text("复议受理审查")  # owned by the 州司法局
    expect(table).not_to_contain_text("一审审理期限")  # owned by the court
    weekend_only = table.get_by_role("row").filter(has_text="（2026）黔2701行初99号")
    expect(weekend_only).to_contain_text("2027-01-11")
    expect(weekend_only).to_contain_text("仅按周末")

    table.get_by_role("link", name="（2026）黔2701行初99号").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("（2026）黔2701行初99号")
    expect(page.get_by_test_id("case-deadlines")).to_contain_text("届满 2027-01-11")
    expect(page.get_by_test_id("calendar-unknown").first).to_have_text("仅按周末")


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
