"""Checking the audit log's hash chain (GB/T 22239-2019 8.1.4.3 c): 审计记录进行保护, 避免受到未预期的删除、修改或覆盖).

Each record holds the hash of the one before it and a hash over its own fields. Walking the records in id order and
recomputing both finds a record changed behind the application's back (its hash no longer matches), a record
removed from the middle (the next record's ``prev_hash`` names a hash no record has), and records removed from the
end (the chain head, advanced by a trigger at every insert, counts more records than there are)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from fuyuan.audit.log import GENESIS, HASHED_ATTRIBUTES, hashed_values, record_body, sha256_hex
from fuyuan.audit.models import AuditHead, AuditRecord


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    message: str
    broken_id: int | None = None
    broken_at: datetime.datetime | None = None


def _when(at: datetime.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def verify_chain(chunk_size: int = 5000) -> ChainReport:
    """Walk every record once, in id order, ``chunk_size`` rows at a time (a server-side cursor on PostgreSQL), and
    report the first break. Memory stays flat however many millions of records there are."""
    prev_hash, prev_id, count = GENESIS, None, 0
    # Plain rows, not model instances: the walk is bound by hashing, not by building objects.
    rows = AuditRecord.objects.order_by("id").values_list("id", "prev_hash", "hash", *HASHED_ATTRIBUTES.values())
    for pk, stored_prev, stored_hash, *values in rows.iterator(chunk_size=chunk_size):
        at = values[0]
        if stored_prev != prev_hash:
            before = f"第 {prev_id} 号记录" if prev_id is not None else "链首"
            return ChainReport(
                False,
                count,
                f"哈希链断裂：第 {pk} 号记录（{_when(at)}）与{before}衔接不上，其间有记录被删除，或{before}被改动",
                pk,
                at,
            )
        if sha256_hex(stored_prev + record_body(hashed_values(values))) != stored_hash:
            return ChainReport(False, count, f"第 {pk} 号记录（{_when(at)}）的内容与其哈希不符：记录被改动", pk, at)
        prev_hash, prev_id, count = stored_hash, pk, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_count, head_hash = (head.count, head.last_hash) if head else (0, GENESIS)
    if head_count != count or head_hash != prev_hash:
        return ChainReport(
            False,
            count,
            f"哈希链末端不符：链头记载 {head_count} 条，实有 {count} 条，"
            f"第 {prev_id or '—'} 号记录之后的记录被删除，或链头被改动",
            prev_id,
        )
    return ChainReport(True, count, f"审计日志完整：{count} 条，哈希链校验通过")


def verify_and_remember() -> ChainReport:
    """Verify, and keep the result on the chain head for the audit page ("last verified")."""
    report = verify_chain()
    AuditHead.objects.filter(pk=1).update(
        last_verified_at=timezone.now(), last_verified_ok=report.ok, last_verified_message=report.message[:500]
    )
    return report
