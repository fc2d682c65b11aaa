"""Writing the audit log. Every door calls ``record`` (log-in, reads of a case file, exports, changes, permission
changes, unmasked personal data, API calls); nothing else writes ``AuditRecord``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.db import connections, models, router
from django.http import HttpRequest
from django.utils import timezone

from fuyuan.audit.models import AuditHead, AuditKind, AuditRecord

GENESIS = "0" * 64
# The SQL function SQLite connections get for the insert's hash (fuyuan.audit.maintenance registers it).
SQLITE_SHA256 = "fuyuan_sha256"


def client_ip(request: HttpRequest | None) -> str:
    """Where the request came from: the peer address, or, when the peer is one of the reverse proxies named in
    ``FUYUAN_AUDIT_TRUSTED_PROXIES``, the last X-Forwarded-For address that is not itself such a proxy. The header
    is never trusted from anyone else (a client can send any X-Forwarded-For it likes)."""
    if request is None:
        return ""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    proxies = set(getattr(settings, "FUYUAN_AUDIT_TRUSTED_PROXIES", ()))
    if peer not in proxies:
        return peer
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    for address in reversed(forwarded):
        if address not in proxies:
            return address[:64]
    return peer


def record_body(fields: dict[str, Any]) -> str:
    """A record's fields in a canonical JSON form: what its hash covers, after the previous record's hash."""
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """sha256 over the previous hash and this record's fields in a canonical JSON form."""
    return sha256_hex(prev_hash + record_body(fields))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# What a record's hash covers: its name in the hashed JSON -> the model attribute it comes from.
HASHED_ATTRIBUTES = {
    "at": "at",
    "kind": "kind",
    "actor": "actor_id",
    "username": "username",
    "role": "role",
    "ip": "ip",
    "user_agent": "user_agent",
    "target_type": "target_type",
    "target_id": "target_id",
    "target_label": "target_label",
    "summary": "summary",
    "detail": "detail",
}


def hashed_fields(rec: AuditRecord) -> dict[str, Any]:
    return hashed_values([getattr(rec, attname) for attname in HASHED_ATTRIBUTES.values()])


def hashed_values(values: Sequence[Any]) -> dict[str, Any]:
    """The hashed fields from the values of ``HASHED_ATTRIBUTES`` in order (a model's, or a ``values_list`` row's)."""
    fields = dict(zip(HASHED_ATTRIBUTES, values, strict=True))
    fields["at"] = fields["at"].isoformat()
    return fields


def record(
    kind: AuditKind | str,
    summary: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    username: str = "",
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record to the chain. ``actor`` defaults to the request's user; ``target`` names the object
    (its model label, primary key and str). One query (see ``_append``). Inside the caller's transaction the record
    commits or rolls back with the caller's change, and the chain head stays locked until then: keep audited
    transactions short."""
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    rec = AuditRecord(
        at=timezone.now(),
        kind=str(kind),
        actor=actor,
        username=(username or (actor.get_username() if actor is not None else ""))[:150],
        role=getattr(actor, "role", "") or "",
        ip=client_ip(request)[:64],
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        target_type=target_type[:50],
        target_id=str(target_id)[:64],
        target_label=(str(target) if target is not None else "")[:200],
        summary=summary[:500],
        detail=_json_ready(detail or {}),
    )
    _append(rec)
    return rec


# Written by ``_append`` in the one INSERT; ``prev_hash`` and ``hash`` come from the chain head inside it.
INSERTED_FIELDS = (
    "at", "kind", "actor", "username", "role", "ip", "user_agent",
    "target_type", "target_id", "target_label", "summary", "detail",
)  # fmt: skip


def _append(rec: AuditRecord) -> None:
    """Insert ``rec`` after the chain head in one statement: read the head's hash (FOR UPDATE on PostgreSQL: a
    concurrent writer waits, then reads the head this insert moved), hash this record after it, insert; the trigger
    ``audit_record_advance_head`` moves the head to this record within the same statement. One round trip, no
    explicit transaction, the head locked for one statement only (unless the caller's transaction is longer).
    A missing head (a fresh or flushed database) is created at the genesis first."""
    using = router.db_for_write(AuditRecord)
    connection = connections[using]
    fields = [_field(name) for name in INSERTED_FIELDS]
    params = [f.get_db_prep_save(getattr(rec, f.attname), connection) for f in fields]
    postgres = connection.vendor == "postgresql"
    ops = connection.ops
    if postgres:
        values = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
        hash_sql = "encode(sha256(convert_to(h.last_hash || %s, 'UTF8')), 'hex')"
    else:
        values = ", ".join("%s" for _ in fields)
        hash_sql = f"{SQLITE_SHA256}(h.last_hash || %s)"
    columns = ", ".join(ops.quote_name(str(f.column)) for f in [*fields, *(_field(n) for n in ("prev_hash", "hash"))])
    sql = (
        f"INSERT INTO {ops.quote_name(AuditRecord._meta.db_table)} ({columns}) "
        f"SELECT {values}, h.last_hash, {hash_sql} FROM {ops.quote_name(AuditHead._meta.db_table)} h WHERE h.id = 1"
        f"{' FOR UPDATE' if postgres else ''} RETURNING id, prev_hash, hash"
    )
    params.append(record_body(hashed_fields(rec)))
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            break
        AuditHead.objects.using(using).get_or_create(pk=1, defaults={"last_hash": GENESIS})
    else:  # pragma: no cover - the head was created just above
        raise RuntimeError("审计链头缺失，无法写入审计记录")
    rec.pk, rec.prev_hash, rec.hash = row
    rec._state.adding = False
    rec._state.db = using


def _field(name: str) -> models.Field[Any, Any]:
    return cast("models.Field[Any, Any]", AuditRecord._meta.get_field(name))


def _json_ready(detail: dict[str, Any]) -> dict[str, Any]:
    """The detail as it will read back from the database (dates and decimals as text), so the hash computed now is
    the hash recomputed later."""
    loaded: dict[str, Any] = json.loads(json.dumps(detail, ensure_ascii=False, default=str))
    return loaded
