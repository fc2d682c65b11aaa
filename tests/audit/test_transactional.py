"""The triggers hold outside a test's transaction too (the live server's world), and the test suite's flush between
transactional tests still empties the log (tests/conftest.py switches maintenance on for the flush only)."""

import pytest
from django.db import DatabaseError, connection

from fuyuan.audit.chain import verify_chain
from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind, AuditRecord

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("statement", ["UPDATE {table} SET summary = 'x'", "DELETE FROM {table}"])
def test_a_committed_record_cannot_be_changed_by_raw_sql(statement: str) -> None:
    assert AuditRecord.objects.count() == 0  # the previous transactional test's records were flushed
    rec = record(AuditKind.SECURITY, "已提交的记录")

    with pytest.raises(DatabaseError, match="审计记录"), connection.cursor() as cursor:
        cursor.execute(statement.format(table=AuditRecord._meta.db_table))

    assert AuditRecord.objects.get().summary == rec.summary
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers are PostgreSQL's (SQLite has one)")
def test_concurrent_writers_make_one_unbroken_chain() -> None:
    import threading

    from django.db import connections

    def write(worker: int) -> None:
        try:
            for n in range(25):
                record(AuditKind.READ, f"并发查阅 {worker}-{n}", username=f"worker{worker}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    report = verify_chain()
    assert (report.ok, report.count) == (True, 100)
