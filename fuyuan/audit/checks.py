"""System checks of the audit log's configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connections

# 网络安全法 第21条(三): 留存相关的网络日志不少于六个月.
MINIMUM_RETENTION_DAYS = 183


@register()
def retention_is_at_least_six_months(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    days = getattr(settings, "FUYUAN_AUDIT_RETENTION_DAYS", 0)
    if days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"审计日志保存期限 FUYUAN_AUDIT_RETENTION_DAYS={days} 天，少于六个月（{MINIMUM_RETENTION_DAYS} 天）",
                hint="网络安全法第二十一条：留存相关的网络日志不少于六个月。请设为 183 或更大。",
                id="fuyuan.audit.E001",
            )
        ]
    return []


# The triggers of migration 0002_append_only_triggers, by database vendor.
TRIGGERS = {
    "postgresql": {"audit_record_append_only", "audit_record_no_truncate", "audit_record_advance_head"},
    "sqlite": {"audit_record_no_update", "audit_record_no_delete", "audit_record_advance_head"},
}


@register(Tags.database)
def append_only_triggers_are_in_place(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    """``fuyuan check --database default``: the database still refuses changes to audit records (a table rebuilt by
    a later SQLite migration, or a hand-restored dump, may have lost the triggers)."""
    errors: list[Error] = []
    for alias in databases or []:
        conn = connections[alias]
        expected = TRIGGERS.get(conn.vendor)
        if expected is None or not _triggers_migrated(conn):
            continue  # ``migrate`` runs this check before it creates them
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditrecord'::regclass AND NOT tgisinternal"
                )
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditrecord'"
                )
            present = {row[0] for row in cursor.fetchall()}
        missing = sorted(expected - present)
        if missing:
            errors.append(
                Error(
                    f"数据库 {alias} 缺少审计日志的防篡改触发器：{'、'.join(missing)}",
                    hint="运行 fuyuan migrate audit 0001 后再 fuyuan migrate audit 重建触发器。",
                    id="fuyuan.audit.E002",
                )
            )
    return errors


def _triggers_migrated(conn: Any) -> bool:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(conn)
    if not recorder.has_table():
        return False
    return recorder.migration_qs.filter(app="audit", name="0002_append_only_triggers").exists()
