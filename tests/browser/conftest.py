"""Browser tests: Playwright for Python driving Debian's chromium against the live test server.

Screenshots are written to ``test-artifacts/`` so that a person can look at each page.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"浏览器测试需要 {CHROMIUM}：请先执行 apt-get install chromium fonts-noto-cjk（.ci/run 会安装）")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
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
    context.close()


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/login/")  # type: ignore[attr-defined]
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
