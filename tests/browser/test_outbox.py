"""消息发送情况 through the browser: the system administrator logs in (with the authenticator's code), sees the
SMS gateway's failures with the error, narrows the list to them, and sends the failed messages again."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.sender import MAX_ATTEMPTS, send_due
from fuyuan.notifications.workflow import Address, notify
from tests.browser.conftest import screenshot
from tests.browser.test_admins import enrol, login_admin
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "【开庭前1日提醒】（2026）黔2701行初91号"


class BrokenGateway:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("短信网关无响应（HTTP 503）")


def outbox_with_gateway_failures(world: World) -> None:
    """Messages to the agency in the app (sent), by SMS to three numbers (failed five times) and by SMS to a fourth
    number (failed once, being retried)."""
    agency = world.users["agency_duyun"]
    agency.full_name = "张晓明"
    agency.save()
    for i, phone in enumerate(["13800000001", "13900000002", "13700000003"]):
        notify(
            [Address(phone=phone)], subject=SUBJECT, body="明日开庭", dedup_key=f"hearing:{i + 1}:t1",
            channels=(Channel.SMS,),
        )  # fmt: skip
    notify([agency], subject=SUBJECT, body="明日开庭", dedup_key="hearing:1:t1", channels=(Channel.IN_APP,))
    with override_settings(FUYUAN_SMS_BACKEND="tests.browser.test_outbox.BrokenGateway"):
        now = timezone.now()
        for _ in range(MAX_ATTEMPTS):
            send_due(now=now)
            now = max(n.next_attempt_at for n in Notification.objects.filter(channel=Channel.SMS))
        notify(
            [Address(phone="13600000004")], subject=SUBJECT, body="明日开庭", dedup_key="deadline:5:overdue",
            channels=(Channel.SMS,),
        )  # fmt: skip
        send_due()


def test_the_system_administrator_sees_the_gateway_failures_and_sends_them_again(page: Page, world: World) -> None:
    outbox_with_gateway_failures(world)
    enrol("sysadmin")

    login_admin(page, "sysadmin")
    page.goto(page.base_url + "/notifications/outbox/")  # type: ignore[attr-defined]

    expect(page.get_by_role("heading", name="消息发送情况")).to_be_visible()
    expect(page.get_by_test_id("total-failed")).to_have_text("3")
    expect(page.get_by_test_id("total-retrying")).to_have_text("1")
    expect(page.get_by_test_id("total-sent")).to_have_text("1")
    expect(page.get_by_test_id("outbox-row")).to_have_count(5)
    expect(page.get_by_text("138****0001")).to_be_visible()
    expect(page.get_by_text("张晓明")).to_be_visible()
    expect(page.get_by_text("（2026）黔2701行初91号")).to_have_count(0)
    expect(page.get_by_text("明日开庭")).to_have_count(0)
    screenshot(page, "outbox")

    page.get_by_label("状态").select_option(label="发送失败")
    page.get_by_label("渠道").select_option(label="短信")
    page.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("outbox-row")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_test_id("last-error")).to_have_text("短信网关无响应（HTTP 503）")
    expect(rows.first.get_by_test_id("attempts")).to_have_text(str(MAX_ATTEMPTS))
    expect(rows.first.get_by_test_id("category")).to_have_text("开庭前1日提醒")
    screenshot(page, "outbox-failed")

    first = Notification.objects.filter(state=NotificationState.FAILED).order_by("-id").first()
    assert first is not None
    rows.first.get_by_role("button", name="重新发送").click()
    expect(page.get_by_text(f"第 {first.pk} 号消息已重新排入发送队列，将在下一次发送时发出")).to_be_visible()
    expect(page.get_by_test_id("outbox-row")).to_have_count(2)  # the filter (发送失败, 短信) is kept
    expect(page.get_by_label("状态")).to_have_value("failed")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("requeue-all").click()
    expect(page.get_by_text("已将 2 条发送失败的消息重新排入发送队列")).to_be_visible()
    expect(page.get_by_text("没有符合条件的消息")).to_be_visible()
    expect(page.get_by_test_id("total-failed")).to_have_text("0")
    assert not Notification.objects.filter(state=NotificationState.FAILED).exists()
    assert Notification.objects.filter(channel=Channel.SMS, state=NotificationState.PENDING, attempts=0).count() == 3


def test_the_pager_turns_the_page_and_keeps_the_filter(page: Page, world: World) -> None:
    notify(
        [Address(email=f"party{i}@example.com") for i in range(55)], subject=SUBJECT, body="明日开庭",
        dedup_key="hearing:9:t1", channels=(Channel.EMAIL,),
    )  # fmt: skip
    enrol("sysadmin")
    login_admin(page, "sysadmin")
    page.goto(page.base_url + "/notifications/outbox/?channel=email")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("outbox-row")).to_have_count(50)

    page.get_by_role("link", name="下一页").click()

    expect(page.get_by_test_id("outbox-row")).to_have_count(5)
    expect(page).to_have_url(page.base_url + "/notifications/outbox/?channel=email&page=2")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="消息发送情况")).to_have_count(1)
    expect(page.get_by_test_id("outbox-counts")).to_have_count(1)
    expect(page.get_by_text("p***@example.com").first).to_be_visible()
