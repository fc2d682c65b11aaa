"""``fuyuan backup`` and ``fuyuan restore``: a verified copy, and a restore that reproduces every record or
refuses a damaged file without touching the database (issue 7 §6). Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.core import backup
from fuyuan.core.models import Event, User
from fuyuan.disputes.models import Dispute
from fuyuan.hearings.models import Hearing
from fuyuan.hearings.workflow import register_hearing
from tests.factories import World, build_world, make_case, make_dispute

pytestmark = pytest.mark.django_db(transaction=True)

MAIN_MODELS: tuple[Any, ...] = (Case, Dispute, Hearing, Event, User, AuditRecord)
SUFFIX = backup.SUFFIX[connection.vendor]


@pytest.fixture
def world() -> World:  # transactional: the backup tools see only committed rows
    return build_world()


@pytest.fixture
def populated(world: World) -> World:
    """A little of everything the restore must reproduce: cases with their timeline, a hearing, a dispute,
    users, and audit records."""
    duyun_court, agency = world.orgs["都匀法院"], world.orgs["都匀自然资源局"]
    for n in range(3):
        case = make_case(number=f"（2021）黔2701行初{700 + n}号", defendant=agency, court=duyun_court)
        update_case(
            Case.objects.get(pk=case.pk), {"plaintiffs": f"原告{n}", "note": "备注"}, by=world.users["rol_pref"]
        )
    register_hearing(
        Case.objects.first(),  # type: ignore[arg-type]
        held_on=datetime.date.today() + datetime.timedelta(days=20),
        by=world.users["court_duyun"],
    )
    make_dispute(world.orgs["州中心"], agency=agency)
    record(AuditKind.READ, "查阅案卷", actor=world.users["rol_pref"], target=Case.objects.first())
    return world


def rows() -> dict[str, list[tuple[Any, ...]]]:
    return {m._meta.label: list(m.objects.order_by("pk").values_list()) for m in MAIN_MODELS}


def run(command: str, *args: Any, **options: Any) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def take_backup(tmp_path: Path) -> Path:
    path = tmp_path / f"fuyuan-test{SUFFIX}"
    run("backup", output=path)
    return path


_taken: dict[str, bytes] = {}


def a_backup(tmp_path: Path) -> Path:
    """A verified backup with its manifest, for a test that damages it or is refused before reading it: the first such
    test takes it (``take_backup``, seconds on PostgreSQL: a dump restored into a scratch database and counted), the
    others get a copy of its two files, as of a database populated the same way."""
    if not _taken:
        path = take_backup(tmp_path)
        _taken.update(backup=path.read_bytes(), manifest=backup.manifest_path(path).read_bytes())
        return path
    path = tmp_path / f"fuyuan-test{SUFFIX}"
    path.write_bytes(_taken["backup"])
    backup.manifest_path(path).write_bytes(_taken["manifest"])
    return path


def test_a_backup_is_verified_and_reports_its_tables_and_records(populated: World, tmp_path: Path) -> None:
    path = tmp_path / f"fuyuan-test{SUFFIX}"
    events, audit_records = Event.objects.count(), AuditRecord.objects.count()

    out = run("backup", output=path)

    manifest = json.loads(backup.manifest_path(path).read_text(encoding="utf-8"))
    tables = manifest["tables"]
    total = sum(t["rows"] for t in tables.values())
    assert f"备份完成并已校验：{len(tables)} 张表，{total} 条记录" in out
    assert tables["cases_case"]["rows"] == 3
    assert tables["core_event"]["rows"] == events
    assert tables["audit_auditrecord"]["rows"] == audit_records
    assert manifest["sha256"] == backup.file_sha256(path)
    assert manifest["size"] == path.stat().st_size
    assert manifest["engine"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["cases"]
    assert re.fullmatch(r"\d+\.\d+.*", manifest["django"])


def test_the_backup_itself_is_written_to_the_audit_log(populated: World, tmp_path: Path) -> None:
    path = take_backup(tmp_path)

    last = AuditRecord.objects.order_by("-pk").first()
    assert last is not None and last.kind == AuditKind.EXPORT
    assert last.summary == f"备份数据库：{path.name}"


def test_without_output_the_backup_goes_to_the_backup_folder_named_by_time(
    populated: World, tmp_path: Path, settings: Any
) -> None:
    settings.FUYUAN_BACKUP_DIR = tmp_path / "backups"

    run("backup")

    [made] = [p for p in (tmp_path / "backups").iterdir() if not p.name.endswith(".json")]
    assert re.fullmatch(rf"fuyuan-\d{{8}}-\d{{6}}{re.escape(SUFFIX)}", made.name)
    assert backup.manifest_path(made).is_file()


def test_restore_brings_back_every_record_after_changes_and_deletions(populated: World, tmp_path: Path) -> None:
    before = rows()
    path = take_backup(tmp_path)
    # given: the data changes after the backup
    case = Case.objects.order_by("pk").last()
    update_case(case, {"plaintiffs": "改后的原告"}, by=populated.users["rol_pref"])  # type: ignore[arg-type]
    make_case(number="（2021）黔2701行初799号", defendant=populated.orgs["都匀自然资源局"])
    Hearing.objects.all().delete()
    User.objects.filter(username="discipline").update(full_name="改名")
    record(AuditKind.CHANGE, "备份之后的修改", actor=populated.users["rol_pref"])
    assert rows() != before

    out = run("restore", str(path), yes=True)

    after = rows()
    assert "恢复完成并已校验" in out
    # The restore itself is appended to the restored audit log, after the backup's records.
    restored_audit = after.pop("audit.AuditRecord")
    assert restored_audit[:-1] == before.pop("audit.AuditRecord")
    assert AuditRecord.objects.order_by("-pk").first().summary == f"从备份恢复数据库：{path.name}"  # type: ignore[union-attr]
    assert after == before


def test_restore_without_yes_is_refused_with_a_one_line_reason(populated: World, tmp_path: Path) -> None:
    path = a_backup(tmp_path)
    Case.objects.filter(number="（2021）黔2701行初700号").update(note="备份之后")

    with pytest.raises(CommandError) as refused:
        run("restore", str(path))

    assert "--yes" in str(refused.value) and "\n" not in str(refused.value)
    assert Case.objects.get(number="（2021）黔2701行初700号").note == "备份之后"


def _refused(path: Path, message: str) -> None:
    before = rows()
    with pytest.raises(CommandError, match=message):
        run("restore", str(path), yes=True)
    assert rows() == before


def test_a_truncated_backup_is_refused_and_the_database_untouched(populated: World, tmp_path: Path) -> None:
    path = a_backup(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    _refused(path, "备份文件不完整或已损坏")


def test_a_backup_with_a_changed_byte_is_refused_and_the_database_untouched(populated: World, tmp_path: Path) -> None:
    path = a_backup(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    _refused(path, "sha256 与清单不符")


def test_a_backup_without_its_manifest_is_refused(populated: World, tmp_path: Path) -> None:
    path = a_backup(tmp_path)
    backup.manifest_path(path).unlink()

    _refused(path, "找不到备份清单")


def test_a_corrupted_backup_whose_manifest_was_made_to_match_is_refused(populated: World, tmp_path: Path) -> None:
    path = a_backup(tmp_path)
    data = bytearray(path.read_bytes())
    # The middle half zeroed: a single 4 KiB page could be a free one, whose loss harms nothing and is rightly not seen.
    data[len(data) // 4 : 3 * len(data) // 4] = bytes(3 * len(data) // 4 - len(data) // 4)
    path.write_bytes(bytes(data))
    manifest_file = backup.manifest_path(path)
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["sha256"] = backup.file_sha256(path)
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")

    before = rows()
    with pytest.raises(CommandError):
        run("restore", str(path), yes=True)
    assert rows() == before


def test_a_backup_that_does_not_match_its_manifest_fails_naming_the_table(
    populated: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = backup._copy_sqlite if connection.vendor == "sqlite" else backup._dump_postgres
    name = copy.__name__

    def copy_that_loses_a_case(*args: Any) -> Any:
        tables, migrations = copy(*args)
        tables["cases_case"]["rows"] += 1  # the manifest counts a row the copy does not hold
        return tables, migrations

    monkeypatch.setattr(backup, name, copy_that_loses_a_case)

    with pytest.raises(CommandError, match=r"cases_case 记录数不符：清单 4 条，实际 3 条"):
        run("backup", output=tmp_path / f"bad{SUFFIX}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the scratch database is PostgreSQL's verification")
def test_the_verification_database_is_dropped_afterwards(populated: World, tmp_path: Path) -> None:
    take_backup(tmp_path)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{connection.settings_dict['NAME']}_verify_%"]
        )
        assert cursor.fetchall() == []


def test_the_commands_exit_non_zero_with_a_one_line_reason(tmp_path: Path) -> None:
    fuyuan = Path(sys.executable).with_name("fuyuan")
    env = {**os.environ, "FUYUAN_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def last_line(*args: str) -> tuple[int, str]:
        done = subprocess.run([str(fuyuan), *args], capture_output=True, text=True, env=env, timeout=120)
        return done.returncode, done.stderr.strip().splitlines()[-1]

    assert last_line("restore", str(tmp_path / "none.sqlite3")) == (
        1,
        "CommandError: 恢复会用备份覆盖当前数据库的全部数据，请先停止服务，确认后加 --yes 重新执行",
    )
    assert last_line("restore", str(tmp_path / "none.sqlite3"), "--yes") == (
        1,
        f"CommandError: 找不到备份文件：{tmp_path / 'none.sqlite3'}",
    )
