"""One migrated database per test run, copied wherever a test needs a migrated database.

Migrating Fuyuan from nothing takes about 35 s of CPU (Django renders the models' states of some hundred migrations).
A run used to pay it once per pytest-xdist worker for the test database and again for every test that starts
``fuyuan`` processes on a database of their own (the kill tests, the command-line date check, the ``make run`` and
several-servers starts). Here the first test process that needs a migrated database migrates one, with ``fuyuan
migrate`` exactly as a deployment does, and every other copies it: an SQLite file is copied (into memory for the
workers' test databases), a PostgreSQL database is made with ``CREATE DATABASE … TEMPLATE``. The migrations' own
tests (tests/cases/test_rules.py and the ``*_upgrade`` tests) take their migrations back and apply them again
(``unapply`` and ``reapply`` below).

Every run migrates its PostgreSQL template. The migrated SQLite file is also kept between runs, in the system's
temporary folder under a name that changes with every file of the package and the locked packages (``_kept_sqlite``):
a run of the same code copies it instead of migrating again — ``.ci/run``'s PostgreSQL run, which needs an SQLite
database too (the ``make run`` start, the command-line checks), reuses the SQLite run's.

The processes of one run find the same template through ``FUYUAN_TEST_RUN``, set by the first pytest process (the
pytest-xdist workers inherit it), and take turns on a lock file; the first pytest process removes the template when
the run ends (``tests/conftest.py::pytest_unconfigure``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

RUN = "FUYUAN_TEST_RUN"
FUYUAN = Path(sys.executable).with_name("fuyuan")
POSTGRES_MARKER = "postgres-template"


def run_id() -> str:
    """The run's id, made by the first process that asks (the workers inherit it from the controller)."""
    return os.environ.setdefault(RUN, uuid.uuid4().hex[:12])


