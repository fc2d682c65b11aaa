"""The pages a reminder SMS or e-mail links to, on a phone (390×844, as an agency head or a coordinator opens them):
each action is within the screen without scrolling sideways, the page is no wider than the screen, and the action
works."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators
from fuyuan.hearings.workflow import register_hearing
from fuyuan.notifications.workflow import notify
from fuyuan.rectification.models import RecommendationKind
from fuyuan.rectification.workflow import ItemDraft, register_recommendation
from tests.browser.conftest import ARTIFACTS, close, login, screenshot
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_case, make_coordinator, make_dispute
from tests.rectification.conftest import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """A phone's browser: 390 px wide, touch, the page's viewport meta honoured."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        reduced_motion="reduce",
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url  # type: ignore[attr-defined]
    yield pg
    close(context, live_server)


def shot(page: Page, name: str) -> None:
    """The whole page, and the first screen as the phone shows it (``-screen``)."""
    if screenshot(page, name).exists():  # taken when a person asks to look (tests/browser/conftest.py)
        page.screenshot(path=str(ARTIFACTS / f"{name}-screen.png"))


def assert_fits(page: Page, action: Locator) -> None:
    """Nothing scrolls sideways, and the action lies within the screen's width as the page opens (a table scrolled
    sideways inside its box would hide it there)."""
    expect(action).to_be_visible()  # the page it is on has loaded (a click before may still be navigating)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    box = action.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box


def test_an_agency_designates_its_head_from_my_hearing_tasks_on_a_phone(phone: Page, world: World) -> None:
    o = world.orgs
    case = make_case(number="（2026）黔2701行初45号", defendant=o["都匀自然资源局"], court=o["都匀法院"])
    register_hearing(
        case,
        held_on=timezone.localdate() + datetime.timedelta(days=3),
        starts_at=datetime.time(9, 30),
        courtroom="第三审判庭",
        by=world.users["court_duyun"],
    )

    login(phone, "agency_duyun")
    phone.goto(phone.base_url + "/hearings/mine/")  # type: ignore[attr-defined]
    action = phone.get_by_test_id("upcoming").get_by_role("link", name="指定出庭负责人")
    assert_fits(phone, action)
    shot(phone, "phone-hearings-mine")

    action.click()
    submit = phone.get_by_role("button", name="确认指定")
    shot(phone, "phone-hearing-designate")
    assert_fits(phone, submit)
    phone.get_by_label("出庭负责人姓名").fill("王局长")
    submit.click()
    expect(phone.get_by_text("已指定出庭负责人：王局长（正职）")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
    shot(phone, "phone-hearing-designated")


def test_a_coordinator_records_the_review_from_my_tasks_on_a_phone(phone: Page, world: World) -> None:
    o, centre = world.orgs, world.users["centre"]
    expert = make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    dispute = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre, applicants="陈大、陈二、刘三")
    accept_dispute(dispute, by=centre, consent=WRITTEN)
    assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=centre)

    login(phone, "coordinator")
    phone.goto(phone.base_url + "/disputes/mine/")  # type: ignore[attr-defined]
    action = phone.get_by_test_id("in-hand").get_by_role("link", name="登记评审意见")
    assert_fits(phone, action)
    shot(phone, "phone-disputes-mine")

    action.click()
    submit = phone.get_by_role("button", name="登记评审意见")
    phone.get_by_label("专家评审意见").fill("林权证载明的林地范围与处罚认定不一致，处罚事实存疑")
    shot(phone, "phone-dispute-review")
    assert_fits(phone, submit)
    submit.click()
    expect(phone.get_by_text("已登记专家评审意见；化解方案期限至")).to_be_visible()
    assert_fits(phone, phone.get_by_role("button", name="登记化解方案"))
    shot(phone, "phone-dispute-plan")
    phone.get_by_label("化解方案").fill("组织四方会谈，由机关重新核查林地范围，核查属实的撤销处罚")
    phone.get_by_role("button", name="登记化解方案").click()
    expect(phone.get_by_text("已登记化解方案")).to_be_visible()
    shot(phone, "phone-dispute-meeting")
    assert_fits(phone, phone.get_by_role("button", name="登记会谈"))


