"""The coordinator pool in the browser (专业协调员库, issue 4): the centre's staff add an expert, declare a conflict
of interest for them, and find both in the pool's list; the 依法治办 reads the same list without the keeper's buttons."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import Domain
from fuyuan.disputes.choices import ConsentWay
from fuyuan.disputes.models import Conflict
from fuyuan.disputes.workflow import Choice, Consent, accept_dispute, assign_coordinators
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_coordinator, make_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_pool(world: World) -> None:
    """A few experts already in the pool, so that the list looks as it does in use."""
    o = world.orgs
    judge = make_coordinator(
        "罗法官", org=o["州中院"], domains=["land_expropriation"], title="退休法官", phone="13912345678"
    )
    make_coordinator("周律师", org=o["州司法局"], domains=["labour"], title="律师", max_load=3)
    away = make_coordinator("吴教授", org=o["州司法局"], domains=["environment"], title="教授")
    away.available = False
    away.save()
    Conflict.objects.create(coordinator=judge, person_name="赵六", reason="曾代理其民事案件")
    d = make_dispute(o["州中心"], agency=o["福泉公安局"], applicants="孙七", matter="不服治安拘留决定")
    consent = Consent("孙七", timezone.localdate(), ConsentWay.WRITTEN)
    accepted = accept_dispute(d, by=world.users["centre"], consent=consent)
    assign_coordinators(accepted, [Choice(judge)], by=world.users["centre"])


def test_centre_staff_add_an_expert_declare_a_conflict_and_see_it_in_the_pool(page: Page, world: World) -> None:
    a_pool(world)
    login(page, "centre")
    page.goto(page.base_url + "/disputes/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="专业协调员库").click()
    expect(page.get_by_role("heading", name="专业协调员库")).to_be_visible()

    # Adds an expert; a bad limit is refused first, naming the field.
    page.get_by_role("link", name="新增协调员").click()
    page.get_by_label("姓名").fill("杨林")
    page.get_by_label("职务/职称").fill("林业高级工程师")
    page.get_by_label("所在单位").select_option(label="都匀市司法局")
    page.get_by_label("所在地区").select_option(label="\u3000都匀市")
    page.get_by_label(Domain.FORESTRY.label, exact=True).check()
    page.get_by_label(Domain.NATURAL_RESOURCES.label, exact=True).check()
    page.get_by_label("联系电话").fill("13987654321")
    page.get_by_label("同时承办上限").fill("80")
    page.get_by_role("button", name="加入专家库").click()
    expect(page.get_by_text("同时承办上限应为 1 到 50 之间的整数")).to_be_visible()
    screenshot(page, "coordinator-form")
    page.get_by_label("同时承办上限").fill("4")
    page.get_by_role("button", name="加入专家库").click()
    expect(page.get_by_text("已将 杨林 加入专业协调员库")).to_be_visible()
    expect(page.get_by_test_id("coordinator-facts")).to_contain_text("自然资源、林业")
    expect(page.get_by_test_id("timeline")).to_contain_text("加入专业协调员库：杨林（都匀市司法局）")

    # Declares a conflict with an agency.
    declare = page.get_by_test_id("declare")
    declare.get_by_label("回避单位").select_option(label="都匀市自然资源局")
    declare.get_by_label("回避事由").fill("配偶在该局任职")
    declare.get_by_role("button", name="申报").click()
    expect(page.get_by_text("已申报：杨林 回避都匀市自然资源局")).to_be_visible()
    expect(page.get_by_test_id("conflict")).to_contain_text("配偶在该局任职")
    screenshot(page, "coordinator-detail")

    # The list shows the new expert, masked phone, load and the declaration.
    page.get_by_role("link", name="专业协调员库").first.click()
    row = page.get_by_test_id("pool-row").filter(has_text="杨林")
    expect(row).to_contain_text("都匀市司法局")
    expect(row).to_contain_text("139****4321")
    expect(row.get_by_test_id("load")).to_contain_text("0 / 4")
    expect(row.get_by_test_id("availability")).to_have_text("可接受指派")
    expect(row.get_by_test_id("conflicts")).to_have_text("1 项")
    expect(page.get_by_test_id("pool-row").filter(has_text="罗法官").get_by_test_id("load")).to_contain_text("1 / 5")

    # Bookmarkable filters: 林业 experts who may be assigned.
    page.get_by_label("擅长领域").select_option(label="林业")
    expect(page).to_have_url(re.compile(r"domain=forestry"))
    expect(page.get_by_test_id("pool-row")).to_have_count(1)
    page.goto(page.url.split("?")[0])
    screenshot(page, "coordinator-pool", docs=True)

    # Withdraws the declaration (after confirming): it stays on the page, struck through, with who and why.
    page.get_by_role("link", name="杨林").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("撤回理由").fill("配偶已调离该局")
    page.get_by_role("button", name="撤回").click()
    expect(page.get_by_text("已撤回对都匀市自然资源局的回避申报")).to_be_visible()
    expect(page.get_by_test_id("conflicts-withdrawn")).to_contain_text("由centre撤回：配偶已调离该局")
    expect(page.get_by_test_id("timeline")).to_contain_text("撤回利益冲突申报：回避都匀市自然资源局")
    screenshot(page, "coordinator-detail-withdrawn")


def test_the_rule_of_law_office_reads_the_pool_without_the_keepers_buttons(page: Page, world: World) -> None:
    a_pool(world)
    login(page, "rol_pref")
    page.goto(page.base_url + "/disputes/coordinators/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("pool-row")).to_have_count(3)
    expect(page.get_by_role("link", name="新增协调员")).to_have_count(0)
    page.get_by_role("link", name="罗法官").click()
    expect(page.get_by_test_id("conflict")).to_contain_text("赵六")
    expect(page.get_by_role("link", name="修改信息")).to_have_count(0)
    expect(page.get_by_role("button", name="移出专家库")).to_have_count(0)
