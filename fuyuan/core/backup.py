"""Backups that are proven restorable: ``fuyuan backup`` and ``fuyuan restore`` (issue 7 §6).

A backup is two files: the database copy and ``<copy>.manifest.json``, which holds, for the same instant as the
copy, each table's row count and a checksum computed in SQL over all its rows, the Django version, the applied
migrations and the copy's sha256. Every backup is verified before it is reported done: the copy is opened as a
database of its own (SQLite: the file; PostgreSQL: ``pg_restore`` into a scratch database) and must show the
manifest's counts and checksums. A restore refuses a file whose sha256 is not the manifest's, and verifies the
restored database against the manifest the same way.

- SQLite: the online backup API (``sqlite3.Connection.backup``), safe while the server writes. The manifest is
  computed and the copy taken inside one read transaction, so both see one snapshot (WAL).
- PostgreSQL: ``pg_dump --format=custom`` run on a snapshot exported by a REPEATABLE READ transaction in which
  the manifest is computed, so again both see one instant.

GB/T 22239-2019 8.1.10.11 (数据备份恢复) a): 应提供重要数据的本地数据备份与恢复功能; 8.1.4.3 c): audit records
are backed up with everything else (the audit table is part of the copy).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

MANIFEST_FORMAT = "fuyuan-backup/1"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}
SQLITE_ROW_HASH = "fuyuan_row_hash"
RESTORE_LOCK_TIMEOUT = "60s"

# table → {"rows": count, "checksum": text}
Summary = dict[str, dict[str, Any]]


class BackupError(Exception):
    """A backup or restore that cannot be trusted; the message is the one-line reason shown to the operator."""


def failures() -> tuple[type[BaseException], ...]:
    """What a backup or restore may raise besides ``BackupError``: the databases' and the file system's errors."""
    import psycopg

    return (BackupError, sqlite3.Error, psycopg.Error, OSError)


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


@dataclass
class Result:
    path: Path
    manifest: dict[str, Any]
    seconds: float

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())

    @property
    def size(self) -> int:
        return int(self.manifest["size"])


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def default_path(vendor: str, now: datetime.datetime | None = None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.FUYUAN_BACKUP_DIR) / f"fuyuan-{stamp}{SUFFIX[vendor]}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in SUFFIX:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（仅支持 SQLite 和 PostgreSQL）")
    return connection.vendor


# -- Table summaries: the same query on the live database, the copy and the restored database -------------------


def _row_hash(*values: Any) -> int:
    """40 bits of sha256 over one row: the sum over 8 million rows still fits SQLite's 64-bit integer."""
    return int.from_bytes(hashlib.sha256(repr(values).encode()).digest()[:5], "big")


def _sqlite_connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(uri, uri=read_only, isolation_level=None)
    conn.create_function(SQLITE_ROW_HASH, -1, _row_hash, deterministic=True)
    return conn


def summarise_sqlite(conn: sqlite3.Connection) -> Summary:
    conn.create_function(SQLITE_ROW_HASH, -1, _row_hash, deterministic=True)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    summary: Summary = {}
    for table in tables:
        columns = ", ".join(_quote(r[1]) for r in conn.execute(f"PRAGMA table_info({_quote(table)})"))
        rows, checksum = conn.execute(
            f"SELECT count(*), coalesce(sum({SQLITE_ROW_HASH}({columns})), 0) FROM {_quote(table)}"
        ).fetchone()
        summary[table] = {"rows": rows, "checksum": f"{checksum:x}"}
    return summary


