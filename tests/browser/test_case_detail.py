import datetime

import pytest
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import CaseKind, Domain, LitigationOutcome
from fuyuan.cases.workflow import register_case, update_case
from tests.browser.conftest import login, screenshot
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agency_liaison_opens_a_lost_case_and_reads_its_path_and_timeline(page: Page, world: World) -> None:
    o = world.orgs
    rol = world.users["rol_pref"]
    recon = register_case(
        {
            "kind": CaseKind.RECONSIDERATION,
            "number": "黔南复〔2021〕60号",
            "reconsideration_body": o["州司法局"],
            "defendant": o["都匀自然资源局"],
            "received_on": datetime.date(2021, 1, 5),
            "plaintiffs": "张三",
        },
        by=rol,
    )
    case = register_case(
        {
            "kind": CaseKind.LITIGATION,
            "number": "（2021）黔2701行初60号",
            "instance": "first",
            "court": o["都匀法院"],
            "defendant": o["都匀自然资源局"],
            "plaintiffs": "张三",
            "domain": Domain.NATURAL_RESOURCES,
            "filed_on": datetime.date(2021, 4, 1),
            "predecessor": recon,
        },
        by=world.users["court_duyun"],
    )
    update_case(
        case,
        {
            "hearing_on": datetime.date(2021, 5, 20),
            "head_appeared": True,
            "appeared_head": "王局长",
            "concluded_on": datetime.date(2021, 7, 1),
            "outcome": LitigationOutcome.REVOKED,
        },
        by=world.users["court_duyun"],
    )

    login(page, "agency_duyun")
    page.goto(page.base_url + "/cases/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="（2021）黔2701行初60号").click()

    expect(page.get_by_role("heading", name="（2021）黔2701行初60号")).to_be_visible()
    expect(page.locator(".badge", has_text="败诉").first).to_be_visible()
    expect(page.get_by_test_id("case-chain")).to_contain_text("黔南复〔2021〕60号")
    expect(page.get_by_test_id("case-chain").get_by_role("link", name="黔南复〔2021〕60号")).to_be_visible()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("登记案件 （2021）黔2701行初60号")
    expect(timeline).to_contain_text("court_duyun")
    expect(timeline).to_contain_text("结案方式")
    expect(timeline).to_contain_text("撤销")
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    screenshot(page, "case-detail")


def test_a_case_with_a_long_history_shows_its_latest_events_and_opens_the_whole_timeline(
    page: Page, world: World
) -> None:
    rol = world.users["rol_pref"]
    case = register_case(
        {
            "kind": CaseKind.LITIGATION,
            "number": "（2021）黔2701行初61号",
            "instance": "first",
            "court": world.orgs["都匀法院"],
            "defendant": world.orgs["都匀自然资源局"],
            "filed_on": datetime.date(2021, 4, 1),
        },
        by=rol,
    )
    for i in range(1, 26):
        case = update_case(case, {"note": f"第{i}次约谈记录"}, by=rol)

    login(page, "rol_pref")
    page.goto(f"{page.base_url}/cases/{case.pk}/")  # type: ignore[attr-defined]

    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("第25次约谈记录")
    expect(timeline).not_to_contain_text("登记案件")
    expect(page.get_by_test_id("timeline-earlier")).to_have_text("较早的 6 条记录未显示 · 查看全部记录")
    screenshot(page, "case-detail-long-history")
    page.get_by_role("link", name="查看全部记录").click()

    expect(page.get_by_role("heading", name="（2021）黔2701行初61号 · 案件时间线")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("登记案件 （2021）黔2701行初61号")
    expect(page.get_by_test_id("timeline")).to_contain_text("第25次约谈记录")
    expect(page.get_by_test_id("list-count")).to_have_text("共 26 条记录")
    expect(page.locator("main, body").first).not_to_contain_text("Context:")
    screenshot(page, "case-timeline")
    page.get_by_role("link", name="（2021）黔2701行初61号").click()
    expect(page.get_by_role("heading", name="（2021）黔2701行初61号")).to_be_visible()
