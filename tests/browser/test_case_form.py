import datetime

import pytest
from playwright.sync_api import Page, expect

from fuyuan.cases.models import Case
from tests.browser.conftest import login, screenshot
from tests.factories import World, local_today, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_court_liaison_registers_a_case_after_fixing_a_date_error(page: Page, world: World) -> None:
    login(page, "court_duyun")
    page.goto(page.base_url + "/cases/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="登记新案件（行政诉讼）").click()

    expect(page.get_by_label("法院")).to_be_disabled()
    page.get_by_role("textbox", name="案号", exact=True).fill("（2022）黔2701行初70号")
    page.get_by_label("审级").select_option(label="一审")
    page.get_by_role("combobox", name="被告", exact=True).select_option(label="都匀市自然资源局")
    page.get_by_role("textbox", name="原告", exact=True).fill("李四")
    page.get_by_label("立案日期").fill("2022-03-10")
    page.get_by_label("开庭日期").fill("2022-03-01")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("form-errors")).to_contain_text("请修改下列标红的项目后再保存")
    expect(page.locator(".invalid-feedback")).to_have_text(["开庭日期（2022-03-01）不能早于立案日期（2022-03-10）"])
    screenshot(page, "case-form")
    assert not Case.objects.exists()

    page.get_by_label("开庭日期").fill("2022-04-15")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text("已登记案件 （2022）黔2701行初70号")
    expect(page.get_by_test_id("timeline")).to_contain_text("登记案件 （2022）黔2701行初70号")
    assert Case.objects.get().court == world.orgs["都匀法院"]


def test_a_filing_date_in_the_future_is_refused_on_its_field_with_today_named(page: Page, world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初72号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    login(page, "rol_duyun")
    page.goto(page.base_url + f"/cases/{case.pk}/edit/")  # type: ignore[attr-defined]

    page.get_by_label("立案日期").fill("2099-01-01")
    page.get_by_label("结案日期").fill("2099-02-01")
    page.get_by_label("结案方式").select_option(label="撤销")
    page.get_by_role("button", name="保存").click()

    today = local_today().isoformat()
    expect(page.locator(".invalid-feedback")).to_have_text(
        [f"立案日期（2099-01-01）不能晚于今天（{today}）", f"结案日期（2099-02-01）不能晚于今天（{today}）"]
    )
    screenshot(page, "case-form-future-dates")
    case.refresh_from_db()
    assert (case.filed_on, case.concluded_on) == (datetime.date(2021, 3, 1), None)


def test_an_edit_shows_on_the_timeline_as_old_and_new(page: Page, world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初71号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    login(page, "rol_duyun")
    page.goto(page.base_url + f"/cases/{case.pk}/")  # type: ignore[attr-defined]

    page.get_by_role("link", name="编辑").click()
    page.get_by_label("结案日期").fill("2021-08-20")
    page.get_by_label("结案方式").select_option(label="确认违法")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text("已保存案件")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("修改案件信息")
    expect(timeline).to_contain_text("结案方式")
    expect(timeline).to_contain_text("确认违法")
    expect(timeline).to_contain_text("2021-08-20")
    expect(page.locator(".badge", has_text="败诉").first).to_be_visible()
