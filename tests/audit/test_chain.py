"""The hash chain shows tampering: a record changed or removed behind the application's back (with the database's
own switch, as only someone holding the database could) is found and named by ``fuyuan audit_verify``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from fuyuan.audit.chain import verify_chain
from fuyuan.audit.log import record
from fuyuan.audit.maintenance import audit_maintenance
from fuyuan.audit.models import AuditHead, AuditKind, AuditRecord

pytestmark = pytest.mark.django_db

TABLE = AuditRecord._meta.db_table


def _five_records() -> list[AuditRecord]:
    return [record(AuditKind.READ, f"查阅案件 {n}", username="court_duyun", detail={"n": n}) for n in range(5)]


def _tamper(sql: str, params: list) -> None:
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue().strip()
    return 0, out.getvalue().strip()


def test_an_untouched_log_passes_with_its_count() -> None:
    _five_records()

    assert _verify() == (0, "审计日志完整：5 条，哈希链校验通过")


def test_an_empty_log_passes() -> None:
    assert _verify() == (0, "审计日志完整：0 条，哈希链校验通过")


def test_a_changed_summary_is_found_and_named() -> None:
    records = _five_records()
    _tamper(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["查阅案件 999", records[2].pk])

    code, message = _verify()

    assert code == 1
    assert f"第 {records[2].pk} 号记录" in message and "被改动" in message
    report = verify_chain()
    assert (report.ok, report.broken_id, report.count) == (False, records[2].pk, 2)
    assert report.broken_at == records[2].at


def test_a_record_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next() -> None:
    from fuyuan.audit.log import hashed_fields, record_hash

    records = _five_records()
    forged = AuditRecord.objects.get(pk=records[1].pk)
    forged.summary = "从未发生"
    _tamper(
        f"UPDATE {TABLE} SET summary = %s, hash = %s WHERE id = %s",
        [forged.summary, record_hash(forged.prev_hash, hashed_fields(forged)), forged.pk],
    )

    report = verify_chain()

    assert (report.ok, report.broken_id) == (False, records[2].pk)
    assert f"第 {records[1].pk} 号记录" in report.message


def test_a_record_deleted_from_the_middle_is_reported_as_a_gap() -> None:
    records = _five_records()
    _tamper(f"DELETE FROM {TABLE} WHERE id = %s", [records[2].pk])

    code, message = _verify()

    assert code == 1
    assert f"第 {records[3].pk} 号记录" in message and f"第 {records[1].pk} 号记录" in message
    assert "删除" in message


def test_records_deleted_from_the_end_are_found_by_the_head() -> None:
    records = _five_records()
    _tamper(f"DELETE FROM {TABLE} WHERE id >= %s", [records[3].pk])

    report = verify_chain()

    assert not report.ok
    assert "链头记载 5 条，实有 3 条" in report.message


def test_the_head_follows_every_insert() -> None:
    records = _five_records()

    head = AuditHead.objects.get(pk=1)
    assert (head.count, head.last_hash) == (5, records[-1].hash)


def test_verifying_walks_the_log_in_chunks() -> None:
    _five_records()

    assert verify_chain(chunk_size=2).count == 5


def test_the_result_of_the_last_check_is_kept_for_the_page() -> None:
    _five_records()
    _verify()

    head = AuditHead.objects.get(pk=1)
    assert head.last_verified_ok is True
    assert head.last_verified_message == "审计日志完整：5 条，哈希链校验通过"
