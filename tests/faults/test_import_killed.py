"""Fault: ``fuyuan import-cases`` killed (``kill -9``) in the middle of writing a 100,000-row ledger (issue 7, "a fault
test"). The database must be exactly as before the import — every table's row count and a checksum of every table's
rows, computed in SQL — and must take the next import whole.

The import runs as a separate process on a database of its own, created here (an SQLite file, or a PostgreSQL database
next to the test database when the suite runs on PostgreSQL): pytest-django's SQLite test database lives in memory,
where no other process can reach it. Nothing here goes through the test's own Django connection.

"Inside its write phase" is observed, not guessed: on PostgreSQL the import's backend holds a transaction id (it has
written its regions and organisations) and is running the bulk ``COPY`` of the cases, events or deadlines; on SQLite the write-ahead log has grown by
megabytes (the import's uncommitted pages). The command prints nothing before it is done, so its output cannot tell.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.cases.ledgers import litigation_row, write_workbook
from tests.faults.conftest import (
    EARLIER_CASES,
    Database,
    import_cases,
    import_earlier_ledger,
    wait_until_backend_gone,
    wait_until_writing,
)

# Minutes (a 100,000-row ledger, real processes killed): `make quick` leaves it out; its processes keep the real time
# when FUYUAN_TEST_TODAY moves the suite (tests/conftest.py).
pytestmark = [pytest.mark.slow, pytest.mark.real_clock]
NEXT_CASES = 200


def test_import_killed_while_writing_leaves_the_database_exactly_as_before_and_takes_the_next_import(
    big_ledger: Path, own_database: Database, tmp_path: Path
) -> None:
    # given: a database that already holds an earlier ledger's cases, regions and organisations
    import_earlier_ledger(own_database, tmp_path)
    before = own_database.snapshot()
    assert before["cases_case"][0] == EARLIER_CASES

    # when: the 100,000-row import is killed with SIGKILL in the middle of its writes
    started = time.perf_counter()
    process = import_cases(own_database, big_ledger, "滨海州", tmp_path)
    seen = wait_until_writing(own_database, process)
    writing_after = time.perf_counter() - started
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    wait_until_backend_gone(own_database)

    # then: every table holds exactly the rows it held before
    after = own_database.snapshot()
    changed = {t: (before.get(t), after.get(t)) for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
    assert changed == {}, f"终止于“{seen}”后数据库与导入前不同：{changed}"

    # and: the database takes the next import whole (a lock or a half-rolled-back page left by the killed process
    # would refuse it); running the 100,000 rows again after a kill is the web kill test's (test_web_import_killed.py)
    next_ledger = write_workbook(
        tmp_path / "next.xlsx", [litigation_row(f"（2024）黔27行初续{n}号") for n in range(1, NEXT_CASES + 1)]
    )
    started = time.perf_counter()
    rerun = import_cases(own_database, next_ledger, "滨海州", tmp_path)
    out, err = rerun.communicate(timeout=300)
    rerun_took = time.perf_counter() - started
    assert rerun.returncode == 0, err[-3000:]
    assert "行政诉讼" in out
    assert own_database.count_cases() == EARLIER_CASES + NEXT_CASES
    print(
        f"\n[fault] {own_database.vendor}: killed {writing_after:.1f} s after start ({seen}); "
        f"next import {rerun_took:.1f} s"
    )
