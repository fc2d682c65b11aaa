"""四必治败诉 through the browser: a first-instance loss opens a review; the 依法治办 records the 通报, the losing
agency its 倒查 analysis, the court its 点评, and the 依法治办 the 约谈 and the 追责 decision (SPEC §6.3)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.accountability.models import LossReview
from fuyuan.cases.choices import ActType, Domain, LitigationOutcome
from fuyuan.cases.workflow import update_case
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def lose(world: World, number: str, agency: str, court: str, days_ago: int = 3) -> None:
    case = make_case(
        number=number, defendant=world.orgs[agency], court=world.orgs[court], cause=ActType.PENALTY,
        domain=Domain.NATURAL_RESOURCES,
    )  # fmt: skip
    concluded = timezone.localdate() - datetime.timedelta(days=days_ago)
    update_case(case, {"outcome": LitigationOutcome.REVOKED, "concluded_on": concluded}, by=world.users["rol_pref"])


def test_the_office_agency_and_court_take_a_loss_through_the_four_steps(page: Page, world: World) -> None:
    lose(world, "（2026）黔2701行初45号", "都匀自然资源局", "都匀法院")
    lose(world, "（2026）黔2702行初9号", "福泉公安局", "福泉法院", days_ago=40)
    review = LossReview.objects.get(case__number="（2026）黔2701行初45号")

    # The 依法治办 finds the loss in its list and records the 通报.
    login(page, "rol_duyun")
    page.goto(page.base_url + "/accountability/losses/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("loss-row")).to_have_count(1)
    page.get_by_role("link", name="（2026）黔2701行初45号").click()
    page.get_by_label("通报文号").fill("都法办通〔2026〕3号")
    page.get_by_label("通报内容").fill("都匀市自然资源局一审败诉（撤销），通报全市各部门引以为戒。")
    page.get_by_role("button", name="登记通报").click()
    expect(page.get_by_text("已登记通报，已通知败诉机关开展倒查分析")).to_be_visible()
    expect(page.get_by_test_id("loss-state")).to_have_text("待倒查")

    # The losing agency analyses (谁败诉、谁分析).
    login(page, "agency_duyun")
    page.goto(page.base_url + f"/accountability/losses/{review.pk}/")  # type: ignore[attr-defined]
    page.get_by_label("逾期举证").check()
    page.get_by_label("程序违法").check()
    page.get_by_label("原因分析").fill("收到起诉状副本后未在15日内提交证据，视为没有证据（行政诉讼法第34条）。")
    page.get_by_label("责任人员").fill("政策法规科 张某")
    page.get_by_label("整改措施").fill("建立应诉举证台账，法规科每周核对期限。")
    page.get_by_role("button", name="提交倒查分析").click()
    expect(page.get_by_test_id("causes")).to_contain_text("程序违法")
    expect(page.get_by_test_id("loss-state")).to_have_text("待约谈")

    # The court adds its comment.
    login(page, "court_duyun")
    page.goto(page.base_url + f"/accountability/losses/{review.pk}/")  # type: ignore[attr-defined]
    page.get_by_label("程序方面").fill("被告逾期举证，程序上处于不利地位。")
    page.get_by_label("出庭应诉方面").fill("负责人出庭但未发言。")
    page.get_by_role("button", name="保存点评").click()
    expect(page.get_by_test_id("court-comment")).to_contain_text("被告逾期举证")

    # The 依法治办 records the 约谈 and the decision.
    login(page, "rol_duyun")
    page.goto(page.base_url + f"/accountability/losses/{review.pk}/")  # type: ignore[attr-defined]
    page.get_by_label("约谈人（政府领导）").fill("都匀市副市长 李某")
    page.get_by_label("被约谈人（败诉机关负责人）").fill("都匀市自然资源局局长 王局长")
    page.get_by_label("约谈结论").fill("限期一个月完成举证制度整改并书面报告。")
    page.get_by_role("button", name="登记约谈").click()
    expect(page.get_by_test_id("loss-state")).to_have_text("待追责决定")
    page.get_by_label("不予追责", exact=True).check()
    page.get_by_label("追责决定 / 不予追责理由").fill("首次逾期举证，已主动整改，情节轻微，不予追责。")
    page.get_by_role("button", name="登记决定并办结").click()
    expect(page.get_by_test_id("loss-state")).to_have_text("已办结")
    expect(page.get_by_test_id("timeline")).to_contain_text("作出决定：不予追责")
    screenshot(page, "loss-review")

    # The prefecture's list shows both counties' losses; 福泉's notice is overdue.
    login(page, "rol_pref")
    page.goto(page.base_url + "/accountability/losses/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("loss-row")).to_have_count(2)
    expect(page.get_by_test_id("loss-list")).to_contain_text("已逾期")
    screenshot(page, "loss-review-list")
