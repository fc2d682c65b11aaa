"""A dispute through the coordination centre, in the browser: the centre registers an application at the window,
confirms the suggested classification, accepts it and forms the 专班 with the top-proposed coordinator as lead; the
coordinator finds it in 我的协调任务 and records the review, the plan and a 四方会谈; the centre concludes it as
mediated; and a party applies online without an account, to be found in the queue as 待受理 (SPEC §6.2)."""

import datetime

import pytest
from captcha.conf import settings as captcha_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.disputes.choices import AssignmentRole, Source, WithdrawalReason
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators, conclude_withdrawn
from tests.browser.conftest import login, screenshot
from tests.browser.test_csp import Watch
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_coordinator, make_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def challenge_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The public form's challenge accepts "PASSED" here (django-simple-captcha's test mode, tests only)."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


def open_menu(page: Page, name: str) -> None:
    page.locator("#nav").get_by_role("link", name=name).click()


def other_disputes(world: World) -> None:
    """The rest of the centre's desk and pool, so that the pages look as they do in use."""
    o, u = world.orgs, world.users
    centre = u["centre"]
    make_coordinator("周律师", org=o["州司法局"], domains=["labour"], title="律师")
    busy = make_coordinator("罗法官", org=o["州中院"], domains=["land_expropriation"], title="退休法官")
    petition = make_dispute(
        o["州中心"], agency=o["福泉公安局"], by=centre, applicants="赵六", matter="不服治安拘留决定",
        source=Source.PETITION,
    )  # fmt: skip
    accept_dispute(petition, by=centre, consent=WRITTEN)
    assign_coordinators(petition, [Choice(busy, AssignmentRole.LEAD)], by=centre)
    # Accepted five weeks ago and still without a 专班: past its 30-day limit.
    group = make_dispute(
        o["州中心"], agency=o["都匀自然资源局"], by=centre, applicants="陈大、陈二、刘三、王四、李五",
        matter="棚户区改造征收安置补偿标准不一，12户村民集体上访", source=Source.HOTLINE,
        received_on=timezone.localdate() - datetime.timedelta(days=36),
    )  # fmt: skip
    accept_dispute(group, by=centre, on=timezone.localdate() - datetime.timedelta(days=35), consent=WRITTEN)
    closed = make_dispute(o["州中心"], agency=o["州人社局"], by=centre, applicants="孙七", matter="工伤认定不服")
    accept_dispute(closed, by=centre, consent=WRITTEN)
    conclude_withdrawn(closed, reason=WithdrawalReason.AGENCY_CORRECTED, by=centre)


