"""What a server checks before it serves: that the keys it runs with open the personal data already stored.

A new ``FUYUAN_SECRET_KEY`` (or ``FUYUAN_FIELD_KEY``/``FUYUAN_INDEX_KEY``) on an existing database would otherwise
start fine and then fail on the first page that reads an encrypted column: every log-in (``User.mobile``) would be
a 500. The web server (``fuyuan runserver``, ``fuyuan.wsgi`` under gunicorn) and the worker refuse to start
instead, with one line saying why (``fuyuan.cli``, ``fuyuan.wsgi``).
"""

from __future__ import annotations

from django.db import DatabaseError, connection

from fuyuan.core import crypto
from fuyuan.core.fields import BlindIndexField

REASON = (
    "无法启动：数据库中加密保存的个人信息（{column}）用当前密钥{what}，{a} 或 {b} 与写入这些数据时不同，请恢复原来的密钥。"
    " / Cannot start: stored personal data ({column}) {english} with the current keys: {a} or {b} changed since it "
    "was written; restore the original key."
)


def key_mismatch() -> str | None:
    """The one-line reason the server must not start, or ``None``: one stored value of each encrypted column is
    decrypted, and one blind index recomputed, with the current keys. A database not yet migrated passes."""
    quote = connection.ops.quote_name
    for field in crypto.encrypted_fields():
        meta = field.model._meta
        indexes = [f for f in meta.concrete_fields if isinstance(f, BlindIndexField) and f.source == field.name]
        columns = ", ".join(quote(f.column) for f in (field, *indexes))
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(field.column)} <> '' "
                    f"ORDER BY {quote(meta.pk.column)} DESC LIMIT 1"
                )
                row = cursor.fetchone()
        except DatabaseError:
            return None  # not migrated yet: `fuyuan migrate` comes first
        if row is None:
            continue
        stored, *index_values = row
        try:
            plain = field.plaintext(stored)
        except crypto.DecryptionError:
            return REASON.format(column=field.context, what="解不开", english="does not decrypt",
                                 a="FUYUAN_SECRET_KEY", b="FUYUAN_FIELD_KEY")  # fmt: skip
        for index, value in zip(indexes, index_values, strict=True):
            if value and index.index_of(plain) != value:
                return REASON.format(column=f"{meta.label}.{index.name}", what="算出的盲索引对不上",
                                     english="has a blind index that does not match", a="FUYUAN_SECRET_KEY",
                                     b="FUYUAN_INDEX_KEY")  # fmt: skip
    return None
