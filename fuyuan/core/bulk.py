"""Inserting many new rows below the ORM, for the bulk paths that must keep pace with a file (the ledger import).

Why a raw path exists: ``QuerySet.bulk_create`` sends every value of every row through the field machinery
(``pre_save``, ``get_db_prep_save``, a placeholder each), a few microseconds per value. A 100,000-row ledger import
writes some four million values (the cases, their timeline events and their deadlines) and spent most of its time
there (``bench/bench_import.py``, goal: at most 3 × reading the file). Here the conversion of each column is chosen
once; a value that needs one goes through the same field method the ORM uses, so the stored value is the same; and
the rows go to the database in one stream: SQLite's ``executemany`` (one prepared statement, rows bound in C) or
PostgreSQL's ``COPY … FROM STDIN``. The sweep's outbox rows take the same path with ``ignore_conflicts`` (a day's
reminders are some 18,000 rows, ``bench/bench_sweep.py``).

What the ORM would have done and this does not: ``pre_save`` (``auto_now``, ``auto_now_add``) and reading ids
back. A column the caller leaves out gets its field's default, computed once for all rows, except a blind index
(``core.fields.BlindIndexField``), computed from its source column per row. Personal data is encrypted here as
the ORM would (``EncryptedCharField.get_db_prep_value``; 个人信息保护法 第51条).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from fuyuan.core.fields import BlindIndexField, EncryptedCharField

# Fields whose Python values (str, int, bool, None; our keys are integers) both drivers bind as they are.
_BOUND_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def _binds_as_is(field: models.Field[Any, Any]) -> bool:
    """A field of the kinds above whose class keeps Django's own conversion (an ``EncryptedCharField`` is a
    ``CharField`` that encrypts in ``get_db_prep_value``: it must go through it)."""
    cls = type(field)
    return isinstance(field, _BOUND_AS_IS) and all(
        getattr(cls, method).__module__.startswith("django.")
        for method in ("get_prep_value", "get_db_prep_value", "get_db_prep_save")
    )


def _converter(field: models.Field[Any, Any], db: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """How a value of ``field`` becomes a database value: as is, or through ``get_db_prep_save``."""
    if _binds_as_is(field):
        return None
    prepare = field.get_db_prep_save
    # Not memoised: JSON (unhashable), and encrypted values (each gets its own nonce; equal numbers must not
    # show as equal ciphertexts).
    if isinstance(field, models.JSONField | EncryptedCharField):
        return lambda value: prepare(value, db)
    # Dates, times and decimals repeat a lot in bulk (a ledger spans a few years of days): convert each once.
    known: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return known[value]
        except KeyError:
            converted = known[value] = prepare(value, db)
            return converted

    return convert


# Up to this many rows, ``insert_rows(..., ignore_conflicts=True)`` on PostgreSQL writes one multi-row INSERT instead
# of going through a scratch table (at most 65,535 parameters a statement: 100 rows of up to 655 columns).
FEW_ROWS = 100


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]], *, ignore_conflicts: bool = False
) -> int:
    """INSERT ``rows`` (one value per name of ``fields``, as the model holds it) into ``model``'s table.

    ``fields`` are field names or attnames (``owner_id``); every other column but the primary key gets its default.
    Returns the number of rows given (no statement at all for none). Runs in the caller's transaction; a
    constraint violation raises as it would from the ORM, unless ``ignore_conflicts``: then a row that would
    break a unique constraint is left out (``ON CONFLICT DO NOTHING``, as ``bulk_create(ignore_conflicts=True)``;
    other constraints still raise).
    """
    if not rows:
        return 0
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    given = [_column(model, name) for name in fields]
    left_out = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    defaults = [f.get_default() for f in left_out]
    model_fields = given + left_out
    conversions = [(i, c) for i, f in enumerate(model_fields) if (c := _converter(f, db)) is not None]
    # A blind index left out is computed from its source column, as ``BlindIndexField.pre_save`` does.
    names = {f.name: i for i, f in enumerate(given)}
    indexes = [
        (i, names[f.source], f)
        for i, f in enumerate(model_fields)
        if isinstance(f, BlindIndexField) and f in left_out and f.source in names
    ]

    def prepared() -> Iterator[Sequence[Any]]:
        for row in rows:
            if conversions or defaults:
                row = [*row, *defaults]
                for i, source, index in indexes:
                    row[i] = index.index_of(row[source])
                for i, convert in conversions:
                    row[i] = convert(row[i])
            yield row

    quote = db.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in model_fields)
    one_row = f"({', '.join(['%s'] * len(model_fields))})"
    skip = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with db.cursor() as cursor:
        if db.vendor != "postgresql":
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one_row}{skip}", list(prepared()))
        elif not ignore_conflicts:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared():
                    copy.write_row(row)
        elif len(rows) <= FEW_ROWS:
            # A few rows (a workflow's notices) go in one INSERT: the scratch table below costs PostgreSQL a table
            # created and dropped in its catalog, about 5 ms, where this statement takes a fraction of one.
            values = ", ".join([one_row] * len(rows))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}{skip}", [v for row in prepared() for v in row]
            )
        else:
            # COPY cannot leave a conflicting row out, so the rows go by COPY into a scratch table of the same
            # columns and from there, in one statement, into the table (a multi-row INSERT, even bulk_create's,
            # took three times as long). The scratch table lives in one transaction: on an error it is rolled
            # back with the rest.
            scratch = quote(f"{meta.db_table}_incoming")
            with transaction.atomic(using=db.alias):
                cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT {columns} FROM {table} WITH NO DATA")
                with cursor.cursor.copy(f"COPY {scratch} ({columns}) FROM STDIN") as copy:
                    for row in prepared():
                        copy.write_row(row)
                cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch}{skip}")
                cursor.execute(f"DROP TABLE {scratch}")
    return len(rows)
