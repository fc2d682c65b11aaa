"""Personal data in the browser: the centre's staff see an applicant's numbers masked on the dispute file, reveal the
phone with 「查看完整号码」 in place, and the reveal is in the audit log (个人信息保护法 第51条)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.models import User
from fuyuan.disputes.models import Dispute
from tests.browser.conftest import close, login, screenshot
from tests.factories import World, make_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_centre_staff_reveal_an_applicants_phone_and_the_audit_log_has_the_record(page: Page, world: World) -> None:
    o = world.orgs
    d = make_dispute(
        o["州中心"], agency=o["都匀自然资源局"], by=world.users["centre"], applicants="张三",
        applicant_id_number="11010519491231002X", applicant_phone="13912341234", applicant_address="都匀市文峰路1号",
        matter="采伐林木被罚款，林权证被注销",
    )  # fmt: skip

    login(page, "centre")
    page.goto(f"{page.base_url}/disputes/{d.pk}/")  # type: ignore[attr-defined]
    parties = page.get_by_test_id("parties")
    expect(parties).to_contain_text("139****1234")
    expect(parties).to_contain_text("1101**********002X")
    expect(parties).not_to_contain_text("13912341234")
    screenshot(page, "personal_data_masked")

    page.get_by_test_id("dispute.applicant_phone").get_by_role("button", name="查看完整号码").click()

    phone = page.get_by_test_id("dispute.applicant_phone")
    expect(phone).to_contain_text("13912341234")
    expect(phone).to_contain_text("已记录查看")
    expect(parties).to_contain_text("1101**********002X")  # the other value stays masked
    screenshot(page, "personal_data_revealed")
    record = AuditRecord.objects.get(kind=AuditKind.UNMASK)
    assert (record.username, record.target_id, record.detail["field"]) == ("centre", str(d.pk), "applicant_phone")


def applicant(world: World) -> Dispute:
    o = world.orgs
    return make_dispute(
        o["州中心"], agency=o["都匀自然资源局"], by=world.users["centre"], applicants="李四",
        applicant_id_number="11010519491231002X", applicant_phone="13912341234", matter="不服罚款决定",
    )  # fmt: skip


def test_a_reveal_on_a_page_whose_dispute_left_the_scope_says_so_in_place(page: Page, world: World) -> None:
    d = applicant(world)
    login(page, "centre")
    page.goto(f"{page.base_url}/disputes/{d.pk}/")  # type: ignore[attr-defined]
    # Meanwhile the staff member is moved to another centre: the button on the open page no longer gives the number.
    User.objects.filter(username="centre").update(organisation=world.orgs["都匀中心"])

    page.get_by_test_id("dispute.applicant_id_number").get_by_role("button", name="查看完整号码").click()

    field = page.get_by_test_id("dispute.applicant_id_number")
    expect(field).to_contain_text("无法查看：记录不存在，或已不在您可查看的范围内")
    expect(field).not_to_contain_text("002X")
    screenshot(page, "personal_data_refused")
    assert AuditRecord.objects.get(kind=AuditKind.UNMASK).detail["refused"] is True


def test_without_javascript_the_reveal_opens_a_page_with_the_number(
    browser: Browser, live_server, world: World
) -> None:  # type: ignore[no-untyped-def]
    d = applicant(world)
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    try:
        login(page, "centre")
        page.goto(f"{live_server.url}/disputes/{d.pk}/")

        page.get_by_test_id("dispute.applicant_phone").get_by_role("button", name="查看完整号码").click()

        expect(page.locator("main")).to_contain_text("13912341234")
        expect(page.locator("main")).to_contain_text("已记入审计日志")
        screenshot(page, "personal_data_revealed_page")
        page.get_by_role("link", name="返回").click()
        expect(page.get_by_test_id("parties")).to_contain_text("139****1234")
    finally:
        close(context, live_server)
