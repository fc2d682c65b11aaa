"""The encryption scheme of personal data at rest (fuyuan.core.crypto), without the database."""

from __future__ import annotations

import base64

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from fuyuan.core import crypto

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
CONTEXT = "disputes.Dispute.applicant_phone"


def test_a_phone_number_comes_back_whole_and_is_not_visible_in_its_stored_form() -> None:
    stored = crypto.encrypt("13912341234", context=CONTEXT)

    assert stored.startswith("aesgcm$")
    assert "13912341234" not in stored and "1391234" not in stored
    assert crypto.decrypt(stored, context=CONTEXT) == "13912341234"


def test_the_same_number_is_stored_differently_each_time() -> None:
    assert crypto.encrypt("13912341234", context=CONTEXT) != crypto.encrypt("13912341234", context=CONTEXT)


def test_no_value_is_stored_as_no_value() -> None:
    assert crypto.encrypt("", context=CONTEXT) == ""
    assert crypto.decrypt("", context=CONTEXT) == ""


def test_a_chinese_value_fits_the_column_computed_for_its_length() -> None:
    value = "某" * 20
    assert len(crypto.encrypt(value, context=CONTEXT)) <= crypto.stored_length(20)


def test_a_value_moved_to_another_column_does_not_decrypt() -> None:
    stored = crypto.encrypt("11010519491231002X", context="disputes.Dispute.applicant_id_number")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, context="core.User.mobile")


def test_a_tampered_value_is_refused_not_misread() -> None:
    stored = crypto.encrypt("13912341234", context=CONTEXT)
    flipped = stored[:-3] + ("AAA" if not stored.endswith("AAA") else "BBB")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(flipped, context=CONTEXT)


def test_after_a_key_rotation_old_values_still_read_and_new_ones_use_the_new_key() -> None:
    with override_settings(FUYUAN_FIELD_KEY=KEY_A, FUYUAN_FIELD_KEYS_OLD=[]):
        old = crypto.encrypt("13912341234", context=CONTEXT)
        id_a = crypto.keyring().current

    with override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[KEY_A]):
        assert crypto.decrypt(old, context=CONTEXT) == "13912341234"
        new = crypto.encrypt("13912341234", context=CONTEXT)
        assert old.split("$")[1] == id_a and new.split("$")[1] == crypto.keyring().current != id_a

    with (
        override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[]),
        pytest.raises(crypto.DecryptionError, match="no key with id"),
    ):
        crypto.decrypt(old, context=CONTEXT)


def test_a_key_that_is_not_32_bytes_of_base64_is_a_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="FUYUAN_FIELD_KEY must be base64 of 32 bytes"):
        crypto.parse_key(base64.b64encode(b"short").decode(), name="FUYUAN_FIELD_KEY")
    assert len(crypto.parse_key(crypto.new_key(), name="FUYUAN_FIELD_KEY")) == 32


def test_the_blind_index_matches_the_same_number_however_it_is_written() -> None:
    one = crypto.blind_index("13912341234", "phone")

    assert crypto.blind_index("+86 139-1234-1234", "phone") == one
    assert crypto.blind_index("13912341235", "phone") != one
    assert crypto.blind_index("11010519491231002x", "id_number") == crypto.blind_index(
        "11010519491231002X", "id_number"
    )
    assert "13912341234" not in one and len(one) == 64
    assert crypto.blind_index("", "phone") == ""


def test_the_blind_index_does_not_change_when_the_field_key_is_rotated() -> None:
    with override_settings(FUYUAN_FIELD_KEY=KEY_A):
        before = crypto.blind_index("13912341234", "phone")
    with override_settings(FUYUAN_FIELD_KEY=KEY_B, FUYUAN_FIELD_KEYS_OLD=[KEY_A]):
        assert crypto.blind_index("13912341234", "phone") == before


def deploy_warnings() -> set[str]:
    return {m.id for m in run_checks(include_deployment_checks=True, tags=["security"]) if m.id}


def test_check_deploy_warns_until_dedicated_keys_are_set() -> None:
    with override_settings(FUYUAN_FIELD_KEY="", FUYUAN_INDEX_KEY=""):
        found = deploy_warnings()
        assert {"fuyuan.W701", "fuyuan.W702"} <= found
    with override_settings(FUYUAN_FIELD_KEY=KEY_A, FUYUAN_INDEX_KEY=KEY_B):
        found = deploy_warnings()
        assert not {"fuyuan.W701", "fuyuan.W702"} & found


def test_a_malformed_key_is_reported_by_the_system_check() -> None:
    with override_settings(FUYUAN_FIELD_KEY="not base64 at all!"):
        found = {m.id for m in run_checks(tags=["security"])}
    assert "fuyuan.E701" in found
