import datetime
import os
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.test import override_settings

from tests.factories import World, tables_with_rows, world_for_test


@pytest.fixture(autouse=True, scope="session")
def static_files_indexed_once() -> Iterator[None]:
    """WhiteNoise indexes every static file (a stat, headers and compressed alternatives each, about 200 files) when
    its middleware is made: once per process when served, but Django's test client makes the middleware anew for
    every client, a fifth of a second each, thousands of times a run. Here the index is built once per test process,
    as in a served one; the files are the package's own and do not change while the tests run."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    index_files = WhiteNoiseMiddleware.add_files_from_finders
    built: dict[str, Any] = {}

    def add_files_once(self: WhiteNoiseMiddleware) -> None:
        if not built:
            index_files(self)
            built.update(self.files)
        else:
            self.files.update(built)

    with mock.patch.object(WhiteNoiseMiddleware, "add_files_from_finders", add_files_once):
        yield


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Tests log in many personas; the production hasher's deliberate slowness buys nothing here."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# The clock (issue 13 item 6). A test that counts days takes the ``clock`` fixture and runs on one known day, so that
# its weekday and the holidays around it are the same on every run; ``make test-week`` runs the suite once on each
# day of a week that crosses a holiday with FUYUAN_TEST_TODAY, which moves the ``clock`` tests and every other test
# that does not drive the browser (chromium keeps the real time: cookies, sessions, its own date inputs) or spawn a
# ``fuyuan`` process (marker ``real_clock``) to that day. time-machine moves the time at the C level, for
# ``timezone.now``, ``date.today`` and ``time.time`` in every thread (the live server's too).
TEST_TODAY = "FUYUAN_TEST_TODAY"
DEFAULT_TODAY = datetime.date(2026, 12, 2)  # a Wednesday, an ordinary working day
HOUR = datetime.time(10)  # the day starts at 10:00 in the project's time zone: far from midnight either side


def clock_start() -> datetime.datetime:
    """When a test's day starts: FUYUAN_TEST_TODAY (a date, or a local date and time such as ``2026-09-30T23:58``),
    else ``DEFAULT_TODAY`` at 10:00 local time."""
    from django.utils import timezone

    value = os.environ.get(TEST_TODAY, "").strip()
    moment = datetime.datetime.fromisoformat(value) if value else datetime.datetime.combine(DEFAULT_TODAY, HOUR)
    if len(value) == 10:  # a date alone
        moment = datetime.datetime.combine(moment.date(), HOUR)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Clock:
    """The test's "now". Calling it with a moment (or a date: 10:00 that day) stops the clock there, the way the
    workflow reads it through ``timezone.now`` and ``timezone.localdate``; ``today`` is the local date."""

    def __init__(self, traveller: time_machine.Traveller) -> None:
        self._traveller = traveller

    def __call__(self, moment: datetime.datetime | datetime.date, *, tick: bool = False) -> None:
        from django.utils import timezone

        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(moment, HOUR)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        self._traveller.move_to(moment, tick=tick)

    def shift(self, delta: datetime.timedelta) -> None:
        self._traveller.shift(delta)

    @property
    def today(self) -> datetime.date:
        from django.utils import timezone

        return timezone.localdate()


def _on_real_time(request: pytest.FixtureRequest) -> bool:
    return any(request.node.get_closest_marker(name) for name in ("browser", "real_clock"))


@pytest.fixture(autouse=True)
def test_day(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller | None]:
    """Travel before any other function fixture (``world`` dates its records from today): to the test day for a test
    that takes ``clock``, and with FUYUAN_TEST_TODAY set for every test that may leave the real time."""
    if "clock" in request.fixturenames or (os.environ.get(TEST_TODAY) and not _on_real_time(request)):
        if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
            # The process's test database is made (seconds, once) before the clock starts, not on the test's clock.
            request.getfixturevalue("django_db_setup")
        with time_machine.travel(clock_start(), tick=True) as traveller:
            yield traveller
    else:
        yield None


@pytest.fixture
def clock(test_day: time_machine.Traveller) -> Clock:
    """The shared clock: the test runs on the test day (see ``clock_start``) and may set "now" by calling it."""
    return Clock(test_day)


@pytest.fixture
def world(db: None, test_day: time_machine.Traveller | None) -> World:
    """The personas (tests/factories.py), the same for every test: built through the models once per process and day,
    copied for the tests after (``world_for_test``)."""
    return world_for_test(test_day)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: the dashboard's entries (stats.cache) live in one LocMemCache per
    process, and a test's fresh database starts at the same figures generation as the previous test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


NO_WAIT_FOR_DISK = "-c synchronous_commit=off"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL the tests' connections commit without waiting for the write-ahead log to reach the disk
    (``synchronous_commit=off``): a commit is as atomic and as visible to the other connections as before, and only a
    crash of the database server itself could lose the last few, which no test does (the kill tests kill Fuyuan's
    processes, whose connections are the production settings'). The browser and other transactional tests commit
    thousands of times; waiting for the disk each time cost PostgreSQL's runs a minute and more."""
    from django.db import connections

    for connection in connections.all():
        if connection.vendor == "postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} {NO_WAIT_FOR_DISK}".strip()
            # The connections that do not take Django's settings: the backup's pg_dump, pg_restore and its own
            # psycopg connections (fuyuan.core.backup), which read libpq's PGOPTIONS.
            os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {NO_WAIT_FOR_DISK}".strip()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's set-up of the test database, except that the database is a copy of the run's migrated template
    (tests/migrated.py) instead of being migrated by every worker. With ``--reuse-db`` or ``--no-migrations`` it is
    pytest-django's own."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests import migrated

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        if django_db_keepdb or not django_db_use_migrations:
            db_cfg = setup_databases(
                verbosity=0,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        else:
            default = connections["default"]

            def from_template(**kwargs: Any) -> str:
                return migrated.create_test_database(default)

            with mock.patch.object(default.creation, "create_test_db", from_template):
                db_cfg = setup_databases(
                    verbosity=0, interactive=False, aliases=aliases, serialized_aliases=serialized_aliases
                )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=0)


