"""Two people edit the same case in two browsers: the second save is refused, shows the first person's change
beside the second person's own values, and can be re-applied on top of it (issue 7 §6)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """A second browser (its own cookies and session): another person at another desk."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url  # type: ignore[attr-defined]
    yield pg
    context.close()  # before ``page``'s, which then waits for the server (conftest.close)


def test_a_stale_save_shows_the_other_change_and_reapplies_on_top(page: Page, other_page: Page, world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初81号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    edit_url = f"/cases/{case.pk}/edit/"
    login(page, "court_duyun")
    login(other_page, "rol_duyun")
    page.goto(page.base_url + edit_url)  # type: ignore[attr-defined]
    other_page.goto(other_page.base_url + edit_url)  # type: ignore[attr-defined]

    # The other person saves first.
    other_page.get_by_role("textbox", name="原告", exact=True).fill("李四")
    other_page.get_by_role("textbox", name="第三人", exact=True).fill("某村民委员会")
    other_page.get_by_role("button", name="保存").click()
    expect(other_page.get_by_role("alert")).to_contain_text("已保存案件")

    # The court liaison, on the form opened before that save, changes 原告 and the 开庭日期.
    page.get_by_role("textbox", name="原告", exact=True).fill("张三")
    page.get_by_label("开庭日期").fill("2021-05-06")
    page.get_by_role("button", name="保存").click()

    notice = page.get_by_test_id("stale-edit")
    expect(notice).to_contain_text("此案件已被他人修改，您的修改未保存")
    events = page.get_by_test_id("stale-events")
    expect(events).to_contain_text("rol_duyun")
    expect(events).to_contain_text("原告/申请人：（空） → 李四")
    expect(events).to_contain_text("第三人：（空） → 某村民委员会")
    fields = page.get_by_test_id("stale-fields")
    expect(fields.get_by_role("row", name="原告")).to_contain_text("保留您的值，请核对")
    expect(fields.get_by_role("row", name="第三人")).to_contain_text("采用对方的修改")
    # The form holds the court liaison's values, and the other person's where the liaison changed nothing.
    expect(page.get_by_role("textbox", name="原告", exact=True)).to_have_value("张三")
    expect(page.get_by_label("开庭日期")).to_have_value("2021-05-06")
    expect(page.get_by_role("textbox", name="第三人", exact=True)).to_have_value("某村民委员会")
    screenshot(page, "stale-edit")
    case.refresh_from_db()
    assert (case.plaintiffs, case.hearing_on, case.version) == ("李四", None, 2)

    page.get_by_role("button", name="在最新版本上保存我的修改").click()

    expect(page.get_by_role("alert")).to_contain_text("已保存案件")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("rol_duyun")
    expect(timeline).to_contain_text("court_duyun")
    case.refresh_from_db()
    assert (case.plaintiffs, case.third_parties, str(case.hearing_on), case.version) == (
        "张三",
        "某村民委员会",
        "2021-05-06",
        3,
    )
