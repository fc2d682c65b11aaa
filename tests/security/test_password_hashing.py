"""Argon2 is the first hasher (issue 19): a PBKDF2 hash from before is rewritten as Argon2 at the person's next log-in,
without counting as a password change (the history and the password's age stay as they were)."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import override_settings

from fuyuan.core.models import RegionLevel, Role, User
from fuyuan.security.models import PasswordHistory
from fuyuan.security.passwords import current_password
from tests.factories import PASSWORD, log_in_through_page, make_region, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

# The production list (the suite runs with MD5 for speed: tests/conftest.py), PBKDF2 cheapened for the test only.
PRODUCTION_HASHERS = settings.PASSWORD_HASHERS


def person_with_a_pbkdf2_hash() -> User:
    user = make_user("rol_pref", Role.RULE_OF_LAW_OFFICE, region=make_region("黔南州", RegionLevel.PREFECTURE))
    # A PBKDF2 hash as Django writes it, at few iterations so that the test is quick (verifying reads them from it).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "bGVnYWN5c2FsdA", iterations=1000)
    user.save(update_fields=["password"])
    return user


def test_argon2_comes_first_and_pbkdf2_hashes_still_verify():
    assert PRODUCTION_HASHERS[0] == "fuyuan.security.hashers.OwaspArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in PRODUCTION_HASHERS


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_password_is_upgraded_to_argon2_at_the_next_log_in_and_is_not_a_password_change(client):
    # given: a person whose password was hashed with PBKDF2 before the change, with its history entry
    user = person_with_a_pbkdf2_hash()
    set_at = current_password(user).set_at
    history = PasswordHistory.objects.filter(user=user).count()

    # when: they log in with their password
    response = log_in_through_page(client, user.username)

    # then: they are in, their hash is now Argon2, and the upgrade opened no new password age
    assert response.status_code == 302 and "/login/" not in response["Location"]
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)
    assert PasswordHistory.objects.filter(user=user).count() == history
    assert current_password(user).set_at == set_at


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_wrong_password_leaves_the_old_hash_alone(client):
    user = person_with_a_pbkdf2_hash()
    old = user.password

    log_in_through_page(client, user.username, "Wrong-password-2026")

    user.refresh_from_db()
    assert user.password == old
