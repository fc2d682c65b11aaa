"""Server time and queries per page of the load mix (issue 19): the pages ``bench/load/locustfile.py`` requests, one by
one, on the demo prefecture with N cases.

    .venv/bin/python bench/bench_pages.py [--cases 20000] [--runs 5] [--profile 案件详情] [--reset | --existing]

Fills the database with ``fuyuan demo --cases N`` (云岭州), then, as the prefecture's 依法治办 ``zfb_zhou``, requests each
page of the mix through Django's test client: the case list (page 2), the filtered list, a case page (its audit
record written by the audit middleware), the dashboard uncached (the figures' generation raised before each run, as
a change of a counted field does) and cached, the edit form and its save (the form read beforehand, untimed), the
anonymous log-in page. Prints a table: the median server time of ``--runs`` requests (the whole request: middleware,
view, template), the CPU time, and the SQL queries of one request.
``--profile NAME`` prints where one request of that page spends its time (cProfile, top 30 by cumulative time).
Last, the CPU time of one request of the load's mix: the pages weighted as ``bench/load/locustfile.py`` weights its
users' tasks — what bounds the requests a second the machine's cores can serve.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _setup import start_django

USER = "zfb_zhou"


def form_fields(html: str) -> dict[str, str]:
    """The fields the load users submit (bench/load/form_fields.py)."""
    sys.path.insert(0, str(Path(__file__).parent / "load"))
    from form_fields import form_fields as parse

    return parse(html)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", default="")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--existing", action="store_true", help="DATABASE_URL already holds the demo: use it as it is")
    args = parser.parse_args()
    database = start_django(reset=args.reset, existing=args.existing)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fuyuan.cases.models import Case
    from fuyuan.core.models import User
    from fuyuan.stats.cache import raise_generation

    started = time.perf_counter()
    if not args.existing:
        call_command("demo", cases=args.cases, verbosity=0)
    print(f"数据库：{database}；演示数据 {Case.objects.count()} 件案件（{time.perf_counter() - started:.0f} 秒）")

    client = Client()
    client.force_login(User.objects.get(username=USER))
    listed = client.get("/cases/").content.decode()
    case_id = int(re.findall(r'href="/cases/(\d+)/"', listed)[0])
    edits = iter(range(1, 10**6))

    form: dict[str, str] = {}

    def open_form() -> None:
        """Before each save, as a person does: the edit form read (not timed), its 备注 given a new marker."""
        form.clear()
        form.update(form_fields(client.get(f"/cases/{case_id}/edit/").content.decode()))
        form["note"] = (form.get("note", "") + f" [bench-{next(edits)}]").strip()

    anonymous = Client()
    pages: list[tuple[str, Callable[[], Any], Callable[[], None] | None]] = [
        ("案件列表 /cases/?page=2", lambda: client.get("/cases/?page=2"), None),
        ("案件筛选 /cases/?筛选", lambda: client.get("/cases/?kind=litigation&status=open&q=王"), None),
        ("案件详情 /cases/<id>/", lambda: client.get(f"/cases/{case_id}/"), None),
        ("统计看板（未缓存）", lambda: client.get("/stats/dashboard/"), raise_generation),
        ("统计看板（已缓存）", lambda: client.get("/stats/dashboard/"), None),
        ("编辑页 /cases/<id>/edit/", lambda: client.get(f"/cases/{case_id}/edit/"), None),
        ("保存编辑 POST（改备注）", lambda: client.post(f"/cases/{case_id}/edit/", form), open_form),
        ("登录页（未登录）", lambda: anonymous.get("/login/"), None),
    ]
    # The load's mix (bench/load/locustfile.py): per user, the tasks' weights — the list 4, the filtered list 4, a
    # case 4, the dashboard 2, the anonymous log-in page 2, an edit 3 (its form and its save) for the editors only,
    # who are 20 of every 26 users. The edits change the 备注 alone, which leaves the dashboard's cache in place.
    editors = 20 / 26
    mix = {
        "案件列表 /cases/?page=2": 4,
        "案件筛选 /cases/?筛选": 4,
        "案件详情 /cases/<id>/": 4,
        "统计看板（已缓存）": 2,
        "登录页（未登录）": 2,
        "编辑页 /cases/<id>/edit/": 3 * editors,
        "保存编辑 POST（改备注）": 3 * editors,
    }
    cpu_of: dict[str, float] = {}
    print(f"{'页面':<26}{'耗时中位数 ms':>14}{'CPU 中位数 ms':>14}{'SQL 查询':>9}")
    for name, request, before in pages:
        if before:
            before()
        request()  # warm: the first request of a kind loads templates and code
        walls, cpus, queries = [], [], 0
        for _ in range(args.runs):
            if before:
                before()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = request()
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - started_cpu)
            assert response.status_code in (200, 302), (name, response.status_code)
            queries = len(captured.captured_queries)
        wall, cpu = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
        cpu_of[name] = cpu
        print(f"{name:<26}{wall:>14.0f}{cpu:>14.0f}{queries:>9}")
        if args.profile and args.profile in name:
            if before:
                before()
            profile = cProfile.Profile()
            profile.runcall(request)
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
    weighted = sum(cpu_of[name] * weight for name, weight in mix.items()) / sum(mix.values())
    print(f"负载组合（locustfile 的任务权重）每个请求的 CPU：{weighted:.1f} ms")


if __name__ == "__main__":
    main()
