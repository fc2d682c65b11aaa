from collections.abc import Iterator

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
