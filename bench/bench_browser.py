"""What a page load costs the browser the browser tests drive: Debian's full ``chromium`` against its headless shell
(``chromium-headless-shell``, the same chromium without the desktop browser; tests/browser/conftest.py).

    .venv/bin/python bench/bench_browser.py [--pages 60]

Serves Fuyuan on a throwaway database in a thread (Django's threaded server, as the browser tests' live server), then
for each browser: logs a user in, loads the case list ``--pages`` times in one browser context, and opens
``--pages`` fresh contexts on the log-in page (every browser test starts with one). It measures the CPU time of the
browser's processes (itself, its renderers and helpers, read from /proc) per page, and prints both browsers' costs
and the ratio shell / full of each (the suite's browser tests, about 15 page loads and a context or two each, paid
0.58 of the full browser's CPU with the shell: bench/README.md). The server's own time is not counted: it is the same
for both.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time
from pathlib import Path

from _setup import start_django

PASSWORD = "Bench-browser-2026!"
TICKS = os.sysconf("SC_CLK_TCK")


def descendants_cpu(root: int) -> float:
    """CPU seconds of every process below ``root`` (the Playwright driver and the browser it started), the processes
    they have waited for included."""
    children: dict[int, list[int]] = {}
    spent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        spent[int(entry.name)] = sum(int(f) for f in fields[11:15])
    total, stack = 0, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            total += spent.get(child, 0)
            stack.append(child)
    return total / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    where = start_django(reset=False)

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from playwright.sync_api import sync_playwright

    from fuyuan.core.models import Region, RegionLevel, Role, User
    from tests.browser.conftest import CHROMIUM, FLAGS, HEADLESS_SHELL  # the browsers and flags the tests drive

    browsers = {"chromium": CHROMIUM, "chromium-headless-shell": HEADLESS_SHELL}

    region = Region.objects.create(name="基准州", level=RegionLevel.PREFECTURE)
    user = User(username="bench_office", role=Role.RULE_OF_LAW_OFFICE, region=region, full_name="基准州依法治办")
    user.set_password(PASSWORD)
    user.save()

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())
    logging.getLogger("fuyuan.request").setLevel(logging.WARNING)  # a line per request would bury the results
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"数据库：{where}；服务：{site}")

    me = os.getpid()
    costs: dict[str, tuple[float, float]] = {}
    with sync_playwright() as playwright:
        for name, executable in browsers.items():
            if not Path(executable).exists():
                print(f"{name}：未安装（{executable}），跳过")
                continue
            browser = playwright.chromium.launch(
                executable_path=executable, args=FLAGS, env={**os.environ, "LANGUAGE": "zh_CN"}
            )
            context = browser.new_context(locale="zh-CN", reduced_motion="reduce")
            page = context.new_page()
            page.goto(f"{site}/login/")
            page.get_by_label("用户名").fill(user.username)
            page.get_by_label("密码").fill(PASSWORD)
            with page.expect_navigation():
                page.get_by_role("button", name="登录").click()
            page.goto(f"{site}/cases/")  # the static files in the context's cache, as after a test's first page
            time.sleep(0.5)

            started = descendants_cpu(me)
            for n in range(args.pages):
                page.goto(f"{site}/cases/?page={n % 3 + 1}")
            time.sleep(0.5)
            per_page = (descendants_cpu(me) - started) / args.pages
            context.close()

            started = descendants_cpu(me)
            for _ in range(args.pages):
                fresh = browser.new_context(locale="zh-CN", reduced_motion="reduce")
                fresh.new_page().goto(f"{site}/login/")
                fresh.close()
            time.sleep(0.5)
            per_context = (descendants_cpu(me) - started) / args.pages
            browser.close()
            costs[name] = (per_page, per_context)
            print(
                f"{name}：每次页面加载 {per_page * 1000:.0f} ms CPU；每个新上下文打开登录页 {per_context * 1000:.0f} ms CPU"
            )
    server.shutdown()
    if len(costs) == 2:
        (full_page, full_context), (shell_page, shell_context) = costs["chromium"], costs["chromium-headless-shell"]
        print(
            f"比值（headless shell / chromium）：页面加载 {shell_page / full_page:.2f}，新上下文 {shell_context / full_context:.2f}"
        )


if __name__ == "__main__":
    main()
