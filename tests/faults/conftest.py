"""The fault tests' own databases and processes: each test migrates a database of its own (an SQLite file, or a
PostgreSQL database next to the test database) that ``fuyuan`` processes can reach, unlike pytest-django's in-memory
SQLite test database, and inspects it by raw connections only."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests import migrated
from tests.cases.ledgers import litigation_row, write_workbook

ROOT = Path(__file__).resolve().parents[2]
FUYUAN = Path(sys.executable).parent / "fuyuan"
ROWS = 100_000
WEB_ROWS = 20_000
EARLIER_CASES = 300
WAL_BYTES_WRITING = 4 * 1024 * 1024


def write_big_ledger(path: Path, rows: int) -> None:
    """The benchmark's realistic ledger (``bench/bench_import.py``) of ``rows`` rows, sheets 行政诉讼 and 行政复议."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_import import write_ledger  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    write_ledger(path, rows)


def shared_ledger(rows: int) -> Path:
    """A ledger of ``rows`` rows, written once and kept in the system's temporary folder under a name that changes
    with everything that decides its contents (the benchmark's writer, which is seeded, and openpyxl's version): the
    pytest-xdist workers of a run, ``.ci/run``'s PostgreSQL run after its SQLite run and a developer's next run read
    the same file instead of spending half a minute to a minute writing it again. The first process to take the lock
    writes it (to a partial file, renamed when complete) and the others wait for it."""
    import openpyxl

    recipe = (ROOT / "bench" / "bench_import.py").read_bytes() + f"{rows}:{openpyxl.__version__}".encode()
    folder = Path(tempfile.gettempdir()) / "fuyuan-test-ledgers"
    folder.mkdir(exist_ok=True)
    path = folder / f"ledger-{rows}-{hashlib.sha256(recipe).hexdigest()[:16]}.xlsx"
    with (folder / f"ledger-{rows}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            for older in folder.glob(f"ledger-{rows}-*.xlsx"):  # written by an earlier version of the recipe
                older.unlink()
            started = time.perf_counter()
            partial = folder / f"ledger-{rows}.writing.xlsx"
            write_big_ledger(partial, rows)
            partial.rename(path)
            print(f"\n[fault] {rows:,}-row ledger written in {time.perf_counter() - started:.1f} s")
    return path


@pytest.fixture(scope="session")
def big_ledger() -> Path:
    """The 100,000-row ledger of the command-line kill test (half a minute to a minute to write)."""
    return shared_ledger(ROWS)


@pytest.fixture(scope="session")
def web_ledger() -> Path:
    """The web import's ledger: the worker checks it, is killed in its writes and runs it again, three passes where
    the command line's kill test makes two, so a fifth of the rows keeps the test to a minute or two; its writes
    still last seconds, long enough to be killed in the middle (``WAL_BYTES_WRITING``, the PostgreSQL COPY)."""
    return shared_ledger(WEB_ROWS)


@dataclass
class Database:
    """A database of the test's own, reached by raw connections (sqlite3 or psycopg) and by ``fuyuan`` processes."""

    url: str
    vendor: str
    path: Path | None = None
    name: str = ""

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return closing(sqlite3.connect(str(self.path)))
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def tables(self, conn: Any) -> list[str]:
        if self.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        return [name for (name,) in conn.execute(sql).fetchall()]

    def table_checksum(self, conn: Any, table: str) -> tuple[int, str]:
        """Row count and a digest of every row's every column, aggregated in SQL in a fixed order."""
        if self.vendor == "sqlite":
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]
            row_text = " || '|' || ".join(f'quote("{c}")' for c in columns)
            count, text = conn.execute(
                f'SELECT count(*), group_concat(r, char(10)) FROM (SELECT {row_text} AS r FROM "{table}" ORDER BY r)'
            ).fetchone()
            return count, hashlib.md5((text or "").encode()).hexdigest()
        count, digest = conn.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"
        ).fetchone()
        return count, digest

    def snapshot(self) -> dict[str, tuple[int, str]]:
        with self.connect() as conn:
            return {table: self.table_checksum(conn, table) for table in self.tables(conn)}

    def count_cases(self) -> int:
        with self.connect() as conn:
            return int(conn.execute("SELECT count(*) FROM cases_case").fetchone()[0])


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[Database]:
    """A migrated database on the suite's engine: an SQLite file, or ``<test database>_import_killed`` on PostgreSQL."""
    configured = settings.DATABASES["default"]
    if configured["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path / "killed.sqlite3"
        database = Database(url=f"sqlite:///{path}", vendor="sqlite", path=path)
        migrated.copy_sqlite(path)
        yield database
        return
    import psycopg

    name = f"{configured['NAME']}_import_killed"
    server = f"postgres://{configured.get('USER') or 'postgres'}@{configured.get('HOST') or '127.0.0.1'}:" + str(
        configured.get("PORT") or 5432
    )
    migrated.create_postgres(server, name)
    database = Database(url=f"{server}/{name}", vendor="postgresql", name=name)
    try:
        yield database
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fuyuan_env(database: Database, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database.url, "FUYUAN_DATA_DIR": str(data_dir)}


def import_cases(database: Database, ledger: Path, region: str, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(FUYUAN), "import-cases", str(ledger), "--region", region],
        env=fuyuan_env(database, data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def import_earlier_ledger(database: Database, folder: Path) -> None:
    """Cases, regions and organisations of an earlier ledger, so that "as before" is not an empty database."""
    earlier = write_workbook(
        folder / "earlier.xlsx",
        [litigation_row(f"（2023）黔27行初预{n}号") for n in range(1, EARLIER_CASES + 1)],
    )
    done = subprocess.run(
        [str(FUYUAN), "import-cases", str(earlier), "--region", "黔南州"],
        env=fuyuan_env(database, folder),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def wait_until_writing(database: Database, process: subprocess.Popen[str], timeout: float = 600) -> str:
    """Block until the import is inside its write transaction, well into the bulk writes; say what was seen."""
    deadline = time.monotonic() + timeout
    conn = None if database.vendor == "sqlite" else database.connect()
    wal = Path(f"{database.path}-wal") if database.path else None
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"导入在被终止之前已经结束（退出码 {process.returncode}）：{out[-500:]}{err[-2000:]}")
            if wal is not None:
                size = wal.stat().st_size if wal.exists() else 0
                if size > WAL_BYTES_WRITING:
                    return f"SQLite 预写日志已增长到 {size / 1e6:.1f} MB（未提交的写入）"
            else:
                row = conn.execute(
                    "SELECT left(query, 60) FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL"
                    " AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE 'COPY%%'",
                    (database.name,),
                ).fetchone()
                if row is not None:
                    return f"PostgreSQL 导入会话持有事务号，正在执行：{row[0]}"
            time.sleep(0.05)
    finally:
        if conn is not None:
            conn.close()
    pytest.fail(f"导入在 {timeout:.0f} 秒内没有进入写入阶段")


def wait_until_backend_gone(database: Database, timeout: float = 60) -> None:
    """PostgreSQL rolls back a killed client's transaction when its backend notices the closed socket."""
    if database.vendor == "sqlite":
        return
    deadline = time.monotonic() + timeout
    with database.connect() as conn:
        while time.monotonic() < deadline:
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (database.name,),
            ).fetchone()[0]
            if others == 0:
                return
            time.sleep(0.1)
    pytest.fail("被终止的导入进程的数据库会话在 60 秒内没有结束")
