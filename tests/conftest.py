from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from tests.factories import World, build_world


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Tests log in many personas; the production hasher's deliberate slowness buys nothing here."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: the dashboard's entries (stats.cache) live in one LocMemCache per
    process, and a test's fresh database starts at the same figures generation as the previous test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def audit_log_flushable_between_tests() -> Iterator[None]:
    """The database refuses to delete audit records (fuyuan.audit: append-only triggers, GB/T 22239-2019 8.1.4.3).
    Transactional tests empty every table afterwards (Django's flush: TRUNCATE on PostgreSQL, DELETE on SQLite), so
    in the test suite, and only there, the flush runs with the audit log's maintenance switch on."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from fuyuan.audit.maintenance import audit_maintenance

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with audit_maintenance(self.connection.alias):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


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
