"""一清周报 and the 通报 through the browser: the prefecture's 依法治办 opens the weekly summary, follows a count to
its cases, then picks a month on the bulletins form and downloads the 通报 under its Chinese name."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.documents.bulletin_data import november_2026
from tests.factories import World, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_reads_the_weekly_summary_and_downloads_the_bulletin(page: Page, world: World) -> None:
    november_2026(world)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    make_case(defendant=world.orgs["都匀自然资源局"], filed_on=monday, number="（2026）黔2701行初88号")
    login(page, "rol_pref")

    page.goto(page.base_url + "/stats/weekly/")  # type: ignore[attr-defined]
    week = page.get_by_test_id("week-table")
    expect(week.get_by_role("row", name="都匀市")).to_be_visible()
    expect(page.get_by_test_id("week-range")).to_contain_text(f"{monday.year}年{monday.month}月{monday.day}日（周一）")
    screenshot(page, "weekly")
    week.get_by_role("row", name="都匀市").get_by_role("link", name="1").first.click()
    expect(page.get_by_text("（2026）黔2701行初88号")).to_be_visible()

    page.goto(page.base_url + "/documents/bulletins/")  # type: ignore[attr-defined]
    page.get_by_label("期间").fill("2026-11")
    with page.expect_download() as info:
        page.get_by_test_id("download-docx").click()
    download = info.value

    assert download.suggested_filename == "黔南州2026年11月行政复议和行政诉讼案件情况通报.docx"
    screenshot(page, "bulletins-form")
