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
    screenshot(page, "inbox")

    page.get_by_role("button", name="开庭通知：（2026）黔2701行初12号").click()
    expect(page).to_have_url(page.base_url + "/cases/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("unread-count")).to_have_text("1")

    page.get_by_test_id("bell").click()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("已将 1 条消息标为已读")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
