"""类案检索 through the browser: a county 依法治办 opens a case and reads the panel of similar cases (outcomes, the
share lost, why each matched), uploads the judgment of one of them, then describes a new case on the search page."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, open_menu_page, screenshot
from tests.factories import World
from tests.similar.conftest import make_similar_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _judgment(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("贵州省都匀市人民法院 行政判决书")
    document.add_paragraph("原告王某，公民身份号码522701198001011234，联系电话13912345678。")
    document.add_paragraph("被告都匀市自然资源局未经催告即强制拆除原告养殖棚，程序违法，确认被诉强制拆除行为违法。")
    path = tmp_path / "（2021）黔2701行初2号判决书.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_county_office_reads_similar_cases_uploads_a_judgment_and_searches_a_description(
    page: Page, world: World, tmp_path: Path
) -> None:
    cases = make_similar_cases(world)
    login(page, "rol_duyun")
    page.goto(page.base_url + f"/cases/{cases['asked'].pk}/")  # type: ignore[attr-defined]
    panel = page.get_by_test_id("similar-panel")
    expect(panel).to_contain_text("（2021）黔2701行初2号")
    expect(panel).to_contain_text("确认违法")
    expect(panel).to_contain_text("同案由：行政强制")
    expect(page.get_by_test_id("similar-loss-share")).to_contain_text("已结一审 2 件，败诉 1 件，败诉占比 50.00%")
    expect(panel).not_to_contain_text("（2021）黔2702行初3号")  # 福泉市: not the county's
    expect(panel).not_to_contain_text("（2021）黔2701行初1号")  # the case itself
    screenshot(page, "similar-panel")

    # The judgment of the lost neighbour, uploaded on its page: kept, searched, shown masked.
    page.goto(page.base_url + f"/cases/{cases['twin'].pk}/")  # type: ignore[attr-defined]
    page.get_by_test_id("judgments").locator("input[type=file]").set_input_files(str(_judgment(tmp_path)))
    page.get_by_test_id("judgments").get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert")).to_contain_text("已上传裁判文书")
    page.get_by_test_id("judgments").locator("summary").click()
    text = page.get_by_test_id("judgment-text")
    expect(text).to_contain_text("5227**********1234")
    expect(text).to_contain_text("139****5678")
    expect(text).not_to_contain_text("13912345678")
    screenshot(page, "similar-judgment")

    open_menu_page(page, "类案与预警", "类案检索")
    page.get_by_label("案情描述").fill("养殖棚被认定为违建，未经催告就被强拆，请求确认违法")
    page.get_by_role("button", name="检索").click()
    rows = page.get_by_test_id("similar-row")
    expect(rows.first).to_contain_text("（2021）黔2701行初2号")
    expect(rows.first).to_contain_text("确认违法")
    expect(page.get_by_test_id("similar-results")).not_to_contain_text("（2021）黔2702行初3号")
    screenshot(page, "similar-search")
