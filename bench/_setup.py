"""Shared start-up of the benchmarks: a throwaway database, Django set up, the schema migrated.

Without ``DATABASE_URL`` a temporary SQLite file is used and removed at exit. With ``DATABASE_URL`` (meant for a
scratch PostgreSQL database) that database is used as given; it must hold no cases, unless ``--reset`` is passed,
which empties it first (``flush``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_django(*, reset: bool, existing: bool = False) -> str:
    """Set up Django on a throwaway database and migrate it; return a description of the database."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "fuyuan.settings"
    given = os.environ.get("DATABASE_URL")
    if not given:
        folder = tempfile.mkdtemp(prefix="fuyuan-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    if given:
        from fuyuan.cases.models import Case

        if reset:
            from fuyuan.audit.maintenance import audit_maintenance

            # A scratch database: its audit records go too (the append-only triggers refuse a plain TRUNCATE).
            with audit_maintenance():
                call_command("flush", verbosity=0, interactive=False)
        elif Case.objects.exists() and not existing:
            sys.exit(f"{given} 中已有案件：基准测试需要一个空的临时数据库（或加 --reset 先清空它）")
    return f"{connection.vendor} ({'DATABASE_URL 指定' if given else '临时 SQLite 文件'})"


@contextmanager
def timed(results: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    results[name] = time.perf_counter() - started


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def runs_to_fill(action: Callable[[], object], seconds: float = 0.25, least: int = 3, most: int = 500) -> int:
    """How many calls of ``action`` fill about ``seconds`` (at least ``least``), like ``timeit``'s autorange.

    A best of three is enough for a measure of a second, not for one of a few milliseconds: on a shared machine one
    time slice given to another process is then as long as the measure itself, and three calls may all meet one.
    The fastest of a few hundred calls is the time of the code, not of the machine's load."""
    started = time.perf_counter()
    action()
    once = time.perf_counter() - started
    return max(least, min(most, int(seconds / max(once, 1e-6))))
