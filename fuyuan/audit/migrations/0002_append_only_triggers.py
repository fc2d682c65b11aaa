"""Database triggers that make the audit log append-only for any SQL through the application's connection, and
advance the chain head on every insert (GB/T 22239-2019 8.1.4.3 c); see ``fuyuan.audit.maintenance``).

SQLite rebuilds a table (and drops its triggers) when a later migration alters it: a migration that changes
``AuditRecord`` must run ``create_triggers`` again (tests/audit/test_append_only.py fails otherwise)."""

from django.db import migrations

PG_CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('fuyuan.audit_maintenance', true), '') = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '审计记录只能追加，不能修改或删除（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION audit_advance_head() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE audit_audithead SET last_hash = NEW.hash, count = count + 1 WHERE id = 1;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord"
    " FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_auditrecord"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_record_advance_head AFTER INSERT ON audit_auditrecord"
    " FOR EACH ROW EXECUTE FUNCTION audit_advance_head()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_record_advance_head ON audit_auditrecord",
    "DROP TRIGGER IF EXISTS audit_record_no_truncate ON audit_auditrecord",
    "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord",
    "DROP FUNCTION IF EXISTS audit_advance_head()",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]
SQLITE_CREATE = [
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_auditrecord"
    " WHEN NOT fuyuan_audit_maintenance()"
    " BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END",
    "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_auditrecord"
    " WHEN NOT fuyuan_audit_maintenance()"
    " BEGIN SELECT RAISE(ABORT, '审计记录不能删除'); END",
    "CREATE TRIGGER audit_record_advance_head AFTER INSERT ON audit_auditrecord"
    " BEGIN UPDATE audit_audithead SET last_hash = NEW.hash, count = count + 1 WHERE id = 1; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_record_advance_head",
    "DROP TRIGGER IF EXISTS audit_record_no_delete",
    "DROP TRIGGER IF EXISTS audit_record_no_update",
]


def _run(schema_editor, statements: dict) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"审计日志的防篡改触发器不支持数据库 {vendor}")
    for sql in statements[vendor]:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _run(schema_editor, {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE})


def drop_triggers(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _run(schema_editor, {"postgresql": PG_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_log")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
