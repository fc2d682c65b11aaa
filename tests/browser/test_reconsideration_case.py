"""A reconsideration case in the browser (issue 14): the body's staff member finds an application in the queue,
examines and accepts it (the 第53条 suggestions shown), sends the copy; the respondent's liaison finds it under
复议答复 and replies with its evidence; the body's head decides 撤销 and downloads the 决定书, which opens in Word's
format with the decision in it."""

import io
from pathlib import Path

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.core.models import Role
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import accept, send_copy_to_respondent
from tests.browser.conftest import login, screenshot
from tests.browser.test_csp import Watch
from tests.factories import World, make_user
from tests.reconsideration.conftest import ID_NUMBER, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Page) -> None:
    page.context.clear_cookies()


def other_files(world: World) -> None:
    """The rest of the body's desk, so that the queue looks as it does in use."""
    staff = world.users["recon_pref"]
    accept(receive(world, applicant_name="李四", amount=800).application, by=staff, procedure="simplified")
    waiting = receive(world, applicant_name="王五", contested_act="都匀市自然资源局不予登记决定").application
    accept(waiting, by=staff)
    send_copy_to_respondent(waiting, by=staff)


def test_the_staff_member_runs_a_case_to_a_decision_and_the_agency_replies(
    page: Page, world: World, tmp_path: Path, settings
) -> None:
    settings.DATA_DIR = tmp_path
    head = make_user("recon_head", Role.RECONSIDERATION_BODY, org=world.orgs["州司法局"])
    head.is_head = True
    head.save(update_fields=["is_head"])
    other_files(world)
    app = receive(world).application
    watch = Watch(page)

    # The staff member: the queue, the file, examination, acceptance, the copy.
    login(page, "recon_pref")
    page.locator("#nav").get_by_role("link", name="复议办案").click()
    expect(page.get_by_test_id("queue")).to_contain_text(app.receipt_number)
    expect(page.get_by_test_id("queue")).not_to_contain_text("张三")  # masked: 张*
    watch.collect()
    screenshot(page, "reconsideration-queue")
    page.get_by_role("link", name=app.receipt_number).click()
    expect(page.get_by_test_id("particulars")).not_to_contain_text(ID_NUMBER)
    page.get_by_test_id("action-examine").get_by_role("button", name="开始审查").click()
    expect(page.locator(".alert-success")).to_contain_text("已开始受理审查")
    accept_card = page.get_by_test_id("action-accept")
    expect(accept_card).to_contain_text("本案不属于第53条所列情形")
    page.get_by_test_id("action-reject").locator("summary").click()
    expect(page.get_by_test_id("action-reject")).to_contain_text("不属于本机关管辖")
    screenshot(page, "reconsideration-file-examining")
    accept_card.get_by_role("button", name="受理").click()
    expect(page.get_by_test_id("stage")).to_have_text("审理中")
    page.get_by_test_id("action-copy").get_by_role("button", name="发送申请书副本").click()
    expect(page.get_by_test_id("reply")).to_contain_text("尚未答复")
    expect(page.get_by_test_id("head-only")).to_contain_text("须经行政复议机构负责人批准")
    extension = page.get_by_test_id("action-extension")
    extension.locator("summary").click()
    extension.get_by_label("延期理由").fill("需要对林地界址进行现场勘验")
    extension.get_by_role("button", name="申请延长审理期限").click()
    expect(page.get_by_test_id("extension")).to_contain_text("待机构负责人批准")
    watch.collect()

    # The respondent's liaison: 复议答复, the reply with two files of evidence.
    logout(page)
    login(page, "agency_duyun")
    page.locator("#nav").get_by_role("link", name="复议答复").click()
    expect(page.get_by_test_id("awaiting")).to_contain_text(app.receipt_number)
    screenshot(page, "reconsideration-replies")
    page.get_by_test_id("awaiting-row").filter(has_text=app.receipt_number).get_by_role("link", name="答复").click()
    page.get_by_label("书面答复").fill("申请人占用林地建房的事实清楚，处罚依据《森林法》第七十四条，程序合法。")
    page.get_by_label("证据、依据和其他有关材料").set_input_files(
        [
            {"name": "现场勘验笔录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
            {"name": "处罚决定书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
        ]
    )
    screenshot(page, "reconsideration-reply-form")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交书面答复和 2 份证据、依据")
    expect(page.get_by_test_id("materials")).to_contain_text("现场勘验笔录.pdf")
    watch.collect()

    # The head: the decision 撤销, the 决定书 downloaded and opened.
    logout(page)
    login(page, "recon_head")
    page.goto(page.base_url + f"/reconsideration/{app.pk}/")  # type: ignore[attr-defined]
    approve = page.get_by_test_id("action-approve_extension")
    approve.get_by_label("批准延长天数（1至30日）").fill("20")
    approve.get_by_role("button", name="批准延长审理期限").click()
    expect(page.get_by_test_id("extension")).to_contain_text("20日")
    decide = page.get_by_test_id("action-decide")
    decide.get_by_label("决定结果").select_option(label="撤销")
    decide.get_by_label("认定的事实（经审理查明）").fill("被申请人作出处罚前未告知申请人陈述、申辩的权利。")
    decide.get_by_label("理由和依据（本机关认为）").fill("被申请人作出行政处罚违反法定程序，依法应予撤销。")
    decide.get_by_label("决定内容（每行一项）").fill("撤销被申请人作出的都自然资罚〔2026〕8号行政处罚决定。")
    screenshot(page, "reconsideration-decide")
    decide.get_by_role("button", name="作出行政复议决定").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("撤销")
    expect(page.get_by_test_id("decision-facts")).to_contain_text("未告知申请人陈述、申辩的权利")
    expect(page.get_by_test_id("decision-content")).to_contain_text("撤销被申请人作出的")
    expect(page.get_by_test_id("stage")).to_have_text("已作出决定")
    screenshot(page, "reconsideration-file-decided", docs=True)
    with page.expect_download() as info:
        page.get_by_test_id("document-decision").click()
    download = info.value
    assert download.suggested_filename == "行政复议决定书.docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs)
    assert "撤销被申请人" in text and "违反法定程序" in text and "现场勘验" not in text
    with page.expect_download() as info:
        page.get_by_test_id("archive").click()
    assert info.value.suggested_filename.endswith("案卷.zip")
    # Served, then not performed (第77条): the order to perform goes into the 销账本 with the 约谈 recorded.
    page.get_by_test_id("action-service").get_by_label("送达日期").fill(timezone.localdate().isoformat())
    page.get_by_test_id("action-service").get_by_role("button", name="登记送达").click()
    expect(page.get_by_test_id("stage")).to_have_text("已送达")
    performance = page.get_by_test_id("action-non_performance")
    performance.locator("summary").click()
    performance.get_by_label("不履行或者拖延履行的情况").fill("被申请人逾期未退还已收缴的罚款")
    performance.get_by_label("责令履行期限").fill("2099-01-31")
    performance.get_by_label("责令履行通知书文号").fill("黔南州复履〔2026〕1号")
    performance.get_by_label("责令履行通知书文件").set_input_files(
        {"name": "责令履行通知书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    performance.get_by_label("约谈被申请人有关负责人").check()
    performance.get_by_label("约谈、通报情况（时间、对象）").fill("约谈都匀市自然资源局分管负责人")
    screenshot(page, "reconsideration-non-performance-form")
    performance.get_by_role("button", name="登记不履行、责令履行").click()
    expect(page.get_by_test_id("non-performance")).to_contain_text("销账本 黔南州复履〔2026〕1号")
    screenshot(page, "reconsideration-file-non-performance")
    watch.collect()
    assert watch.problems == []
    assert Application.objects.get(pk=app.pk).case.outcome == "revoked"
