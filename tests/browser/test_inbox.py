import pytest
from playwright.sync_api import Page, expect

from fuyuan.notifications.models import Channel
from fuyuan.notifications.workflow import notify
from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agency_liaison_sees_the_bell_count_and_reads_a_message(page: Page, world: World) -> None:
    agency = world.users["agency_duyun"]
    notify(
        [agency],
        subject="开庭通知：（2026）黔2701行初12号",
        body="都匀市人民法院定于2026年12月8日上午9时开庭，请于开庭7日前确定出庭负责人。",
        link="/cases/",
        dedup_key="hearing:12:notice",
    )
    notify([agency], subject="开庭提醒：7日后开庭", body="请确认出庭负责人。", dedup_key="hearing:12:t7")
    notify([world.users["agency_fuquan"]], subject="福泉市公安局的消息", body="", dedup_key="hearing:13:notice")
    notify([agency], subject="只发邮件", body="", dedup_key="x", channels=(Channel.EMAIL,))

    login(page, "agency_duyun")
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    page.get_by_test_id("bell").click()

    expect(page.get_by_role("heading", name="我的消息")).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(2)
    expect(page.get_by_text("福泉市公安局的消息")).to_have_count(0)
    screenshot(page, "inbox-basic")

    page.get_by_role("button", name="开庭通知：（2026）黔2701行初12号").click()
    expect(page).to_have_url(page.base_url + "/cases/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("unread-count")).to_have_text("1")

    page.get_by_test_id("bell").click()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("已将 1 条消息标为已读")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)


def test_the_sweeps_reminders_and_a_hearing_notice_reach_the_agencys_inbox(page: Page, world: World) -> None:
    import datetime

    from django.utils import timezone

    from fuyuan.deadlines.reminders import remind_deadlines
    from fuyuan.deadlines.workflow import sync_case_deadlines
    from fuyuan.hearings.workflow import register_hearing
    from fuyuan.notifications.models import Notification
    from tests.factories import make_case

    today = timezone.localdate()
    cases = [
        make_case(
            number=number,
            defendant=world.orgs["都匀自然资源局"],
            court=world.orgs["都匀法院"],
            filed_on=today - datetime.timedelta(days=served_ago + 3),
            complaint_served_on=today - datetime.timedelta(days=served_ago),
        )
        for number, served_ago in (("（2026）黔2701行初88号", 28), ("（2026）黔2701行初91号", 19))
    ]
    # Computed when the complaints were served, so still open: the sweep finds them overdue or due soon now.
    sync_case_deadlines([c.pk for c in cases], today=today - datetime.timedelta(days=28))
    hearing_case = make_case(
        number="（2026）黔2701行初102号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    register_hearing(hearing_case, held_on=today + datetime.timedelta(days=10), by=world.users["court_duyun"])
    remind_deadlines()
    unread = Notification.objects.filter(recipient=world.users["agency_duyun"], channel=Channel.IN_APP).count()

    login(page, "agency_duyun")
    expect(page.get_by_test_id("unread-count")).to_have_text(str(unread))
    page.get_by_test_id("bell").click()

    expect(page.get_by_test_id("notification")).to_have_count(unread)
    expect(page.get_by_test_id("notification").filter(has_text="【逾期提醒】（2026）黔2701行初88号")).to_have_count(1)
    expect(page.get_by_test_id("notification").filter(has_text="（2026）黔2701行初102号")).not_to_have_count(0)
    screenshot(page, "inbox", docs=True)