def pytest_configure(config: pytest.Config) -> None:
    """The run's id (tests/migrated.py), set before pytest-xdist starts the workers that inherit it."""
    if not hasattr(config, "workerinput"):
        from tests import migrated

        migrated.run_id()


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's template database goes when the first pytest process ends (not a pytest-xdist worker's)."""
    if not hasattr(config, "workerinput"):
        from tests import migrated

        migrated.remove_templates()


@pytest.fixture(autouse=True, scope="session")
def live_test_server() -> Iterator[None]:
    """The live server of tests/liveserver.py: its requests one at a time when they share the test's in-memory SQLite
    connection (two at once can deadlock in SQLite's connection mutex), and ``wait_until_idle``."""
    from django.test.testcases import LiveServerThread

    from tests.liveserver import LiveTestServer

    with mock.patch.object(LiveServerThread, "server_class", LiveTestServer):
        yield


@pytest.fixture(autouse=True, scope="session")
def audit_log_flushable_between_tests() -> Iterator[None]:
    """The database refuses to delete audit records (fuyuan.audit: append-only triggers, GB/T 22239-2019 8.1.4.3).
    Transactional tests empty every table afterwards (Django's flush), so in the test suite, and only there, the flush
    runs with the audit log's maintenance switch on.

    On PostgreSQL Django's flush is one TRUNCATE of every table, which replaces each table's and each index's files:
    half a second after every browser test although a test writes to a few tables. Here the flush deletes the rows
    of the tables that have any instead (the foreign keys Django creates are deferred to the commit, so the order
    does not matter); what the tests see afterwards is the same, empty tables."""
    from django.db.backends.base.operations import BaseDatabaseOperations
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

    from fuyuan.audit.maintenance import audit_maintenance

    original = BaseDatabaseOperations.execute_sql_flush
    original_pg_flush = PostgresOperations.sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with audit_maintenance(self.connection.alias):
            original(self, sql_list)

    def sql_flush(
        self: PostgresOperations, style: Any, tables: list[str], *, reset_sequences: bool = False, **kwargs: Any
    ) -> list[str]:
        if reset_sequences or not tables:
            return original_pg_flush(self, style, tables, reset_sequences=reset_sequences, **kwargs)
        filled = tables_with_rows(self.connection, tables)
        return ["SET CONSTRAINTS ALL DEFERRED;", *(f"DELETE FROM {self.quote_name(t)};" for t in filled)]

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    PostgresOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]
    PostgresOperations.sql_flush = original_pg_flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def flush_keeps_content_types_and_permissions() -> Iterator[None]:
    """After a transactional test Django empties every table, then runs ``post_migrate``, which makes the content types
    and permissions of every app again: about 300 queries after every browser test, for rows that are the same every
    time (the models do not change while the tests run, and no test writes them). Here the flush leaves those two
    tables as they are and nothing needs making again; every other table is emptied as before. Nothing in Fuyuan
    listens to ``post_migrate``."""
    from django.core.management.commands import flush

    kept = {"django_content_type", "auth_permission"}

    def sql_flush_keeping_types(style: Any, connection: Any, reset_sequences: bool = True, **kwargs: Any) -> list[str]:
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        emptied = [t for t in tables if t not in kept]
        return connection.ops.sql_flush(style, emptied, reset_sequences=reset_sequences, **kwargs)

    with (
        mock.patch.object(flush, "sql_flush", sql_flush_keeping_types),
        mock.patch.object(flush, "emit_post_migrate_signal", lambda *args, **kwargs: None),
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def test_client_login_is_a_full_login() -> Iterator[None]:
    """``client.login`` and ``client.force_login`` in a test stand for a person who went through the whole log-in.

    django-axes needs the request in ``authenticate`` (its documented test approach: pass one), so ``login`` passes
    one and axes still counts the attempt. A person who must enter a one-time code (the three administrators,
    superusers; fuyuan.security.second_factor) is marked as having entered it. The log-in itself — lock-out, the
    code, expiry — is tested through the pages in tests/security/ and tests/browser/test_identity.py."""
    from django.contrib.auth import authenticate
    from django.http import HttpRequest
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fuyuan.security.second_factor import DEVICE_NAME, confirmed_device, second_factor_required

    original_login, original_inner_login = Client.login, Client._login

    def login(self: Client, **credentials: Any) -> bool:
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        user = authenticate(request, **credentials)
        if user is None:
            return False
        self._login(user)
        return True

    def inner_login(self: Client, user: Any, backend: str | None = None) -> None:
        original_inner_login(self, user, backend)
        if second_factor_required(user):
            device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    Client.login = login  # type: ignore[method-assign]
    Client._login = inner_login  # type: ignore[method-assign]
    yield
    Client.login, Client._login = original_login, original_inner_login  # type: ignore[method-assign]


# Tests that share minutes of setup, each set run by one pytest-xdist worker (``make test``), the longest first: the
# full demo, the demo walk and the small demo load their demos once, the server start starts its server once, and the
# CSRF and CSP checks of every page of every role read one crawl (``tests/core/test_csrf.py::crawl_every_page``). The
# two kill tests are not a set: each takes a minute or more, so they run on two workers at once. pytest-xdist's own
# ``--dist loadgroup`` reads ``xdist_group`` marks by rewriting node ids, which pytest 9.2 no longer allows
# (pytest-xdist#1386: the marks are silently ignored), so ``make test``'s ``--dist loadgroup`` takes its groups from
# here instead (``pytest_xdist_make_scheduler`` below): a set is the tests whose ids start with one of its prefixes.
SHARED_SETUP: tuple[tuple[str, ...], ...] = (
    ("tests/demo/test_demo_full.py",),
    ("tests/demo/test_demo_walk.py",),
    (
        "tests/core/test_csrf.py::test_every_post_form_and_htmx_write_of_every_role_carries_the_csrf_token",
        "tests/core/test_csp.py::test_no_page_of_any_role_has_inline_script_or_inline_event_handlers",
    ),
    ("tests/demo/test_demo.py",),
    ("tests/core/test_make_run.py",),
    ("tests/core/test_several_servers.py",),
)


def shared_setup(nodeid: str) -> int | None:
    """The index of the set in ``SHARED_SETUP`` the test belongs to, or None."""
    return next((i for i, prefixes in enumerate(SHARED_SETUP) if nodeid.startswith(prefixes)), None)


def _start_order(item: pytest.Item) -> tuple[bool, int]:
    group = shared_setup(item.nodeid)
    return item.get_closest_marker("slow") is None, len(SHARED_SETUP) if group is None else group


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests marked ``slow`` first, the sets that share their setup before the other slow tests: with ``make
    test``'s workers they run beside the rest of the suite instead of alone at its end."""
    items.sort(key=_start_order)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` with the groups of ``SHARED_SETUP``: each group goes to one worker as a whole, every other
    test on its own to whichever worker is free, in the order of the collection (``--no-loadscope-reorder``)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedSetupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = shared_setup(nodeid)
            return nodeid if group is None else f"shared-setup-{group}"

    return SharedSetupScheduling(config, log)
