"""Performance of an effective judgment through the browser (SPEC §6.9): the court liaison opens the item from the
case page, the agency reports performance with proof, and the court liaison records late performance and the court's
measures (a daily fine of the head, and a 司法建议 that goes into the 销账本); the county's 依法治办 reads 履行率."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import LitigationOutcome
from tests.browser.conftest import login, open_linkage_page, screenshot
from tests.factories import World, make_case, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_court_opens_the_agency_reports_and_the_court_records_late_performance_and_measures(
    page: Page, world: World, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    proof = tmp_path / "支付凭证.pdf"
    proof.write_bytes(PDF)
    advice = tmp_path / "司法建议书.pdf"
    advice.write_bytes(PDF)
    today = timezone.localdate()
    days = datetime.timedelta
    make_org("都匀市人民政府", world.regions["都匀市"])
    case = make_case(
        defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"], number="（2026）黔2701行初88号",
        filed_on=today - days(200), concluded_on=today - days(60), outcome=LitigationOutcome.ORDERED_TO_PAY,
        effective_on=today - days(40),
    )  # fmt: skip

    # The court liaison opens the item from the case page, with the judgment's own period.
    login(page, "court_duyun")
    page.goto(page.base_url + f"/cases/{case.pk}/")  # type: ignore[attr-defined]
    page.get_by_test_id("open-performance").click()
    page.get_by_label("履行内容类别").select_option(label="给付/支付")
    page.get_by_label("应履行事项").fill("支付征收补偿款 20000 元")
    page.get_by_label("履行期限").fill((today - days(10)).isoformat())
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_text("已登记履行事项，已通知被告机关")).to_be_visible()
    expect(page.get_by_test_id("item-state")).to_have_text("待履行·已逾期")

    # The agency finds it under 裁判履行 and reports with proof.
    login(page, "agency_duyun")
    open_linkage_page(page, "裁判履行")
    page.get_by_role("link", name="（2026）黔2701行初88号").click()
    page.get_by_label("履行情况").fill("已通过国库集中支付转账 20000 元")
    page.get_by_label("履行证明材料").set_input_files(str(proof))
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_text("已报告履行情况，等待法院确认")).to_be_visible()
    expect(page.get_by_test_id("proof-link")).to_have_text("支付凭证.pdf")

    # The court liaison confirms late performance, then records a fine and a 司法建议.
    login(page, "court_duyun")
    open_linkage_page(page, "裁判履行")
    page.get_by_role("link", name="（2026）黔2701行初88号").click()
    page.get_by_label("履行完毕日期").fill((today - days(3)).isoformat())
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_text("已确认履行")).to_be_visible()
    expect(page.get_by_test_id("item-state")).to_have_text("逾期履行")
    expect(page.get_by_test_id("item-performed")).to_contain_text("逾期 7 日")

    page.get_by_test_id("measure-details").locator("summary").click()
    page.get_by_label("措施（行政诉讼法 第96条）").select_option(label="罚款")
    page.locator("#id_m-text").fill("自期满之日起对该局负责人按日处罚款")
    page.get_by_label("每日罚款金额（元，罚款时填）").fill("80")
    page.get_by_test_id("measure-submit").click()
    expect(page.get_by_text("已登记法院措施")).to_be_visible()

    page.get_by_test_id("measure-details").locator("summary").click()
    page.get_by_label("措施（行政诉讼法 第96条）").select_option(label="司法建议")
    page.locator("#id_m-text").fill("建议督促该局规范补偿款支付流程，按期履行生效裁判")
    page.get_by_label("接受司法建议的机关（司法建议时填）").select_option(label="都匀市人民政府")
    page.get_by_label("司法建议书文号").fill("（2026）黔2701司建9号")
    page.get_by_label("司法建议书扫描件").set_input_files(str(advice))
    page.get_by_test_id("measure-submit").click()
    expect(page.get_by_text("已登记法院措施")).to_be_visible()
    expect(page.get_by_test_id("measure")).to_have_count(2)
    expect(page.get_by_test_id("recommendation-link")).to_have_text("（2026）黔2701司建9号")
    expect(page.get_by_test_id("timeline")).to_contain_text("逾期履行（超过期限 7 日）")
    screenshot(page, "performance-late-with-measures", docs=True)

    # The case page shows the item in its panel.
    page.get_by_role("link", name="（2026）黔2701行初88号").first.click()
    expect(page.get_by_test_id("case-performance-item")).to_contain_text("逾期履行")

    # The county's 依法治办 reads the figures: performed late, one of one due.
    login(page, "rol_duyun")
    window = f"?date_from={(today - days(60)).isoformat()}&date_to={today.isoformat()}"
    page.goto(page.base_url + "/performance/figures/" + window)  # type: ignore[attr-defined]
    expect(page.get_by_test_id("performance-rate")).to_have_text("100.00%")
    expect(page.get_by_test_id("figure-row")).to_contain_text(["都匀市自然资源局"])
    page.get_by_test_id("total-late").click()
    expect(page.get_by_test_id("performance-row")).to_have_count(1)
    page.go_back()
    screenshot(page, "performance-figures", docs=True)
    page.goto(page.base_url + "/stats/dashboard/" + window)  # type: ignore[attr-defined]
    expect(page.get_by_test_id("performance-card-overdue")).to_have_text("0")
    expect(page.get_by_test_id("performance-card-rate")).to_have_text("100.00%")
    screenshot(page, "performance-dashboard-card")
