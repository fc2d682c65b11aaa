"""The ``fuyuan`` command itself (SPEC §9): Django's commands with the project's settings preset."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

FUYUAN = Path(sys.executable).with_name("fuyuan")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FUYUAN), *args], capture_output=True, text=True, env=env, timeout=120)


# Which database the command writes to is what these tests look at: one small app's migrations show it (the whole
# schema is migrated by every test run and by tests/core/test_migrations.py), in seconds instead of a minute.
MIGRATE_ONE_APP = ("migrate", "contenttypes", "--noinput")


def migrated_apps(db: Path) -> set[str]:
    """The apps whose migrations the SQLite file ``db`` records as applied."""
    with sqlite3.connect(db) as connection:
        return {app for (app,) in connection.execute("SELECT DISTINCT app FROM django_migrations")}


def test_the_spec_commands_answer_by_their_hyphenated_names() -> None:
    imports = run("import-cases", "--help")
    stats = run("stats", "--help")
    deadline = run("deadline", "--help")

    assert imports.returncode == 0, imports.stderr
    assert "--dry-run" in imports.stdout
    assert stats.returncode == 0, stats.stderr
    assert "--by" in stats.stdout
    assert deadline.returncode == 0, deadline.stderr
    assert "litigation.defence" in deadline.stdout


def test_database_url_selects_the_database_file(tmp_path: Path) -> None:
    db = tmp_path / "elsewhere.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}

    result = run(*MIGRATE_ONE_APP, env=env)

    assert result.returncode == 0, result.stderr
    assert migrated_apps(db) == {"contenttypes"}


def test_without_database_url_the_database_is_a_file_in_the_data_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FUYUAN_DATA_DIR"] = str(tmp_path / "data")

    result = run(*MIGRATE_ONE_APP, env=env)

    assert result.returncode == 0, result.stderr
    assert migrated_apps(tmp_path / "data" / "fuyuan.sqlite3") == {"contenttypes"}


def test_an_unknown_command_exits_non_zero_with_a_reason() -> None:
    result = run("no-such-command")

    assert result.returncode != 0
    assert "no-such-command" in result.stderr


def test_every_hyphenated_command_name_runs_an_existing_command() -> None:
    from django.core.management import get_commands

    from fuyuan.cli import HYPHENATED

    assert set(HYPHENATED) >= {"import-cases", "audit-verify", "create-administrator", "rekey-personal-data"}
    assert set(HYPHENATED.values()) <= set(get_commands())
