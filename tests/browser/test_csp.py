"""The Content-Security-Policy in a real browser (issue 7 §7): the main pages of every role load, run their scripts
(charts, HTMX filters, confirm dialogs, added rows) and the browser reports no policy violation and no script
error; the refusal pages (CSRF, 404) are in Chinese."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

from fuyuan.accountability.models import Compilation
from fuyuan.accountability.typical import edit_case, select_case
from fuyuan.cases.choices import CaseKind, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.disputes.models import Dispute
from fuyuan.packaging.models import CasePackage
from fuyuan.rectification.models import Recommendation
from tests.browser.conftest import login, screenshot
from tests.browser.test_admins import enrol, login_admin
from tests.core.test_csrf import add_records_the_demo_lacks
from tests.factories import World, make_case, make_dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date

# Every violation of the policy, as the page itself hears it (the event fires for each blocked script, style,
# image, frame or eval) — registered before any of the page's own scripts run.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
                    (e.sourceFile || location.pathname) + ":" + e.lineNumber);
});
"""


class Watch:
    """Collects CSP violations and script errors of every page the browser opens."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.visited: list[str] = []
        page.context.add_init_script(LISTEN)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: 脚本错误 {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"{self.page.url}: {text}")

    def collect(self) -> None:
        self.page.wait_for_load_state("networkidle")
        self.problems += [f"{self.page.url}: {v}" for v in self.page.evaluate("window.__csp || []")]

    def open(self, path: str) -> None:
        response = self.page.goto(self.page.base_url + path)  # type: ignore[attr-defined]
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        self.visited.append(path)
        self.collect()


def fill_world(world: World) -> None:
    """Cases over eight months for the charts, a dispute, and the records of the supervision pages."""
    o = world.orgs
    for month in range(1, 9):
        for n, org in enumerate(("都匀自然资源局", "福泉公安局", "州人社局")):
            make_case(
                CaseKind.LITIGATION,
                defendant=o[org],
                cause=("penalty", "licensing", "levy")[n],
                filed_on=D(2026, month, 1),
                hearing_on=D(2026, month, 10),
                head_appeared=month % 3 != 0,
                concluded_on=D(2026, month, 20),
                outcome=LitigationOutcome.REVOKED if (month + n) % 4 == 0 else LitigationOutcome.CLAIM_DISMISSED,
            )
    make_dispute(o["州中心"], agency=o["都匀自然资源局"])
    add_records_the_demo_lacks(world)
    compilation = Compilation.objects.get()
    for number in ("（2026）黔2701行初45号", "（2026）黔2702行初8号"):
        item = select_case(compilation, Case.objects.get(number=number), by=world.users["rol_pref"])
        edit_case(
            item, title=number, summary="案情", cause="原因", comment="点评", lesson="启示", by=world.users["rol_pref"]
        )


def pages_of(world: World) -> dict[str, list[str]]:
    """The main pages of each role (SPEC §2), by persona."""
    case = Case.objects.filter(defendant=world.orgs["都匀自然资源局"]).order_by("pk").first()
    assert case is not None
    dispute_pk = Dispute.objects.get().pk
    typical = Compilation.objects.get().pk
    package = CasePackage.objects.get().pk
    recommendation = Recommendation.objects.get().pk
    return {
        "rol_pref": [
            "/",
            "/cases/",
            reverse("cases:detail", args=[case.pk]),
            reverse("stats:dashboard"),
            reverse("stats:figures"),
            reverse("stats:weekly"),
            reverse("disputes:queue"),
            reverse("disputes:detail", args=[dispute_pk]),
            reverse("hearings:week"),
            reverse("deadlines:list"),
            reverse("deadlines:calculator"),
            reverse("documents:bulletins"),
            reverse("accountability:list"),
            reverse("accountability:loss_list"),
            reverse("accountability:transfer_candidates"),
            reverse("accountability:typical_list"),
            reverse("accountability:typical_detail", args=[typical]),
            reverse("packaging:list"),
            reverse("packaging:detail", args=[package]),
            reverse("rectification:list"),
            reverse("rectification:detail", args=[recommendation]),
            reverse("cases:import"),
        ],
        "leader_pref": ["/", reverse("stats:dashboard"), reverse("packaging:list"), reverse("hearings:week")],
        "agency_duyun": [
            "/",
            reverse("hearings:mine"),
            reverse("rectification:detail", args=[recommendation]),
            reverse("accountability:loss_list"),
        ],
        "court_duyun": ["/", reverse("hearings:court"), reverse("rectification:new"), reverse("hearings:new")],
        "recon_pref": ["/", reverse("cases:list"), reverse("rectification:list")],
        "centre": [
            "/",
            reverse("disputes:queue"),
            reverse("disputes:new"),
            reverse("disputes:detail", args=[dispute_pk]),
        ],
        "coordinator": ["/", reverse("disputes:mine")],
        "discipline": ["/", reverse("accountability:transfer_list")],
    }


@pytest.mark.slow
def test_the_main_pages_of_every_role_run_without_a_policy_violation(page: Page, world: World) -> None:
    fill_world(world)
    watch = Watch(page)

    for persona, paths in pages_of(world).items():
        page.context.clear_cookies()
        login(page, persona)
        for path in paths:
            watch.open(path)

    page.context.clear_cookies()
    for path in ("/login/", "/disputes/apply/"):
        watch.open(path)

    assert watch.problems == []
    assert len(watch.visited) > 40


def test_the_three_administrators_pages_run_without_a_policy_violation(page: Page, world: World) -> None:
    watch = Watch(page)

    # the second-factor set-up (its QR code is an inline SVG or a data: image)
    login(page, "auditadmin")
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    watch.collect()
    screenshot(page, "csp-otp-setup")

    for persona, names in {
        "sysadmin": ["admins:users", "api:systems", "api:docs"],
        "secadmin": ["admins:policy", "admins:lockouts"],
        "auditadmin": ["audit:log"],
    }.items():
        page.context.clear_cookies()
        enrol(persona)
        login_admin(page, persona)
        watch.collect()
        for name in names:
            watch.open(reverse(name))

    assert watch.problems == []


def test_the_dashboard_draws_its_charts_and_tooltips_under_the_policy(page: Page, world: World) -> None:
    fill_world(world)
    watch = Watch(page)
    login(page, "rol_pref")

    watch.open(reverse("stats:dashboard") + "?from=2026-01-01&to=2026-08-31")
    chart = page.locator("#trend-chart canvas")
    expect(chart).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#trend-chart")).to_contain_text("2026")  # ECharts' tooltip: HTML with style attributes
    screenshot(page, "csp-dashboard")
    watch.collect()

    assert watch.problems == []


def test_confirm_dialogs_filters_and_added_rows_work_without_inline_script(page: Page, world: World) -> None:
    fill_world(world)
    watch = Watch(page)
    login(page, "rol_pref")
    base = page.base_url  # type: ignore[attr-defined]
    questions: list[str] = []

    # 印发汇编 asks first (data-confirm); "取消" keeps the draft, "确定" issues it.
    watch.open(reverse("accountability:typical_detail", args=[Compilation.objects.get().pk]))

    def dismiss(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("compilation-state")).to_have_text("草稿")
    assert questions == ["印发后案例不能再修改，确定印发并分送本地区各行政机关吗？"]
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("compilation-state")).to_have_text("已印发")
    watch.collect()

    # The case list's HTMX filter leaves empty filters out of the address (cases-list.js).
    watch.open("/cases/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("关键词").fill("福泉")
    expect(page).to_have_url(base + "/cases/?q=%E7%A6%8F%E6%B3%89")
    assert page.evaluate("window.notReloaded") is True
    watch.collect()

    # A select with data-autosubmit submits its form (the deadlines list's state filter).
    watch.open(reverse("deadlines:list"))
    select = page.locator("select[data-autosubmit]").first
    value = select.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        select.select_option(value)
    assert f"={value}" in page.url
    watch.collect()

    # 登记建议书: "添加整改事项" adds an empty row (rectification-new.js).
    page.context.clear_cookies()
    login(page, "court_duyun")
    watch.open(reverse("rectification:new"))
    rows = page.get_by_test_id("item-row")
    expect(rows).to_have_count(1)
    page.locator("#add-item").click()
    expect(rows).to_have_count(2)
    watch.collect()

    assert watch.problems == []


def test_a_form_sent_without_its_token_gets_the_chinese_refusal_page(page: Page, world: World) -> None:
    watch = Watch(page)
    page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
    page.context.clear_cookies()  # as if the browser had lost its cookies while the page was open
    page.get_by_label("用户名").fill("rol_pref")
    page.get_by_label("密码").fill("Fuyuan-test-2026")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_test_id("csrf-failure")).to_contain_text("所填内容没有保存")
    expect(page.get_by_role("heading")).to_contain_text("请求未被接受")
    screenshot(page, "csrf-failure")
    watch.collect()
    assert watch.problems == []


def test_a_missing_page_is_explained_in_chinese(page: Page, world: World, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    login(page, "agency_duyun")

    response = page.goto(page.base_url + "/no-such-page/")  # type: ignore[attr-defined]

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在（404）")).to_be_visible()
    screenshot(page, "error-404")
