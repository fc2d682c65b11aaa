"""Personal data at rest: field encryption (AES-256-GCM) and blind indexes (HMAC-SHA256).

Why: ID numbers and phone numbers of citizens are personal information, an ID number is sensitive personal
information (个人信息保护法 第28条), and the law names encryption and de-identification as the security measures
a handler takes (个人信息保护法 第51条 第三项; GB/T 22239-2019 8.1.4.8 a) 数据保密性: important personal
information kept confidential in storage by cryptography; 8.1.4.11 个人信息保护).

How:
- A value is stored as ``aesgcm$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>``: AES-256-GCM with a fresh
  96-bit nonce per value, and the column's name (``disputes.Dispute.applicant_phone``) as associated data, so a
  ciphertext copied into another column or row of another table does not decrypt. An empty value is stored
  empty: it carries no personal data, and "no number given" stays a plain ``= ''`` filter.
- The key is ``FUYUAN_FIELD_KEY`` (base64 of 32 random bytes). Without it a key is derived from ``SECRET_KEY``
  with HKDF, and ``check --deploy`` warns (``fuyuan.W701``): a copy of the settings file must not be enough to read
  the data.
- Key rotation: the key id (8 hex digits of a hash of the key) travels with each value; keys listed in
  ``FUYUAN_FIELD_KEYS_OLD`` still decrypt what they encrypted; ``reencrypt_all()`` rewrites every value with the
  current key, after which the old key can be removed.
- Equality lookups (the same ID number on an earlier application; the outbox's one-SMS-per-number guard) use a
  blind index: HMAC-SHA256 of the normalised value under a separate key (``FUYUAN_INDEX_KEY``, else derived from
  ``SECRET_KEY``; ``fuyuan.W702``), kept in its own column (``fuyuan.core.fields.BlindIndexField``). The index key
  does not rotate with the field key, so an index stays valid across rotations.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

SCHEME = "aesgcm"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32


class DecryptionError(Exception):
    """A stored value that none of the configured keys can open (wrong key, or the value was tampered with)."""


def parse_key(text: str, *, name: str) -> bytes:
    """32 bytes from their base64 (standard or URL-safe alphabet); ``ImproperlyConfigured`` naming ``name`` else."""
    text = text.strip()
    try:
        key = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not base64: {error}") from error
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be base64 of {KEY_BYTES} bytes, got {len(key)} bytes")
    return key


def new_key() -> str:
    """A fresh key in the form ``FUYUAN_FIELD_KEY`` takes (``python -c "from fuyuan.core.crypto import new_key;
    print(new_key())"``)."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


def derive_key(secret: str, purpose: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) of ``secret`` for one purpose: the fallback when no dedicated key is set."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose).derive(secret.encode())


def key_id(key: bytes) -> str:
    """8 hex digits naming a key without revealing it."""
    return hashlib.sha256(b"fuyuan.field-key-id:" + key).hexdigest()[:8]


@dataclass(frozen=True)
class Keyring:
    current: str
    ciphers: dict[str, AESGCM]
    index_key: bytes
    field_key_derived: bool
    index_key_derived: bool


@lru_cache(maxsize=8)
def _keyring(field_key: str, old_keys: tuple[str, ...], index_key: str, secret_key: str) -> Keyring:
    if field_key:
        current = parse_key(field_key, name="FUYUAN_FIELD_KEY")
    else:
        current = derive_key(secret_key, b"fuyuan.field-encryption")
    keys = [current] + [parse_key(k, name="FUYUAN_FIELD_KEYS_OLD") for k in old_keys if k.strip()]
    ciphers = {key_id(k): AESGCM(k) for k in reversed(keys)}  # the current key wins a (theoretical) id clash
    index = (
        parse_key(index_key, name="FUYUAN_INDEX_KEY") if index_key else derive_key(secret_key, b"fuyuan.blind-index")
    )
    return Keyring(key_id(current), ciphers, index, not field_key, not index_key)


def keyring() -> Keyring:
    """The keys of the current settings (cached per distinct settings, so a test may override them)."""
    old = getattr(settings, "FUYUAN_FIELD_KEYS_OLD", ())
    if isinstance(old, str):
        old = old.split(",")
    return _keyring(
        getattr(settings, "FUYUAN_FIELD_KEY", ""),
        tuple(old),
        getattr(settings, "FUYUAN_INDEX_KEY", ""),
        settings.SECRET_KEY,
    )


def is_encrypted(value: str) -> bool:
    return value.startswith(SCHEME + "$")


def encrypt(plaintext: str, *, context: str) -> str:
    """The stored form of ``plaintext`` (empty stays empty). ``context`` names the column and is authenticated."""
    if not plaintext:
        return plaintext
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.current].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{SCHEME}${ring.current}${base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt(stored: str, *, context: str) -> str:
    """The plaintext of a stored value. A value not in the encrypted form is returned as it is: a row written
    before the column was encrypted, which the column's data migration encrypts."""
    if not stored or not is_encrypted(stored):
        return stored
    try:
        _, kid, body = stored.split("$", 2)
        cipher = keyring().ciphers[kid]
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except KeyError as error:
        raise DecryptionError(f"{context}: no key with id {error} (set FUYUAN_FIELD_KEYS_OLD?)") from None
    except (ValueError, InvalidTag, binascii.Error) as error:
        raise DecryptionError(f"{context}: the stored value does not decrypt ({type(error).__name__})") from None


def stored_length(max_chars: int) -> int:
    """Characters of the stored form of a value of at most ``max_chars`` characters (4 UTF-8 bytes each at most)."""
    sealed = NONCE_BYTES + 4 * max_chars + TAG_BYTES
    return len(SCHEME) + 1 + 8 + 1 + (sealed * 4 + 2) // 3


# ---------------------------------------------------------------------------------------------------------------
# Blind indexes


def normalise_phone(value: str) -> str:
    """Digits only, without the country code: ``+86 139-1234-5678`` and ``13912345678`` are one number."""
    digits = re.sub(r"\D", "", value)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


def normalise_id_number(value: str) -> str:
    """公民身份号码 (GB 11643-1999): 17 digits and a check character, ``x`` written either case."""
    return re.sub(r"\s", "", value).upper()


NORMALISERS = {"phone": normalise_phone, "id_number": normalise_id_number}


def blind_index(value: str, kind: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value; empty for no value. ``kind`` (``phone``/``id_number``) is part
    of the message, so a phone and an ID number never share an index."""
    normalised = NORMALISERS[kind](value) if value else ""
    if not normalised:
        return ""
    message = f"{kind}:{normalised}".encode()
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Rotation


def encrypted_fields() -> list[Any]:
    """Every ``EncryptedCharField`` of every installed model."""
    from django.apps import apps

    from fuyuan.core.fields import EncryptedCharField

    return [
        f
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedCharField) and not model._meta.proxy
    ]


def _rewrite_rows(
    model: Any,
    fields: Sequence[Any],
    written: Sequence[Any],
    transform: Callable[[list[Any]], list[Any] | None],
    chunk: int,
) -> int:
    """Read ``fields`` of every row of ``model`` in primary-key order, ``chunk`` rows a statement, and write the
    ``written`` columns with what ``transform(stored values)`` returns (``None``: leave the row), in one transaction.
    It reads and writes the raw column values, so historical models (the data migrations) work too. Returns the
    number of rows written."""
    from django.db import connection, transaction

    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk_column = quote(meta.pk.column)
    read_columns = ", ".join(quote(f.column) for f in fields)
    set_columns = ", ".join(f"{quote(f.column)} = %s" for f in written)
    changed = last = 0
    with transaction.atomic():
        while True:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk_column}, {read_columns} FROM {table} WHERE {pk_column} > %s "
                    f"ORDER BY {pk_column} LIMIT %s",
                    [last, chunk],
                )
                rows = cursor.fetchall()
                if not rows:
                    return changed
                updates = []
                for pk, *stored in rows:
                    last = pk
                    values = transform(stored)
                    if values is not None:
                        updates.append([*values, pk])
                if updates:
                    cursor.executemany(f"UPDATE {table} SET {set_columns} WHERE {pk_column} = %s", updates)
                    changed += len(updates)


def reencrypt(model: Any, names: Sequence[str], *, chunk: int = 500, force: bool = False) -> int:
    """Rewrite ``names`` of every row of ``model`` in the current key (and plaintext rows encrypted), with their
    blind indexes recomputed, ``chunk`` rows per statement. Returns the number of rows whose stored value changed.
    A row already in the current key is left alone unless ``force`` (to recompute the blind indexes after
    ``FUYUAN_INDEX_KEY`` was first set)."""
    from fuyuan.core.fields import BlindIndexField

    meta = model._meta
    fields = [meta.get_field(n) for n in names]
    indexes = [f for f in meta.concrete_fields if isinstance(f, BlindIndexField) and f.source in names]
    current = keyring().current

    def in_current_key(stored: list[Any]) -> list[Any] | None:
        if not force and all(not s or s.startswith(f"{SCHEME}${current}$") for s in stored):
            return None
        plain = {f.name: f.plaintext(s or "") for f, s in zip(fields, stored, strict=True)}
        return [*(f.ciphertext(plain[f.name]) for f in fields), *(f.index_of(plain[f.source]) for f in indexes)]

    return _rewrite_rows(model, fields, [*fields, *indexes], in_current_key, chunk)


def decrypt_in_place(model: Any, names: Sequence[str], *, chunk: int = 500) -> int:
    """The reverse of ``reencrypt``: write the plaintext back into the columns (the data migrations' way back)."""
    fields = [model._meta.get_field(n) for n in names]

    def in_plaintext(stored: list[Any]) -> list[Any] | None:
        if not any(s and is_encrypted(s) for s in stored):
            return None
        return [f.plaintext(s or "") for f, s in zip(fields, stored, strict=True)]

    return _rewrite_rows(model, fields, fields, in_plaintext, chunk)


def reencrypt_all(*, force: bool = False) -> dict[str, int]:
    """After a key rotation: every encrypted column rewritten in the current key (``force``: every row, blind
    indexes recomputed). Returns rows changed per model."""
    by_model: dict[Any, list[str]] = {}
    for f in encrypted_fields():
        by_model.setdefault(f.model, []).append(f.name)
    return {model._meta.label: reencrypt(model, names, force=force) for model, names in by_model.items()}


# ---------------------------------------------------------------------------------------------------------------
# System checks


@register(Tags.security)
def check_keys_parse(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        keyring()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="python -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())'",
                      id="fuyuan.E701")]  # fmt: skip
    return []


@register(Tags.security, deploy=True)
def check_dedicated_keys(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """GB/T 22239-2019 8.1.4.8: the key that protects personal data is its own secret, not derived from the
    settings' SECRET_KEY (which travels with every copy of the configuration)."""
    try:
        ring = keyring()
    except ImproperlyConfigured:
        return []  # reported by check_keys_parse
    found: list[CheckMessage] = []
    if ring.field_key_derived:
        found.append(
            Warning(
                "个人信息加密密钥未单独设置：FUYUAN_FIELD_KEY 为空，身份证号和手机号的加密密钥由 SECRET_KEY 派生。",
                hint="设置环境变量 FUYUAN_FIELD_KEY（32 字节随机数的 base64，fuyuan.core.crypto.new_key() 可生成），"
                "并与数据库备份分开保管。",
                id="fuyuan.W701",
            )
        )
    if ring.index_key_derived:
        found.append(
            Warning(
                "盲索引密钥未单独设置：FUYUAN_INDEX_KEY 为空，由 SECRET_KEY 派生（更换 SECRET_KEY 将使重复件比对失效）。",
                hint="设置环境变量 FUYUAN_INDEX_KEY（32 字节随机数的 base64），此后不要更换。",
                id="fuyuan.W702",
            )
        )
    return found


def encrypt_existing(app_label: str, model_name: str, *names: str) -> Any:
    """A migration operation that encrypts (and indexes) the rows already in ``names``, chunked; its reverse
    writes the plaintext back. Put it after the ``AlterField`` that makes the columns encrypted (and before a
    constraint that uses their blind index)."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        reencrypt(apps.get_model(app_label, model_name), names)

    def backward(apps: Any, schema_editor: Any) -> None:
        decrypt_in_place(apps.get_model(app_label, model_name), names)

    return migrations.RunPython(forward, backward, elidable=False)
