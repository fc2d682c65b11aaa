"""Leader case-packaging through the browser (两包, SPEC §6.4): the 都匀 依法治办 packages two cases to the county's
leader, the leader reports the month's progress, and the 州 依法治办's dispatch page shows it beside a lagging
prefecture package."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.core.models import Role
from fuyuan.packaging.models import CasePackage
from fuyuan.packaging.workflow import create_package
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_packages_two_cases_leader_reports_and_the_dispatch_page_shows_it(page: Page, world: World) -> None:
    o, u = world.orgs, world.users
    today = timezone.localdate()
    leader = make_user("leader_duyun", Role.LEADER, region=world.regions["都匀市"])
    leader.full_name = "李副市长"
    leader.save()
    u["leader_pref"].full_name = "王副州长"
    u["leader_pref"].save()
    for n, plaintiff in ((21, "张某某"), (22, "张某某等12人")):
        make_case(
            number=f"（2026）黔2701行初{n}号", defendant=o["都匀自然资源局"], court=o["都匀法院"], plaintiffs=plaintiff
        )
    group = make_case(number="（2026）黔2702行初9号", defendant=o["福泉公安局"], court=o["福泉法院"], group_size=35)
    behind = create_package(
        kind="supervise", leader=u["leader_pref"], cases=[group], goal="督促群体性案件诉前化解",
        due_on=today + datetime.timedelta(days=20), by=u["rol_pref"],
    )  # fmt: skip
    CasePackage.objects.filter(pk=behind.pk).update(last_activity_on=today - datetime.timedelta(days=40))

    # given the 都匀 依法治办 packages two cases to 李副市长
    login(page, "rol_duyun")
    page.goto(page.base_url + "/packaging/")  # type: ignore[attr-defined]
    page.get_by_test_id("new-package").click()
    page.get_by_label("包案类型").select_option(label="包案化解")
    page.get_by_label("包案领导").select_option(label="李副市长（都匀市）")
    page.get_by_label("案号").fill("（2026）黔2701行初21号\n（2026）黔2701行初22号")
    page.get_by_label("化解目标").fill("组织专班协商，促成行政赔偿案件调解结案")
    page.get_by_label("完成期限").fill((today + datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="安排包案").click()
    expect(page.get_by_test_id("message")).to_have_text("已安排领导包案，并通知包案领导")
    expect(page.get_by_test_id("package-cases").get_by_role("link")).to_have_count(2)

    # when the leader reports the month's progress
    page.context.clear_cookies()
    login(page, "leader_duyun")
    page.goto(page.base_url + "/packaging/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("package-row")).to_have_count(1)
    page.get_by_role("link", name="包案化解").click()
    page.get_by_label("进展情况").fill("已召开专班会议，原告同意以调解方式解决")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_test_id("progress")).to_contain_text("原告同意以调解方式解决")

    # then the 州 依法治办's dispatch page shows it, and the lagging package in red
    page.context.clear_cookies()
    login(page, "rol_pref")
    page.goto(page.base_url + "/packaging/dispatch/")  # type: ignore[attr-defined]
    rows = page.get_by_test_id("dispatch-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="李副市长")).to_contain_text("原告同意以调解方式解决")
    expect(rows.filter(has_text="王副州长").get_by_test_id("lagging")).to_be_visible()
    expect(page.get_by_test_id("download-docx")).to_be_visible()
    screenshot(page, "packaging")