def test_an_agency_reports_on_a_rectification_item_on_a_phone(
    phone: Page, world: World, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    o = world.orgs
    rec = register_recommendation(
        kind=RecommendationKind.JUDICIAL,
        number="（2026）黔2701司建7号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        document=pdf(),
        items=[ItemDraft("规范征收补偿公告和听证程序"), ItemDraft("建立行政应诉举证期限台账，按期提交证据")],
        summary="审理征收补偿案件中发现补偿程序不规范、举证不及时",
        by=world.users["court_duyun"],
    )

    login(phone, "agency_duyun")
    phone.goto(phone.base_url + f"/rectification/{rec.pk}/")  # type: ignore[attr-defined]
    item = phone.get_by_test_id("item").first
    item.get_by_label("整改情况").fill("已修订征收补偿工作规程并公开")
    action = item.get_by_test_id("report-item")
    assert_fits(phone, action)
    shot(phone, "phone-rectification-item")
    action.click()
    expect(phone.get_by_text("已报送第1项的整改情况，等待核验")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_message_is_read_from_the_inbox_on_a_phone(phone: Page, world: World) -> None:
    agency = world.users["agency_duyun"]
    notify(
        [agency],
        subject="开庭通知：（2026）黔2701行初12号",
        body="都匀市人民法院定于2026年12月8日上午9时开庭，请于开庭7日前确定出庭负责人。",
        link="/hearings/mine/",
        dedup_key="hearing:12:notice",
    )
    notify([agency], subject="开庭提醒：7日后开庭", body="请确认出庭负责人。", dedup_key="hearing:12:t7")

    login(phone, "agency_duyun")
    phone.goto(phone.base_url + "/notifications/")  # type: ignore[attr-defined]
    message = phone.get_by_role("button", name="开庭通知：（2026）黔2701行初12号")
    assert_fits(phone, message)
    assert_fits(phone, phone.get_by_role("button", name="全部标为已读"))
    shot(phone, "phone-inbox")
    message.click()
    expect(phone.get_by_role("heading", name="我的出庭任务")).to_be_visible()


def unread_messages(world: World, n: int) -> None:
    for i in range(n):
        notify(
            [world.users["agency_duyun"]],
            subject=f"开庭提醒：第{i + 1}件",
            body="请确认出庭负责人。",
            link="/hearings/mine/",
            dedup_key=f"hearing:{i}:t7",
        )


def test_the_bell_shows_its_unread_count_on_a_phone_without_opening_the_menu(phone: Page, world: World) -> None:
    # given an agency head's liaison with two unread messages, opening a reminder's link on a phone
    unread_messages(world, 2)
    login(phone, "agency_duyun")
    phone.goto(phone.base_url + "/hearings/mine/")  # type: ignore[attr-defined]

    # then the bell and its count are on the top bar, beside the menu button, while the menu stays closed
    bell, count, menu = (
        phone.get_by_test_id("bell"),
        phone.get_by_test_id("unread-count"),
        phone.get_by_role("button", name="菜单"),
    )
    expect(phone.locator("#nav")).to_be_hidden()
    assert_fits(phone, bell)
    assert_fits(phone, count)
    expect(count).to_have_text("2")
    expect(bell).to_have_accessible_name("我的消息（2 条未读）")
    bell_box, menu_box = bell.bounding_box(), menu.bounding_box()
    assert bell_box is not None and menu_box is not None
    assert bell_box["x"] + bell_box["width"] <= menu_box["x"], (bell_box, menu_box)  # side by side, not over it
    assert abs((bell_box["y"] + bell_box["height"] / 2) - (menu_box["y"] + menu_box["height"] / 2)) < 4
    shot(phone, "phone-bell")

    # and opening the menu leaves the bell where it was; the bell opens the inbox
    menu.click()
    expect(phone.locator("#nav").get_by_role("link", name="我的出庭任务")).to_be_visible()
    assert bell.bounding_box() == bell_box
    bell.click()
    expect(phone.get_by_role("heading", name="我的消息")).to_be_visible()
    expect(phone.get_by_test_id("notification")).to_have_count(2)


def test_on_a_wide_screen_the_bell_stays_in_the_bar_between_the_menu_and_the_user(page: Page, world: World) -> None:
    unread_messages(world, 3)
    login(page, "agency_duyun")

    links = page.locator("#nav .navbar-nav > .nav-item")
    boxes = {
        "last_link": links.last.bounding_box(),
        "bell": page.get_by_test_id("bell").bounding_box(),
        "user": page.get_by_test_id("current-user").bounding_box(),
        "logout": page.get_by_role("button", name="退出").bounding_box(),
        "bar": page.locator("nav.navbar").bounding_box(),
    }
    assert all(boxes.values()), boxes
    last_link, bell, user, logout, bar = (boxes[k] for k in ("last_link", "bell", "user", "logout", "bar"))
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    expect(page.get_by_test_id("unread-count")).to_have_text("3")
    # left to right: the links, the bell, the user's name, 退出 — the bell, the name and 退出 on the bar's first row; the
    # links close up and may wrap onto a second row (site.css), but nothing leaves the screen
    assert last_link["x"] + last_link["width"] <= bell["x"] or last_link["y"] > bell["y"]
    assert bell["x"] + bell["width"] <= user["x"] < logout["x"]
    centre = bell["y"] + bell["height"] / 2
    assert all(abs(b["y"] + b["height"] / 2 - centre) < 4 for b in (user, logout)), boxes
    assert logout["x"] + logout["width"] <= 1400
    assert bar["height"] < 130, bar
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    screenshot(page, "desktop-bell")


def test_the_menu_collapses_behind_a_button_on_a_phone(phone: Page, world: World) -> None:
    login(phone, "agency_duyun")
    menu = phone.get_by_role("button", name="菜单")
    assert_fits(phone, menu)
    expect(phone.locator("#nav").get_by_role("link", name="我的出庭任务")).to_be_hidden()
    menu.click()
    link = phone.locator("#nav").get_by_role("link", name="我的出庭任务")
    assert_fits(phone, link)
    shot(phone, "phone-menu")
    link.click()
    expect(phone.get_by_role("heading", name="我的出庭任务")).to_be_visible()


@pytest.mark.parametrize("width", [1024, 1280, 1366])
def test_between_a_tablet_and_a_wide_screen_the_bar_keeps_every_link_and_退出_on_screen(
    page: Page, world: World, width: int
) -> None:
    # The 依法治办 has the most links. From 992 px the menu is no longer behind a button, so it must fit: the links
    # wrap onto a second row of the bar rather than push 退出 off the right edge.
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "rol_pref")

    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    targets = [*page.locator("#nav .navbar-nav > .nav-item").all(), page.get_by_role("button", name="退出")]
    for target in targets:
        box = target.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (target, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"bar-{width}")
