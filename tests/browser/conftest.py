"""Browser tests: Playwright for Python driving Debian's chromium against the live test server.

Screenshots are written to ``test-artifacts/`` when ``FUYUAN_SCREENSHOTS=1`` is set (``make screenshots``) so that a
person can look at each page. The ones the README and the issue notes show are also copied to ``docs/screenshots/``
when ``FUYUAN_DOCS_SCREENSHOTS=1`` is set, so that an ordinary test run leaves the repository as it was.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.factories import PASSWORD

# The tests drive Debian's headless shell of chromium (chromium-headless-shell: the same chromium, version and Blink
# without the desktop browser around them, as Playwright's own headless tests use): a page load costs chromium about
# half the CPU it costs the full browser, and the browser tests were a third of the suite's time (bench/README.md has
# the measurement). A screenshot for a person to look at (``make screenshots``, the README's pictures) is taken with the
# full chromium, whose date inputs show the users' 年/月/日 (chromium-l10n) where the shell shows yyyy/mm/dd.
CHROMIUM = "/usr/bin/chromium"
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
PACKAGES = "chromium chromium-headless-shell chromium-l10n fonts-noto-cjk"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# What a person sees may take a while on a busy CI machine: assertions wait as long as actions do (15 s).
expect.set_options(timeout=15_000)

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def screenshots_wanted() -> bool:
    return os.environ.get("FUYUAN_SCREENSHOTS") == "1" or os.environ.get("FUYUAN_DOCS_SCREENSHOTS") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = CHROMIUM if screenshots_wanted() else HEADLESS_SHELL
    if not Path(executable).exists():
        pytest.fail(f"浏览器测试需要 {executable}：请先执行 apt-get install {PACKAGES}（.ci/run 会安装）")
    with sync_playwright() as p:
        # Chinese date inputs (年/月/日) as the users' browsers show them: chromium takes its UI language from
        # LANGUAGE, and needs Debian's chromium-l10n for the zh-CN resources (.ci/run installs it).
        b = p.chromium.launch(executable_path=executable, args=FLAGS, env={**os.environ, "LANGUAGE": "zh_CN"})
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # Reduced motion (which Bootstrap honours) makes a collapse or a fade finish at once: a click never lands on a
    # form that is still opening, which on a busy machine lost the typical-case save now and then.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url  # type: ignore[attr-defined]
    yield pg
    close(context, live_server)


def close(context: BrowserContext, live_server) -> None:  # type: ignore[no-untyped-def]
    """Close a browser context at the end of a test, then wait until the server has answered what it still asked: a
    part of the page may still be loading (an HTMX panel that writes, such as the case page's similar cases), and the
    test's database is emptied only afterwards (tests/liveserver.py). The server waits for every browser context's
    connections: a test's other contexts are closed before this one."""
    context.close()
    if not live_server.thread.httpd.wait_until_idle(timeout=30):
        pytest.fail("关闭浏览器后 30 秒内测试服务器仍有未完成的连接")


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    # The page the log-in leads to (or the form again, with its message): loaded, not waited on until the network
    # has been idle for half a second, which every log-in paid for nothing.
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def screenshot(page: Page, name: str, *, docs: bool = False) -> Path:
    """The whole page as a PNG in test-artifacts/ when a person asks to look (``make screenshots``, or
    ``FUYUAN_SCREENSHOTS=1``); with ``docs``, one the README or an issue note shows (see above). A full-page picture
    costs a few tenths of a second of both cores, 140 times a run: ``make test`` and CI take none."""
    path = ARTIFACTS / f"{name}.png"
    if not screenshots_wanted():
        return path
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    if docs and os.environ.get("FUYUAN_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / f"{name}.png")
    return path


def open_menu_page(page: Page, menu: str, item: str) -> None:
    """Open one entry of a dropdown of the top menu as a person does: the dropdown (``menu``: 府院联动, 依法决策…),
    then the entry."""
    page.wait_for_load_state("load")  # the dropdown opens by Bootstrap's (deferred) script
    dropdown = page.locator("#nav .dropdown").filter(has=page.get_by_role("button", name=menu, exact=True))
    dropdown.get_by_role("button", name=menu, exact=True).click()
    dropdown.get_by_role("link", name=item, exact=True).click()


def open_linkage_page(page: Page, item: str) -> None:
    """Open one page of the 府院联动 menu (联席会议, 风险提示, 裁判履行, 非诉执行)."""
    open_menu_page(page, "府院联动", item)