def summarise_postgres(cursor: Any) -> Summary:
    """Row counts and an order-independent checksum (sum of 60 bits of md5 over each row's text) per table."""
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [r[0] for r in cursor.fetchall()]
    summary: Summary = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text"
            f" FROM {_quote(table)} AS t"
        )
        rows, checksum = cursor.fetchone()
        summary[table] = {"rows": rows, "checksum": f"{int(checksum):x}"}
    return summary


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _migrations(rows: Any) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def compare(expected: Summary, actual: Summary, where: str, *, strict: bool = True) -> None:
    """Raise naming the first table whose rows differ between the manifest and ``where``. Not ``strict``: tables
    the manifest does not name are let be (a restore leaves tables of later migrations in place)."""
    for table, want in expected.items():
        got = actual.get(table)
        if got is None:
            raise BackupError(f"{where}缺少表 {table}（清单中有 {want['rows']} 条记录）")
        if got["rows"] != want["rows"]:
            raise BackupError(f"{where}的表 {table} 记录数不符：清单 {want['rows']} 条，实际 {got['rows']} 条")
        if got["checksum"] != want["checksum"]:
            raise BackupError(f"{where}的表 {table} 内容校验和不符（记录数同为 {want['rows']} 条）")
    extra = sorted(set(actual) - set(expected))
    if extra and strict:
        raise BackupError(f"{where}多出清单中没有的表 {extra[0]}")


# -- Backup ---------------------------------------------------------------------------------------------------


def create_backup(output: Path | None = None, *, using: str = DEFAULT_DB_ALIAS) -> Result:
    """Copy the database to ``output`` (default: ``FUYUAN_BACKUP_DIR/fuyuan-YYYYmmdd-HHMMSS.{sqlite3,dump}``),
    write its manifest, and verify the copy against it. The copy is written under a ``.part`` name and renamed
    only once complete, so a file with a backup's name is never half written."""
    started = time.monotonic()
    connection = connections[using]
    vendor = _vendor(connection)
    path = Path(output) if output else default_path(vendor)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    try:
        if vendor == "sqlite":
            tables, migrations = _copy_sqlite(connection, part)
        else:
            tables, migrations = _dump_postgres(connection, part)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": vendor,
        "database": str(connection.settings_dict["NAME"]),
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": file_sha256(path),
        "django": django.get_version(),
        "migrations": migrations,
        "tables": tables,
    }
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    verify_backup(path, manifest, using=using)
    return Result(path=path, manifest=manifest, seconds=time.monotonic() - started)


@contextmanager
def _read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """A read transaction on ``conn`` (unless it is already in one): everything read inside sees one snapshot."""
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if began:
            conn.execute("COMMIT")


