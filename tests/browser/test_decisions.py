"""The 决策承办单位 runs a major decision through 公众参与, 专家论证 and 风险评估 to the legality review, and a member of
the public comments on the draft without an account (SPEC §6.6)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.decisions import workflow as wf
from tests.browser.conftest import login, open_menu_page, screenshot
from tests.factories import build_world, make_coordinator, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_runs_a_decision_to_the_review_and_the_public_comments(page: Page) -> None:
    world = build_world()
    office = world.users["rol_duyun"]
    today = timezone.localdate()
    catalogue = wf.create_catalogue(world.regions["都匀市"], today.year, by=office)
    wf.add_catalogue_item(
        catalogue,
        title="都匀市城区停车收费标准调整",
        owner=world.orgs["都匀自然资源局"],
        planned_start=today,
        planned_end=today + datetime.timedelta(days=120),
        by=office,
    )
    wf.approve_catalogue(catalogue, approved_on=today, basis="经市委常委会同意", by=office)
    wf.publish_catalogue(catalogue, published_on=today, by=office)
    make_coordinator("李教授", org=make_org("黔南民族师范学院", world.regions["黔南州"]), title="教授")

    # the 承办单位 starts the procedure from the catalogue and publishes the draft for 30 days
    login(page, "agency_duyun")
    open_menu_page(page, "依法决策", "重大决策")
    page.get_by_role("link", name=str(catalogue)).click()
    page.get_by_label("决策草案").fill("城区停车收费标准调整方案（征求意见稿）：一类区域每小时3元，夜间免费。")
    page.get_by_role("button", name="启动决策程序").click()
    expect(page.get_by_test_id("step-experts")).to_contain_text("公众参与尚未完成")
    until = today + datetime.timedelta(days=30)
    form = page.get_by_test_id("form-open_comment")
    form.get_by_label("征求意见开始日期").fill(today.isoformat())
    form.get_by_label("征求意见截止日期").fill((today + datetime.timedelta(days=20)).isoformat())
    form.get_by_role("button", name="发布征求意见").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("不足30日")
    form = page.get_by_test_id("form-open_comment")
    form.get_by_label("征求意见截止日期").fill(until.isoformat())
    form.get_by_role("button", name="发布征求意见").click()
    expect(page.get_by_test_id("step-public")).to_have_attribute("data-state", "current")
    public_url = page.get_by_role("link", name="公众意见页").get_attribute("href")
    decision_url = page.url

    # a member of the public, without an account
    public = page.context.browser.new_context(locale="zh-CN")  # type: ignore[union-attr]
    visitor = public.new_page()
    visitor.goto(page.base_url + public_url)  # type: ignore[attr-defined]
    expect(visitor.get_by_test_id("draft")).to_contain_text("夜间免费")
    visitor.get_by_label("姓名或单位（可不填）").fill("市民王某")
    visitor.get_by_label("意见内容").fill("建议学校周边上下学时段限时免费停车。")
    visitor.get_by_role("button", name="提交意见").click()
    expect(visitor.locator("body")).to_contain_text("您的意见已提交")
    screenshot(visitor, "decisions-public-comment")

    # the period over: every comment answered, the answers published, then the experts, the risks and the review
    later = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(10)))
    with time_machine.travel(later, tick=True):
        day = timezone.localdate()
        login(page, "agency_duyun")
        page.goto(decision_url)
        page.get_by_label("理由").fill("学校周边另设临时停车区，予以采纳")
        page.get_by_role("button", name="答复").click()
        page.get_by_role("button", name="公布意见采纳情况，结束公众参与").click()
        expect(page.get_by_test_id("step-public")).to_have_attribute("data-state", "done")

        page.get_by_label("专家（专业协调员库）").select_option(label="李教授")
        page.get_by_role("button", name="邀请论证").click()
        page.get_by_label("书面论证意见").fill("方案总体可行，建议设置过渡期。")
        page.get_by_label("专家署名").fill("李教授")
        page.get_by_label("署名日期").fill(day.isoformat())
        page.get_by_role("button", name="登记意见").click()
        page.get_by_role("button", name="完成专家论证").click()

        page.get_by_label("风险点及防范措施（每行一个：风险点｜防范措施）").fill(
            "收费上调引发群众不满｜分时段收费、设置过渡期"
        )
        page.get_by_label("风险处置预案").fill("舆情应对与信访接待预案")
        page.get_by_role("button", name="登记风险评估").click()
        expect(page.get_by_test_id("step-risk")).to_have_attribute("data-state", "done")

        review = page.get_by_test_id("form-send_review")
        review.get_by_label("送请审查日期").fill(day.isoformat())
        review.get_by_label("审查期限（不少于7个工作日）").fill((day + datetime.timedelta(days=2)).isoformat())
        review.get_by_role("button", name="送请合法性审查").click()
        expect(page.get_by_test_id("form-error")).to_contain_text("不足7个工作日")
        review = page.get_by_test_id("form-send_review")
        review.get_by_label("审查期限（不少于7个工作日）").fill((day + datetime.timedelta(days=14)).isoformat())
        review.get_by_role("button", name="送请合法性审查").click()

        expect(page.get_by_test_id("step-review")).to_contain_text("送请都匀市司法局审查")
        expect(page.get_by_test_id("step-discussion")).to_have_attribute("data-state", "locked")
        expect(page.get_by_test_id("why-discussion")).to_contain_text("合法性审查尚未完成")
        screenshot(page, "decisions-owner-to-review")

        visitor.reload()
        expect(visitor.get_by_test_id("answers")).to_contain_text("采纳：学校周边另设临时停车区")
    public.close()


def _decision_at(stage: str, **kw: object) -> tuple[object, object]:
    """A decision run to ``stage`` on its own days (the workflow reads "now"); the browser then runs on real time."""
    from fuyuan.core.models import Role
    from fuyuan.decisions.models import Decision
    from tests.decisions.conftest import run_to
    from tests.factories import make_user

    world = build_world()
    justice = make_user("justice_duyun", Role.RECONSIDERATION_BODY, org=world.orgs["都匀司法局"])
    expert = make_coordinator("李教授", org=make_org("黔南民族师范学院", world.regions["黔南州"]))
    start = timezone.make_aware(datetime.datetime(2026, 8, 3, 10))
    with time_machine.travel(start, tick=False) as traveller:

        def clock(day: datetime.date) -> None:
            traveller.move_to(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))))

        office = world.users["rol_duyun"]
        catalogue = wf.create_catalogue(world.regions["都匀市"], 2026, by=office)
        item = wf.add_catalogue_item(
            catalogue,
            title="都匀市城区停车收费标准调整",
            owner=world.orgs["都匀自然资源局"],
            planned_start=datetime.date(2026, 8, 1),
            planned_end=datetime.date(2026, 12, 31),
            by=office,
        )
        wf.approve_catalogue(catalogue, approved_on=datetime.date(2026, 8, 3), basis="经市委常委会同意", by=office)
        wf.publish_catalogue(catalogue, published_on=datetime.date(2026, 8, 3), by=office)
        decision: Decision = wf.start_decision(item, draft="城区停车收费标准调整方案", by=world.users["agency_duyun"])
        decision = run_to(stage, decision, world, clock, justice, expert, **kw)  # type: ignore[arg-type]
        if stage == "legality_review":
            clock(datetime.date(2026, 9, 11))
            decision = wf.send_for_legality_review(
                decision,
                sent_on=datetime.date(2026, 9, 11),
                review_until=datetime.date(2026, 9, 22),
                by=world.users["agency_duyun"],
            )
    return world, decision


def test_the_justice_bureau_gives_its_legality_review_opinion(page: Page) -> None:
    _decision_at("legality_review")

    login(page, "justice_duyun")
    open_menu_page(page, "依法决策", "重大决策")
    page.get_by_role("link", name="都匀市城区停车收费标准调整").click()
    form = page.get_by_test_id("form-review")
    form.get_by_label("审查结论").select_option(label="修改后合法")
    form.get_by_label("合法性审查意见").fill("草案第五条关于滞纳金的规定缺乏上位法依据。")
    form.get_by_label("提出法律意见的法律顾问或公职律师").fill("赵律师")
    form.get_by_label("法律顾问或公职律师的法律意见").fill("建议删除第五条。")
    form.get_by_role("button", name="出具审查意见").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("请写明需要修改的内容")
    page.get_by_test_id("form-review").get_by_label("需要修改的内容（修改后合法的必填）").fill("删除第五条")
    page.get_by_test_id("form-review").get_by_role("button", name="出具审查意见").click()

    expect(page.get_by_test_id("conclusion")).to_contain_text("修改后合法")
    expect(page.get_by_test_id("step-discussion")).to_contain_text("尚未登记按审查意见修改的情况")
    expect(page.get_by_role("link", name="下载合法性审查意见书")).to_be_visible()
    screenshot(page, "decisions-reviewer")


def test_the_office_supervises_and_records_the_collective_discussion(page: Page) -> None:
    _, decision = _decision_at("collective_discussion")

    # the prefecture's 依法治办 reads every step of the county's decision, with nothing to change
    login(page, "rol_pref")
    open_menu_page(page, "依法决策", "重大决策")
    expect(page.get_by_test_id("decision-row")).to_contain_text("集体讨论决定")
    page.get_by_role("link", name="都匀市城区停车收费标准调整").click()
    expect(page.get_by_test_id("step-review")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("form-discussion")).to_have_count(0)

    # the county's 依法治办, for the government office, records the meeting: the head speaks last
    login(page, "rol_duyun")
    page.goto(page.base_url + f"/decisions/{decision.pk}/")  # type: ignore[attr-defined]
    form = page.get_by_test_id("form-discussion")
    form.get_by_label("会议日期").fill("2026-09-24")
    speeches = form.get_by_label("发言记录", exact=False)
    speeches.fill("市长：原则同意[行政首长]\n副市长甲：同意\n副市长乙：建议延后实施[不同意见]")
    form.get_by_label("决定内容").fill("同意城区停车收费标准调整方案")
    form.get_by_role("button", name="登记集体讨论决定").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("行政首长应当最后发表意见")
    form = page.get_by_test_id("form-discussion")
    form.get_by_label("发言记录", exact=False).fill(
        "副市长甲：同意\n副市长乙：建议延后实施[不同意见]\n市长：原则同意，按程序公布[行政首长]"
    )
    form.get_by_role("button", name="登记集体讨论决定").click()
    expect(page.get_by_test_id("step-discussion")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("step-publication")).to_have_attribute("data-state", "current")
    screenshot(page, "decisions-office")