def run_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"fuyuan-tests-{run_id()}"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _template_lock() -> Iterator[None]:
    with (run_folder() / "template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _migrate(database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "FUYUAN_TEST_TODAY"))}
    env.update(DATABASE_URL=database_url, FUYUAN_DATA_DIR=str(run_folder()))
    done = subprocess.run(
        [str(FUYUAN), "migrate", "--noinput", "-v", "0"], env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        raise RuntimeError(f"fuyuan migrate failed for the tests' template database:\n{done.stderr[-3000:]}")


def sqlite_template() -> Path:
    """The run's migrated SQLite file (migrated on first use, or copied from an earlier run of the same code)."""
    path = run_folder() / "migrated.sqlite3"
    with _template_lock():
        if not path.exists():
            partial = run_folder() / "migrating.sqlite3"
            for leftover in run_folder().glob("migrating.sqlite3*"):
                leftover.unlink()
            kept = _kept_sqlite()
            if kept.exists():
                shutil.copyfile(kept, partial)
            else:
                _migrate(f"sqlite:///{partial}")
                with closing(sqlite3.connect(partial)) as conn:  # everything in the main file, nothing in a -wal file
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    conn.execute("PRAGMA journal_mode=DELETE")
                _keep(partial, kept)
            partial.rename(path)
    return path


def _kept_sqlite() -> Path:
    """Where a migrated SQLite file of this code is kept between runs: named by a digest of every Python file of the
    package (the migrations, and the fields, defaults and choices they import) and of the locked packages."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted((root / "fuyuan").rglob("*.py")):
        digest.update(str(source.relative_to(root)).encode() + b"\0" + source.read_bytes())
    digest.update((root / "requirements.lock").read_bytes())
    return Path(tempfile.gettempdir()) / "fuyuan-test-templates" / f"migrated-{digest.hexdigest()[:16]}.sqlite3"


def _keep(migrated: Path, kept: Path) -> None:
    """A copy of ``migrated`` at ``kept``, replacing the files kept for earlier code; renamed into place when whole."""
    kept.parent.mkdir(exist_ok=True)
    for older in kept.parent.glob("migrated-*.sqlite3"):
        older.unlink(missing_ok=True)
    copying = kept.with_name(f"{kept.name}.{os.getpid()}.partial")
    shutil.copyfile(migrated, copying)
    copying.rename(kept)


def copy_sqlite(destination: Path) -> None:
    """A migrated SQLite database at ``destination`` (a file a ``fuyuan`` process opens with DATABASE_URL)."""
    shutil.copyfile(sqlite_template(), destination)


def load_sqlite_into(connection: sqlite3.Connection) -> None:
    """The migrated database copied into an open SQLite connection (the workers' in-memory test database)."""
    with closing(sqlite3.connect(f"file:{sqlite_template()}?mode=ro", uri=True)) as source:
        source.backup(connection)


def server_url(settings_dict: dict[str, Any]) -> str:
    """``postgres://user[:password]@host:port`` of the server a Django PostgreSQL connection's settings name."""
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD")
    credentials = f"{user}:{password}" if password else user
    return f"postgres://{credentials}@{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}"


def postgres_template(server: str) -> str:
    """The name of the run's migrated PostgreSQL database on ``server`` (migrated on first use)."""
    import psycopg

    name = f"fuyuan_template_{run_id()}"
    marker = run_folder() / POSTGRES_MARKER
    with _template_lock():
        if not marker.exists():
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}"')
            _migrate(f"{server}/{name}")
            marker.write_text(f"{server}\n{name}\n")
    return name


def create_postgres(server: str, name: str) -> None:
    """A migrated PostgreSQL database ``name`` on ``server``, replacing any database of that name."""
    import psycopg

    template = postgres_template(server)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with _template_lock():  # PostgreSQL copies a template only while nobody else is connected to it
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def remove_templates() -> None:
    """At the end of the run: drop the PostgreSQL template and remove the run's folder."""
    folder = Path(tempfile.gettempdir()) / f"fuyuan-tests-{os.environ.get(RUN, '')}"
    if not os.environ.get(RUN) or not folder.exists():
        return
    marker = folder / POSTGRES_MARKER
    if marker.exists():
        import psycopg

        server, name = marker.read_text().split()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(folder, ignore_errors=True)


def create_test_database(connection: Any) -> str:
    """``connection.creation.create_test_db`` without migrating: the test database is a copy of the run's template.
    Django's own tear-down destroys it as before."""
    from django.conf import settings

    creation = connection.creation
    name = creation._get_test_db_name()
    if connection.vendor != "sqlite" or not creation.is_in_memory_db(name):
        _copy_template(connection, name)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    if connection.vendor == "sqlite" and creation.is_in_memory_db(name):
        load_sqlite_into(connection.connection)
    return name


def restore_test_database(connection: Any) -> None:
    """The test database made again a copy of the run's template, in place of whatever a test did to its schema: for
    a test that migrated it back and has checked what it wanted, a copy in a fraction of a second instead of
    migrating it forward again (10 s and more of rendering the migrations' model states). Only for a transactional
    test: everything the test wrote goes with it, as the flush after the test would have emptied it anyway."""
    creation = connection.creation
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and creation.is_in_memory_db(name):
        connection.ensure_connection()
        load_sqlite_into(connection.connection)
        return
    connection.close()
    _copy_template(connection, name)
    connection.ensure_connection()


def _copy_template(connection: Any, name: str) -> None:
    """The database file or PostgreSQL database ``name`` made a fresh copy of the run's template."""
    if connection.vendor == "sqlite":
        for leftover in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
            leftover.unlink(missing_ok=True)
        copy_sqlite(Path(name))
    else:
        create_postgres(server_url(connection.settings_dict), name)


def unapply(connection: Any, app: str, name: str) -> Any:
    """Unapply the one migration ``app.name`` from the test database, for real, leaving every other migration applied;
    return the models as they were just before it (the historical ``Apps`` a data migration is given).

    For an upgrade test that needs one table as it was before the migration that changed it (the reminder columns a
    data migration reads, dropped by the next migration): Django's ``migrate`` to a target unapplies the target's
    successors and every migration that depends on them, in every app, and renders the project's model state once per
    migration on the way (tens of seconds); this runs the one migration's operations backwards, from the state of its
    dependencies. Migrations applied after it stay applied, so it must not be one a later migration changed the same
    table after. ``reapply`` applies it again."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration(app, name)
    before = executor.loader.project_state((app, name), at_end=False)
    executor.unapply_migration(before.clone(), migration)
    return before.apps


def reapply(connection: Any, app: str, name: str) -> None:
    """Apply again the migration ``unapply`` took back (its operations forwards, recorded as applied)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration(app, name)
    executor.apply_migration(executor.loader.project_state((app, name), at_end=False), migration)
