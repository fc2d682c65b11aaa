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
