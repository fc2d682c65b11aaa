import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from fuyuan.cases.choices import ActType, CaseKind, Domain, LitigationOutcome, ReconsiderationOutcome
from fuyuan.cases.models import Case
from tests.browser.conftest import login, screenshot
from tests.factories import World, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_registry(world: World) -> None:
    o = world.orgs
    outcomes = [LitigationOutcome.REVOKED, LitigationOutcome.CLAIM_DISMISSED, None]
    for i in range(55):
        outcome = outcomes[i % 3]
        make_case(
            number=f"（2021）黔2701行初{100 + i}号",
            defendant=o["都匀自然资源局"] if i % 2 else o["福泉公安局"],
            court=o["都匀法院"] if i % 2 else o["福泉法院"],
            plaintiffs=f"原告{i}",
            cause=ActType.PENALTY if i % 2 else ActType.LICENSING,
            domain=Domain.NATURAL_RESOURCES if i % 2 else Domain.PUBLIC_SECURITY,
            filed_on=datetime.date(2021, 1, 4) + datetime.timedelta(days=i),
            concluded_on=datetime.date(2021, 9, 1) if outcome else None,
            outcome=outcome or "",
        )
    for i in range(8):
        make_case(
            CaseKind.RECONSIDERATION,
            number=f"黔南复〔2021〕{200 + i}号",
            defendant=o["州人社局"],
            reconsideration_body=o["州司法局"],
            plaintiffs=f"申请人{i}",
            domain=Domain.LABOUR,
            concluded_on=datetime.date(2021, 6, 1) if i % 2 else None,
            outcome=ReconsiderationOutcome.REVOKED if i % 2 else "",
        )


def test_a_rule_of_law_officer_filters_and_pages_the_list_without_reloading(page: Page, world: World) -> None:
    fill_registry(world)
    login(page, "rol_pref")
    page.goto(page.base_url + "/cases/")  # type: ignore[attr-defined]
    expect(page.get_by_test_id("case-count")).to_contain_text("共 63 件，第 1 / 2 页")
    screenshot(page, "case-list")
    page.evaluate("window.notReloaded = true")

    page.get_by_label("类别").select_option(label="行政复议")

    expect(page.get_by_test_id("case-count")).to_contain_text("共 8 件")
    expect(page).to_have_url(page.base_url + "/cases/?kind=reconsideration")  # type: ignore[attr-defined]
    expect(page.locator("tbody tr").first).to_contain_text("黔南复〔2021〕")

    page.get_by_label("类别").select_option(label="全部")
    page.get_by_label("关键词").fill("福泉")
    expect(page.get_by_test_id("case-count")).to_contain_text("共 28 件")

    page.get_by_label("关键词").fill("")
    expect(page.get_by_test_id("case-count")).to_contain_text("第 1 / 2 页")
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_test_id("case-count")).to_contain_text("第 2 / 2 页")
    expect(page.locator("tbody tr")).to_have_count(13)
    assert "page=2" in page.url
    assert page.evaluate("window.notReloaded") is True


def test_a_long_export_shows_its_progress_and_gives_the_whole_file(page: Page, world: World) -> None:
    first = make_case(number="（2021）黔2701行初0号", defendant=world.orgs["都匀自然资源局"], plaintiffs="原告0")
    copies = []
    for n in range(1, 3000):
        copy = Case.objects.get(pk=first.pk)
        copy.pk, copy.number, copy.plaintiffs = None, f"（2021）黔2701行初{n}号", f"原告{n}"
        copies.append(copy)
    Case.objects.bulk_create(copies)
    login(page, "rol_pref")
    page.goto(page.base_url + "/cases/")  # type: ignore[attr-defined]
    # A slow line (40 KB/s), so that the export lasts a few seconds as a province's would.
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": 40 * 1024, "uploadThroughput": -1},
    )

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="导出Excel").click()
        progress = page.get_by_test_id("export-progress")
        expect(progress).to_contain_text("正在导出 3000 件案件，已接收")
        expect(progress.locator(".progress-bar")).to_be_visible()
        screenshot(page, "case-export-progress")

    expect(progress).to_contain_text("导出完成：共 3000 件")
    screenshot(page, "case-export-done")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    rows = list(workbook["行政诉讼"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3000 and download.value.suggested_filename.startswith("案件台账-")
