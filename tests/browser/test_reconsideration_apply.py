"""The citizen's online reconsideration application in the browser, without an account (SPEC §6.8 item 1): a
mistake named on the form, the receipt with its number and code, a correction before examination, the 补正 the body
asked for, and the file followed with the number and the code — all under the site's CSP."""

import datetime
from pathlib import Path

import pytest
from captcha.conf import settings as captcha_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.reconsideration.choices import Stage
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import request_correction
from tests.browser.conftest import screenshot
from tests.browser.test_csp import Watch
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def challenge_test_mode(monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The picture challenge accepts "PASSED" here (django-simple-captcha's test mode, tests only)."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    settings.DATA_DIR = tmp_path


def test_a_citizen_applies_online_corrects_the_application_and_follows_it(
    page: Page, world: World, tmp_path: Path
) -> None:
    decision = tmp_path / "处罚决定书.pdf"
    decision.write_bytes(PDF)
    knew = timezone.localdate() - datetime.timedelta(days=10)
    watch = Watch(page)

    # Apply: a wrong phone number is named, nothing is registered.
    page.goto(page.base_url + "/reconsideration/apply/")  # type: ignore[attr-defined]
    page.get_by_label("向哪个行政复议机构申请").select_option(label="黔南州司法局")
    page.get_by_label("被申请人（作出该行政行为的机关）").fill("都匀市自然资源局")
    page.get_by_label("不服的行政行为").fill("都匀市自然资源局以滥伐林木为由对我作出罚款二万元的行政处罚决定")
    page.get_by_label("决定书文号").fill("都自然资罚〔2026〕8号")
    # A day of knowing more than 60 days ago is warned of on the form, before submitting (第20条); a later one is not.
    expect(page.get_by_test_id("late-known-on")).to_be_hidden()
    page.get_by_label("您知道该行政行为的日期").fill((timezone.localdate() - datetime.timedelta(days=75)).isoformat())
    expect(page.get_by_test_id("late-known-on")).to_be_visible()
    expect(page.get_by_test_id("late-known-on")).to_contain_text("您仍然可以提交申请")
    screenshot(page, "reconsideration-apply-late-warning")
    page.get_by_label("您知道该行政行为的日期").fill(knew.isoformat())
    expect(page.get_by_test_id("late-known-on")).to_be_hidden()
    page.get_by_label("申请事项（行政复议请求）").fill("撤销该行政处罚决定")
    page.get_by_label("事实和理由").fill("我采伐的是自家承包地里的枯死林木，已经办理了采伐许可证，处罚认定事实错误。")
    page.get_by_label("申请人姓名").fill("张三")
    page.get_by_label("身份证号码").fill("522701199001011238")
    page.get_by_label("手机号码").fill("1391234")
    page.get_by_label("住址").fill("都匀市文峰路1号")
    page.get_by_label("申请材料").set_input_files(str(decision))
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="提交行政复议申请").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("手机号码应为11位数字")
    expect(page.get_by_test_id("files-again")).to_contain_text("请重新选择要上传的文件")
    assert not Application.objects.exists()
    screenshot(page, "reconsideration-apply-error")

    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("申请材料").set_input_files(str(decision))
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="提交行政复议申请").click()

    # The receipt: the number and the code, to be written down; what happens next and by when.
    expect(page.get_by_test_id("apply-done")).to_contain_text("您的行政复议申请已提交")
    expect(page.get_by_test_id("write-down")).to_contain_text("请现在就把收件编号和查询码抄写下来")
    expect(page.get_by_test_id("apply-done")).to_contain_text("五个工作日内审查是否受理")
    expect(page.get_by_test_id("apply-done")).to_contain_text("5227**********1238")
    number = page.get_by_test_id("receipt-number").inner_text()
    code = page.get_by_test_id("follow-code").inner_text()
    # The receipt (回执) says what was received and how to follow it, and prints without the site around it.
    expect(page.get_by_test_id("receipt-title")).to_have_text("行政复议申请回执")
    expect(page.get_by_test_id("received")).to_contain_text("撤销该行政处罚决定")
    expect(page.get_by_test_id("received-materials")).to_contain_text("共 1 件：处罚决定书.pdf")
    expect(page.get_by_test_id("how-to-follow")).to_contain_text("/reconsideration/apply/follow/")
    screenshot(page, "reconsideration-apply-receipt", docs=True)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_test_id("print-receipt").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("print-receipt")).to_be_hidden()
    expect(page.get_by_test_id("follow-code")).to_have_text(code)
    screenshot(page, "reconsideration-apply-receipt-print")
    page.emulate_media(media="screen")
    watch.collect()

    # Follow: a wrong code is refused as a missing number would be; the right one opens the file.
    page.get_by_role("link", name="查询进度、修改申请").click()
    page.get_by_label("收件编号").fill(number)
    page.get_by_label("查询码").fill("00000000" if code != "00000000" else "11111111")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("收件编号或查询码不正确")
    page.get_by_label("收件编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("stage")).to_have_text("待审查")
    expect(page.get_by_test_id("progress")).to_contain_text("已收到行政复议申请")

    # Correct the application before the body examines it.
    page.get_by_role("link", name="修改申请、补充材料").click()
    expect(page.get_by_test_id("amend-form")).to_contain_text("5227**********1238")
    page.get_by_label("申请事项（行政复议请求）").fill("撤销该行政处罚决定，并退还已缴纳的罚款")
    screenshot(page, "reconsideration-amend")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_test_id("notice")).to_contain_text("申请已修改")
    expect(page.get_by_test_id("progress")).to_contain_text("申请人修改了申请")
    expect(page.get_by_test_id("state")).to_contain_text("并退还已缴纳的罚款")

    # The body asks for a 补正: the follow page lists it with its last day, the applicant supplies it.
    application = Application.objects.get()
    request_correction(application, items=["行政处罚决定书送达回证", "缴纳罚款的凭证"], by=world.users["recon_pref"])
    page.reload()
    expect(page.get_by_test_id("stage")).to_have_text("待补正")
    expect(page.get_by_test_id("correction-items")).to_contain_text("缴纳罚款的凭证")
    expect(page.get_by_test_id("correction-due")).to_contain_text("补正期限")
    expect(page.get_by_test_id("no-amend")).to_contain_text("申请已不能在网上修改")
    screenshot(page, "reconsideration-follow-correction", docs=True)
    page.get_by_label("补正说明").fill("已上传送达回证和缴款凭证")
    page.get_by_label("补正材料").set_input_files(str(decision))
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_test_id("notice")).to_contain_text("补正材料已提交")
    expect(page.get_by_test_id("stage")).to_have_text("受理审查中")
    expect(page.get_by_test_id("progress")).to_contain_text("已收到补正材料")
    screenshot(page, "reconsideration-follow")
    watch.collect()
    assert watch.problems == []
    assert Application.objects.get().stage == Stage.EXAMINING
