"""The reconsideration body's figures in a browser: its staff read the rates and follow a number to its files."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import login, screenshot
from tests.factories import build_world
from tests.reconsideration.test_figures import build_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bodys_staff_read_the_figures_and_open_the_files_behind_a_number(page: Page) -> None:
    world = build_world()
    start = timezone.make_aware(datetime.datetime(2026, 11, 2, 10))
    # The files are built on their own days (the workflow reads "now"); the browser then runs on the real time.
    with time_machine.travel(start, tick=False) as traveller:
        files = build_files(
            world, lambda day: traveller.move_to(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))))
        )

    login(page, "recon_pref")
    page.goto(page.base_url + "/reconsideration/figures/?date_from=2026-11-01&date_to=2027-01-31&by=month")  # type: ignore[attr-defined]

    decision = page.get_by_test_id("card").filter(has_text="按期办结率")
    expect(decision.get_by_test_id("value")).to_have_text("80.00%")
    expect(page.get_by_test_id("card").filter(has_text="按期受理率").get_by_test_id("value")).to_have_text("85.71%")
    expect(page.get_by_test_id("card").filter(has_text="平均办理天数").get_by_test_id("value")).to_have_text("36.4 天")
    expect(page.locator("#figure-table tbody tr")).to_have_count(3)
    screenshot(page, "reconsideration-figures")

    decision.get_by_test_id("numerator").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_test_id("figure-banner")).to_contain_text("在审理期限内办结")
    expect(page.get_by_test_id("file")).to_have_count(4)
    for name in "甲乙戊庚":
        expect(page.locator("#file-table")).to_contain_text(files[name].receipt_number)
    expect(page.locator("#file-table")).not_to_contain_text(files["丁"].receipt_number)
    screenshot(page, "reconsideration-figures-files")