def test_a_dispute_is_registered_assigned_worked_and_mediated(page: Page, world: World) -> None:
    o, u = world.orgs, world.users
    make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], title="林业法律专家", user=u["coordinator"])
    other_disputes(world)

    # (a) The centre registers an application at the window.
    login(page, "centre")
    open_menu(page, "协调化解")
    page.get_by_role("link", name="登记争议").click()
    page.locator("#id_applicants").fill("张三")
    page.locator("#id_applicant_id_number").fill("11010519491231002X")
    page.locator("#id_applicant_phone").fill("13912341234")
    page.locator("#id_applicant_address").fill("都匀市文峰路1号")
    page.locator("#id_agency").select_option(label="都匀市自然资源局")
    page.locator("#id_matter").fill("因采伐林木被处以罚款，申请人认为林权证载明的林地属其承包，不应处罚")
    page.locator("#id_claims").fill("撤销罚款决定")
    screenshot(page, "disputes-new")
    page.get_by_role("button", name="登记争议").click()
    expect(page.get_by_text("已登记争议 黔南州争调")).to_be_visible()
    expect(page.get_by_test_id("dispute-state")).to_have_text("待受理")

    # It sees the system's suggestion with its reasons, and confirms the classification.
    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_contain_text("系统建议：林业 · 行政处罚")
    expect(suggestion).to_contain_text("含“林地”“林木”“林权”“采伐”")
    page.get_by_role("button", name="确认分类").click()
    expect(page.get_by_text("已确认分类")).to_be_visible()
    expect(page.locator("#classification")).to_contain_text("已确认")

    # 行政处罚 is neither compensation nor discretion by its type: the file notes 第60条, without blocking.
    expect(page.get_by_test_id("mediation-note")).to_contain_text("行政诉讼法第六十条")
    # Accepts it with the party's consent to mediation (filled in with the applicant and today, as signed), and
    # assigns the top-proposed coordinator, offered as lead.
    expect(page.get_by_test_id("consent")).to_contain_text("尚未记录")
    expect(page.get_by_label("同意调解的当事人")).to_have_value("张三")
    page.get_by_label("同意方式").select_option(label="书面签字同意")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_text("已受理，化解期限至")).to_be_visible()
    expect(page.get_by_test_id("consent")).to_contain_text("张三 · ")
    expect(page.get_by_test_id("consent")).to_contain_text("书面签字同意")
    top = page.get_by_test_id("proposal").first
    expect(top).to_contain_text("李专家")
    expect(top).to_contain_text("擅长林业")
    expect(top.get_by_role("combobox")).to_have_value("lead")
    top.get_by_role("checkbox").check()
    page.get_by_role("button", name="指派所选协调员").click()
    expect(page.get_by_text("已指派 李专家；专家评审期限至")).to_be_visible()
    expect(page.get_by_test_id("team")).to_contain_text("牵头协调员")
    expect(page.get_by_test_id("dispute-state")).to_have_text("专家评审中")
    number = page.locator("h1").inner_text()

    open_menu(page, "协调化解")
    row = page.get_by_test_id("queue-row").filter(has_text=number)
    expect(row).to_contain_text("李专家")
    expect(row).to_contain_text("专家评审中")
    expect(page.get_by_test_id("queue-row").filter(has_text="陈大")).to_contain_text("已逾期")
    screenshot(page, "disputes-queue")

    # (b) The coordinator sees only their dispute, and works on it.
    login(page, "coordinator")
    open_menu(page, "我的协调任务")
    in_hand = page.get_by_test_id("in-hand")
    expect(in_hand.get_by_role("row")).to_have_count(2)
    expect(in_hand).to_contain_text(number)
    expect(in_hand).not_to_contain_text("陈大")
    screenshot(page, "disputes-mine")
    in_hand.get_by_role("link", name="登记评审意见").click()
    page.get_by_label("专家评审意见").fill("林权证载明的林地范围与处罚认定不一致，处罚事实存疑")
    page.get_by_role("button", name="登记评审意见").click()
    expect(page.get_by_text("已登记专家评审意见；化解方案期限至")).to_be_visible()
    page.get_by_label("化解方案").fill("组织四方会谈，由机关重新核查林地范围，核查属实的撤销处罚")
    page.get_by_role("button", name="登记化解方案").click()
    expect(page.get_by_text("已登记化解方案")).to_be_visible()

    # An hour ago, but not before today's midnight: the team was formed today, and a talk before it is refused (in
    # the hour after local midnight, 16:00 UTC, an hour ago is yesterday).
    now = timezone.localtime()
    held_at = max(now - datetime.timedelta(hours=1), now.replace(hour=0, minute=0)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("会谈时间").fill(held_at)
    page.get_by_label("地点").fill("州中心第一会谈室")
    rows = page.get_by_test_id("participant-row")
    expect(rows).to_have_count(4)
    for i, (name, org) in enumerate(
        [("陈法官", "都匀市人民法院"), ("吴专家", "黔南州司法局"), ("王局长", "都匀市自然资源局"), ("张三", "")]
    ):
        rows.nth(i).get_by_label("姓名").fill(name)
        rows.nth(i).get_by_label("单位").fill(org)
    page.get_by_label("会谈纪要").fill("机关同意重新核查林地范围；申请人同意配合现场勘验")
    page.get_by_label("下一步工作").fill("十日内完成现场勘验")
    page.get_by_role("button", name="登记会谈").click()
    expect(page.get_by_text("已登记四方会谈（4 人参加）")).to_be_visible()
    meeting = page.get_by_test_id("meeting")
    expect(meeting).to_contain_text("法官 陈法官（都匀市人民法院）")
    expect(meeting).to_contain_text("当事人 张三")

    # (c) The centre concludes it as mediated.
    login(page, "centre")
    open_menu(page, "协调化解")
    page.get_by_role("link", name=number).click()
    screenshot(page, "disputes-detail")
    page.locator("#mediated summary").click()
    page.get_by_label("调解协议内容").fill("一、被申请人撤销罚款决定；\n二、申请人撤回复议申请。")
    page.get_by_label("当事人申请司法确认").check()
    page.get_by_role("button", name="确认调解成功并办结").click()
    expect(page.get_by_text("已办结：调解成功，当事人申请司法确认")).to_be_visible()
    expect(page.get_by_test_id("dispute-state")).to_have_text("已办结·调解成功")
    expect(page.get_by_test_id("timeline")).to_contain_text("办结：调解成功")
    screenshot(page, "disputes-detail-closed")


def test_a_party_applies_online_and_the_centre_finds_it_waiting(page: Page, world: World) -> None:
    # (d) No login: the application form is open to anyone, and its challenge runs under the site's CSP.
    watch = Watch(page)
    page.goto(page.base_url + "/disputes/apply/")  # type: ignore[attr-defined]
    page.get_by_label("向哪个协调化解中心申请").select_option(label="黔南州行政争议协调化解中心")
    page.get_by_label("申请人姓名").fill("李四")
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("手机号码").fill("1391234")
    page.get_by_label("联系地址").fill("都匀市剑江路8号")
    page.get_by_label("您与哪个行政机关发生争议").fill("都匀市自然资源局")
    page.get_by_label("发生了什么事").fill("2026年3月，自然资源局以违法占地为由责令拆除我家房屋，但房屋有宅基地证")
    page.get_by_label("您希望怎样解决").fill("撤销拆除决定")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("手机号码应为11位数字")).to_be_visible()
    expect(page.get_by_text("请勾选同意后再提交")).to_be_visible()
    screenshot(page, "disputes-apply")
    # The challenge: a picture of four letters, and another one on asking.
    challenge = page.get_by_test_id("challenge").get_by_role("img", name="验证码图片")
    expect(challenge).to_have_js_property("complete", True)
    assert challenge.evaluate("img => img.naturalWidth") > 0
    before = challenge.get_attribute("src")
    page.get_by_role("button", name="看不清，换一张").click()
    expect(challenge).not_to_have_attribute("src", before or "")
    watch.collect()
    assert watch.problems == []
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("我同意中心使用以上信息联系我").check()
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("apply-done")).to_contain_text("中心将在 5 个工作日内")
    number = page.get_by_test_id("apply-number").inner_text()
    screenshot(page, "disputes-apply-done")

    # Submitted again by the back button: no second number, the first one with a word why.
    page.go_back()
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("apply-repeated")).to_contain_text("不会重复登记")
    expect(page.get_by_test_id("apply-number")).to_have_text(number)
    screenshot(page, "disputes-apply-repeated")

    login(page, "centre")
    open_menu(page, "协调化解")
    row = page.get_by_test_id("queue-row").filter(has_text=number)
    expect(row).to_contain_text("线上申请")
    expect(row).to_contain_text("待受理")
    expect(row).to_contain_text("李四")