def _live_sqlite(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    return raw


def _copy_sqlite(connection: BaseDatabaseWrapper, part: Path) -> tuple[Summary, dict[str, list[str]]]:
    return copy_sqlite(_live_sqlite(connection), part)


def copy_sqlite(live: sqlite3.Connection, part: Path) -> tuple[Summary, dict[str, list[str]]]:
    """Summarise ``live`` and copy it to ``part`` in one read transaction: other connections may write meanwhile,
    the copy and its summary are of the same instant."""
    target = sqlite3.connect(part)
    try:
        with _read_snapshot(live):
            tables = summarise_sqlite(live)
            migrations = _migrations(_sqlite_migrations(live))
            live.backup(target)
        # A standalone file: no -wal beside it to lose when the copy is moved.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    return tables, migrations


def _sqlite_migrations(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()
    return conn.execute("SELECT app, name FROM django_migrations ORDER BY app, id").fetchall() if exists else []


def verify_backup(path: Path, manifest: dict[str, Any], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Open the copy as a database and compare it with the manifest; raise naming the first difference."""
    if manifest["engine"] == "sqlite":
        actual = _summarise_sqlite_file(path)
    else:
        actual = _summarise_dump(path, connections[using])
    compare(manifest["tables"], actual, "备份")


def _summarise_sqlite_file(path: Path) -> Summary:
    try:
        conn = _sqlite_connect(path, read_only=True)
        try:
            # Counts and checksums read the tables, not their indexes or free pages: a damaged page there would
            # pass them and then break the live database once restored. integrity_check reads every page.
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)").fetchall()]
            if problems != ["ok"]:
                raise BackupError(f"备份文件已损坏（{'；'.join(problems)[:200]}）：{path}")
            return summarise_sqlite(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"备份文件无法作为数据库打开（{e}）：{path}") from e


# -- PostgreSQL: pg_dump / pg_restore with the connection's own parameters --------------------------------------


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return [*args, "--no-password"], env


def _pg_connect(settings_dict: dict[str, Any], dbname: str | None = None) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=dbname or settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"找不到 {command[0]}：请安装与服务器版本一致的 PostgreSQL 客户端")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines
        raise BackupError(f"{what}失败：{errors[0] if errors else f'退出码 {done.returncode}'}")


def _dump_postgres(connection: BaseDatabaseWrapper, part: Path) -> tuple[Summary, dict[str, list[str]]]:
    settings_dict = connection.settings_dict
    args, env = _pg_args(settings_dict)
    with _pg_connect(settings_dict) as snap:
        snap.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = snap.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with snap.cursor() as cursor:
            tables = summarise_postgres(cursor)
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
            migrations = _migrations(cursor.fetchall())
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(part), *args, settings_dict["NAME"]],
            env,
            "pg_dump",
        )
        snap.execute("COMMIT")
    return tables, migrations


def _summarise_dump(path: Path, connection: BaseDatabaseWrapper) -> Summary:
    """Restore the dump into a scratch database ``<db>_verify_<pid>``, summarise it, drop it."""
    settings_dict = connection.settings_dict
    args, env = _pg_args(settings_dict)
    scratch = f"{settings_dict['NAME']}_verify_{os.getpid()}"
    with _pg_connect(settings_dict) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {_quote(scratch)}")
        try:
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    *args,
                    "--dbname",
                    scratch,
                    str(path),
                ],
                env,
                "备份校验（pg_restore 到临时库）",
            )
            with _pg_connect(settings_dict, scratch) as conn, conn.cursor() as cursor:
                return summarise_postgres(cursor)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)} WITH (FORCE)")


# -- Restore --------------------------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of backup ``path``, after checking that the file is the one the manifest describes."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    mpath = manifest_path(path)
    if not mpath.is_file():
        raise BackupError(f"找不到备份清单 {mpath.name}：没有清单的备份无法校验，不予恢复")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except ValueError as e:
        raise BackupError(f"备份清单 {mpath.name} 无法读取（{e}）") from e
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"备份清单 {mpath.name} 的格式不是 {MANIFEST_FORMAT}")
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("sha256"), str):
        raise BackupError(f"备份清单 {mpath.name} 缺少各表的记录数或文件的 sha256")
    size = path.stat().st_size
    if size != manifest.get("size"):
        raise BackupError(f"备份文件不完整或已损坏：大小为 {size} 字节，清单记载 {manifest.get('size')} 字节")
    if file_sha256(path) != manifest["sha256"]:
        raise BackupError("备份文件已损坏或被改动：sha256 与清单不符")
    return manifest


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Result:
    """Replace the database's contents with backup ``path`` and verify them against its manifest.

    Nothing is touched unless the file matches its manifest (size and sha256) and, for SQLite, opens and shows
    the manifest's counts and checksums; a PostgreSQL restore runs in a single transaction, so a failure midway
    leaves the database as it was."""
    started = time.monotonic()
    path = Path(path)
    connection = connections[using]
    vendor = _vendor(connection)
    manifest = read_manifest(path)
    if manifest["engine"] != vendor:
        raise BackupError(f"这是 {manifest['engine']} 数据库的备份，不能恢复到当前的 {vendor} 数据库")
    if vendor == "sqlite":
        compare(manifest["tables"], _summarise_sqlite_file(path), "备份")
        source = _sqlite_connect(path, read_only=True)
        try:
            live = _live_sqlite(connection)
            source.backup(live)
        finally:
            source.close()
        actual = summarise_sqlite(_live_sqlite(connection))
    else:
        settings_dict = connection.settings_dict
        args, env = _pg_args(settings_dict)
        # A server still running holds locks the restore needs: give up (and roll back) instead of waiting forever.
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={RESTORE_LOCK_TIMEOUT}".strip()
        _run(["pg_restore", "--list", str(path)], env, "读取备份目录")
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                *args,
                "--dbname",
                settings_dict["NAME"],
                str(path),
            ],
            env,
            "pg_restore",
        )
        with _pg_connect(settings_dict) as conn, conn.cursor() as cursor:
            actual = summarise_postgres(cursor)
    compare(manifest["tables"], actual, "恢复后的数据库", strict=False)
    return Result(path=path, manifest=manifest, seconds=time.monotonic() - started)
