"""The appearance of a head in court, through the browser: the court registers a notice, the agency designates its
head (a person not on the roster is refused first), the 依法治办 sees it in 本周开庭, and on the day the court records
that the head appeared and spoke (SPEC §6.1)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import AbsenceReason
from fuyuan.hearings.workflow import designate, explain_absence, record_attendance, register_hearing
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case, make_head

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def open_menu(page: Page, name: str) -> None:
    page.locator("#nav").get_by_role("link", name=name).click()


def other_hearings(world: World, today: datetime.date) -> None:
    """The rest of the region's week, so that the pages look as they do in use."""
    o, u = world.orgs, world.users
    make_head(o["都匀自然资源局"], "陈副局长", "deputy_in_charge", title="分管法规工作")
    make_head(o["福泉公安局"], "刘局长")
    excused = register_hearing(
        make_case(number="（2026）黔2701行初31号", defendant=o["都匀自然资源局"], court=o["都匀法院"]),
        held_on=today + datetime.timedelta(days=2),
        starts_at=datetime.time(14, 30),
        courtroom="第二审判庭",
        by=u["court_duyun"],
    )
    explain_absence(
        excused,
        reason=AbsenceReason.IRREPLACEABLE_DUTY,
        explanation="王局长当日参加全省自然资源工作会议",
        delegate_name="周科长",
        delegate_title="政策法规科科长",
        by=u["agency_duyun"],
    )
    register_hearing(
        make_case(number="（2026）黔2702行初8号", defendant=o["福泉公安局"], court=o["福泉法院"]),
        held_on=today + datetime.timedelta(days=4),
        starts_at=datetime.time(9, 0),
        by=u["rol_pref"],
    )
    past_day = today - datetime.timedelta(days=6)
    past = register_hearing(
        make_case(number="（2026）黔2701行初12号", defendant=o["都匀自然资源局"], court=o["都匀法院"]),
        held_on=past_day,
        starts_at=datetime.time(9, 30),
        courtroom="第一审判庭",
        by=u["court_duyun"],
        now=_moment(past_day - datetime.timedelta(days=12)),
    )
    designate(past, name="陈副局长", by=u["agency_duyun"], now=_moment(past_day - datetime.timedelta(days=9)))
    record_attendance(past, appeared=True, spoke=True, speech="表示将依法重新作出答复", by=u["court_duyun"])


def test_a_notice_travels_from_the_court_to_the_agency_and_the_office_and_back(page: Page, world: World) -> None:
    today = timezone.localdate()
    o = world.orgs
    make_case(number="（2026）黔2701行初45号", defendant=o["都匀自然资源局"], court=o["都匀法院"], plaintiffs="张三")
    other_hearings(world, today)

    # The court liaison registers the notice for today.
    login(page, "court_duyun")
    open_menu(page, "开庭通知")
    page.get_by_label("案号").fill("（2026）黔2701行初45号")
    page.get_by_label("开庭日期").fill(today.isoformat())
    page.get_by_label("开庭时间").fill("09:30")
    page.get_by_label("法庭").fill("第三审判庭")
    page.get_by_role("button", name="登记开庭通知").click()
    expect(page.get_by_text("已同时通知都匀市自然资源局和都匀市依法治办（双调度）")).to_be_visible()
    open_menu(page, "开庭通知")
    expect(page.get_by_test_id("court-upcoming")).to_contain_text("（2026）黔2701行初45号")
    expect(page.get_by_test_id("court-recent")).to_contain_text("（2026）黔2701行初12号")
    screenshot(page, "hearings-court", docs=True)

    # The agency finds it among its tasks and designates a clerk: refused, with the reason.
    login(page, "agency_duyun")
    open_menu(page, "我的出庭任务")
    row = page.get_by_test_id("upcoming").get_by_role("row").filter(has_text="（2026）黔2701行初45号")
    expect(row).to_contain_text("今日开庭")
    expect(row).to_contain_text("已逾期")
    screenshot(page, "hearings-mine", docs=True)
    row.get_by_role("link", name="指定出庭负责人").click()
    page.get_by_label("出庭负责人姓名").fill("李科员")
    page.get_by_role("button", name="确认指定").click()
    refused = page.get_by_test_id("designation-refused")
    expect(refused).to_contain_text("“李科员”不在都匀市自然资源局")
    expect(refused).to_contain_text("王局长（正职）")
    expect(page.get_by_test_id("hearing-state").first).to_have_text("未指定")

    # Then the head on the roster: accepted.
    page.get_by_label("出庭负责人姓名").fill("王局长")
    page.get_by_label("手机号码（选填，用于短信提醒）").fill("13912341234")
    page.get_by_role("button", name="确认指定").click()
    expect(page.get_by_text("已指定出庭负责人：王局长（正职）")).to_be_visible()
    expect(page.get_by_test_id("designee")).to_contain_text("139****1234")  # masked until 查看完整号码 (audited)
    expect(page.get_by_test_id("timeline")).to_contain_text("指定出庭负责人被拒绝")

    # The county's 依法治办 sees it designated in 本周开庭.
    login(page, "rol_pref")
    open_menu(page, "本周开庭")
    hearing_row = page.get_by_test_id("week-hearing").filter(has_text="（2026）黔2701行初45号")
    expect(hearing_row.get_by_test_id("hearing-state")).to_have_text("已指定")
    expect(hearing_row).to_contain_text("王局长（正职）")
    expect(page.get_by_test_id("week-counts")).to_contain_text("本周开庭 3 件")
    screenshot(page, "hearings-week", docs=True)

    # On the day, the court records that the head appeared and spoke.
    login(page, "court_duyun")
    open_menu(page, "开庭通知")
    page.get_by_test_id("court-upcoming").get_by_role("row").filter(has_text="（2026）黔2701行初45号").get_by_role(
        "link", name="登记出庭情况"
    ).click()
    expect(page.get_by_test_id("designee")).to_contain_text("139****1234")
    expect(page.get_by_label("实际出庭负责人")).to_have_value("王局长")
    page.get_by_role("radiogroup", name="负责人是否出庭").get_by_label("是").check()
    page.get_by_role("radiogroup", name="负责人是否出声（就实质性化解争议发言）").get_by_label("是").check()
    page.get_by_label("发言要点").fill("认可补偿标准核算有误，同意庭后与原告协商重新核定")
    page.get_by_role("button", name="保存出庭情况").click()
    expect(page.get_by_text("已登记出庭情况：负责人已出庭，负责人出声")).to_be_visible()
    expect(page.get_by_test_id("attendance")).to_contain_text("认可补偿标准核算有误")
    expect(page.get_by_test_id("hearing-state").first).to_have_text("已出庭·出声")
    screenshot(page, "hearing-detail", docs=True)
