"""The SQLite backup is online: another connection keeps committing while the copy is taken, and the copy still
matches its manifest exactly (both are read in one snapshot)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from fuyuan.core import backup


def test_a_copy_taken_while_another_connection_writes_matches_its_manifest(tmp_path: Path) -> None:
    live_path = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(live_path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, note TEXT)")
    setup.executemany("INSERT INTO ledger (note) VALUES (?)", [(f"行{n}",) for n in range(20_000)])
    setup.close()
    stop, writes = threading.Event(), []

    def writer() -> None:
        conn = sqlite3.connect(live_path, isolation_level=None, timeout=20, check_same_thread=False)
        # As Fuyuan's own connections write (settings.DATABASES: WAL, synchronous=NORMAL): a commit does not wait for
        # the disk. With SQLite's default (FULL) each of the writer's commits waited for an fsync, and the 50 commits
        # before the copy took 40-50 s when other processes kept the disk busy.
        conn.execute("PRAGMA synchronous=NORMAL")
        while not stop.is_set():
            conn.execute("INSERT INTO ledger (note) VALUES ('写入中')")
            writes.append(1)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(writes) < 50:  # the writer is under way before the copy starts
            threading.Event().wait(0.01)
        live = sqlite3.connect(live_path, isolation_level=None, timeout=20)
        copies = [backup.copy_sqlite(live, tmp_path / f"copy{n}.sqlite3")[0] for n in range(3)]
        live.close()
    finally:
        stop.set()
        thread.join()

    for n, manifest in enumerate(copies):
        copy = sqlite3.connect(tmp_path / f"copy{n}.sqlite3")
        assert backup.summarise_sqlite(copy) == manifest
        copy.close()
    assert len({c["ledger"]["rows"] for c in copies}) > 1, "the writer committed between the copies"
    final = sqlite3.connect(live_path)
    assert final.execute("SELECT count(*) FROM ledger").fetchone()[0] == 20_000 + len(writes)