def test_a_party_applies_again_from_the_login_page_and_the_centre_merges_the_repeat(page: Page, world: World) -> None:
    o = world.orgs
    first = make_dispute(
        o["州中心"], agency=o["都匀自然资源局"], by=world.users["centre"], applicants="李四",
        matter="自然资源局责令拆除我家房屋，但房屋有宅基地证", source=Source.WINDOW,
    )  # fmt: skip
    accept_dispute(first, by=world.users["centre"], consent=WRITTEN)

    # The party finds the form from the log-in page, applies again and consents to mediation.
    page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="在线申请行政争议协调化解").click()
    page.get_by_label("向哪个协调化解中心申请").select_option(label="黔南州行政争议协调化解中心")
    page.get_by_label("申请人姓名").fill("李四")
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("联系地址").fill("都匀市剑江路8号")
    page.get_by_label("您与哪个行政机关发生争议").fill("都匀市自然资源局")
    page.get_by_label("发生了什么事").fill("自然资源局责令拆除我家房屋，可我家房屋有宅基地证")
    page.get_by_label("您希望怎样解决").fill("撤销拆除决定")
    page.get_by_label("我同意中心使用以上信息联系我").check()
    page.get_by_label("我同意由协调化解中心组织调解").check()
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="提交申请").click()
    number = page.get_by_test_id("apply-number").inner_text()

    # The centre opens it: 可能重复, with a link to the dispute on file, and merges it.
    login(page, "centre")
    open_menu(page, "协调化解")
    page.get_by_test_id("queue-row").filter(has_text=number).get_by_role("link", name=number).click()
    duplicates = page.get_by_test_id("duplicates")
    expect(duplicates).to_contain_text("可能重复")
    expect(duplicates.get_by_role("link", name=first.number)).to_be_visible()
    expect(page.get_by_test_id("consent")).to_contain_text("线上申请时勾选同意")
    screenshot(page, "disputes-duplicate")
    duplicates.get_by_role("button", name=f"将本件并入 {first.number}").click()
    expect(page.get_by_text(f"已将本件并入 {first.number} 办理")).to_be_visible()
    expect(page.get_by_test_id("dispute-state")).to_have_text("已办结·不予受理")
    page.get_by_role("link", name=first.number).first.click()
    expect(page.get_by_test_id("timeline")).to_contain_text(f"收到重复申请 {number}（线上申请，李四），并入本件办理")
