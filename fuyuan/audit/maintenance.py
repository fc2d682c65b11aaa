"""The audit log's one maintenance switch, and the SQLite function its triggers consult.

The database refuses every UPDATE, DELETE and TRUNCATE of ``audit_auditrecord`` (migration
``0002_append_only_triggers``; GB/T 22239-2019 8.1.4.3 c): 应对审计记录进行保护, 定期备份, 避免受到未预期的删除、
修改或覆盖) unless the connection has switched maintenance on for the current transaction:

- PostgreSQL: the transaction-local setting ``fuyuan.audit_maintenance = 'on'`` (``set_config(..., true)``);
- SQLite (no session variables): the SQL function ``fuyuan_audit_maintenance()``, registered on every connection
  the application opens, answers from a flag on that connection. A connection that has not registered it (the
  ``sqlite3`` shell, another program) gets "no such function" from the trigger: it is refused too.

The application never switches it on. It exists for the test suite's flush between transactional tests
(``tests/conftest.py``) and for a deliberate, documented archival after the retention period.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_FUNCTION = "fuyuan_audit_maintenance"
PG_SETTING = "fuyuan.audit_maintenance"


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: gives an SQLite connection the function the audit triggers call, and the
    sha256 that ``fuyuan.audit.log`` hashes a new record with (SQLite has none built in)."""
    if connection.vendor != "sqlite":
        return
    from fuyuan.audit.log import SQLITE_SHA256, sha256_hex

    raw = connection.connection
    raw.create_function(SQLITE_FUNCTION, 0, lambda: 1 if getattr(connection, "audit_maintenance", False) else 0)
    raw.create_function(SQLITE_SHA256, 1, sha256_hex, deterministic=True)


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside this block (one transaction, or a savepoint of the caller's) the triggers let UPDATE, DELETE and
    TRUNCATE of audit records through. On leaving, the switch is off again, also on error."""
    conn = connections[using]
    with transaction.atomic(using=using):
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PG_SETTING])
            try:
                yield
            finally:
                if not conn.needs_rollback:
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT set_config(%s, 'off', true)", [PG_SETTING])
        else:
            conn.audit_maintenance = True  # type: ignore[attr-defined]
            try:
                yield
            finally:
                conn.audit_maintenance = False  # type: ignore[attr-defined]
