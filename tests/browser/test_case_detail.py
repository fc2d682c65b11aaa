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
