"""An audit record cannot be changed or removed through any door (GB/T 22239-2019 8.1.4.3 c): 审计记录进行保护,
避免受到未预期的删除、修改或覆盖; issue 7 §3)."""

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from fuyuan.audit.log import record
from fuyuan.audit.maintenance import audit_maintenance
from fuyuan.audit.models import AuditKind, AuditRecord

pytestmark = pytest.mark.django_db

TABLE = AuditRecord._meta.db_table


def _snapshot(rec: AuditRecord) -> tuple:
    fresh = AuditRecord.objects.get(pk=rec.pk)
    return (fresh.summary, fresh.username, fresh.hash, fresh.prev_hash, fresh.at)


def _instance_save(rec: AuditRecord) -> None:
    rec.summary = "改过的摘要"
    rec.save()


def _instance_delete(rec: AuditRecord) -> None:
    rec.delete()


def _queryset_update(rec: AuditRecord) -> None:
    AuditRecord.objects.filter(pk=rec.pk).update(summary="改过的摘要")


def _queryset_delete(rec: AuditRecord) -> None:
    AuditRecord.objects.filter(pk=rec.pk).delete()


def _bulk_update(rec: AuditRecord) -> None:
    rec.summary = "改过的摘要"
    AuditRecord.objects.bulk_update([rec], ["summary"])


def _raw_update(rec: AuditRecord) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["改过的摘要", rec.pk])


def _raw_delete(rec: AuditRecord) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rec.pk])


DOORS: dict[str, Callable[[AuditRecord], None]] = {
    "instance save": _instance_save,
    "instance delete": _instance_delete,
    "queryset update": _queryset_update,
    "queryset delete": _queryset_delete,
    "bulk update": _bulk_update,
    "raw SQL UPDATE": _raw_update,
    "raw SQL DELETE": _raw_delete,
}


@pytest.mark.parametrize("door", DOORS)
def test_every_door_refuses_to_change_a_record_and_the_record_is_unchanged(door: str) -> None:
    rec = record(AuditKind.SECURITY, "原始摘要", username="auditadmin")
    before = _snapshot(rec)

    with pytest.raises((PermissionError, DatabaseError)), transaction.atomic():
        DOORS[door](rec)

    assert _snapshot(rec) == before
    assert AuditRecord.objects.count() == 1


def test_raw_sql_is_refused_with_the_reason_named() -> None:
    rec = record(AuditKind.SECURITY, "原始摘要")

    with pytest.raises(DatabaseError, match="审计记录"), transaction.atomic():
        _raw_delete(rec)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql() -> None:
    record(AuditKind.SECURITY, "原始摘要")

    with pytest.raises(DatabaseError, match="审计记录"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")

    assert AuditRecord.objects.count() == 1


def test_the_orm_cannot_insert_past_the_chain() -> None:
    forged = {"kind": AuditKind.READ, "summary": "伪造", "prev_hash": "0", "hash": "1"}
    with pytest.raises(PermissionError):
        AuditRecord.objects.bulk_create([AuditRecord(**forged)])
    with pytest.raises(PermissionError):
        AuditRecord.objects.create(**forged)

    assert AuditRecord.objects.count() == 0


def test_the_maintenance_switch_is_off_again_after_its_block() -> None:
    rec = record(AuditKind.SECURITY, "原始摘要")
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["维护中改动", rec.pk])

    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_update(rec)

    assert AuditRecord.objects.get(pk=rec.pk).summary == "维护中改动"


def test_the_audit_log_has_no_admin_page() -> None:
    from django.contrib import admin

    assert AuditRecord not in admin.site._registry
