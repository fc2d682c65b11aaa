"""Token authentication: every refusal is a 401 with the error body; the token itself is never stored."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.api.models import ApiToken, digest
from fuyuan.api.workflow import issue_token, revoke_token
from tests.api.conftest import Caller
from tests.factories import World

CASES = "/api/v1/cases/"


def _error(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    return response.json()["error"]


def test_a_call_without_a_token_is_refused_with_401_in_chinese_and_english(db: None) -> None:
    error = _error(Client().get(CASES))

    assert error["code"] == "not_authenticated"
    assert error["message"]
    assert "Bearer" in error["message_en"]


def test_a_wrong_token_is_refused(duyun_court: Caller) -> None:
    duyun_court.token = "x" * 40

    error = _error(duyun_court.get(CASES))

    assert (error["code"], error["message"], error["message_en"]) == ("invalid_token", "令牌无效", "Invalid token")


def test_a_revoked_token_is_refused(world: World, duyun_court: Caller) -> None:
    revoke_token(duyun_court.system.tokens.get(), by=world.users["sysadmin"])

    assert _error(duyun_court.get(CASES))["code"] == "token_revoked"


def test_an_expired_token_is_refused(duyun_court: Caller) -> None:
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert _error(duyun_court.get(CASES))["code"] == "token_expired"


def test_a_token_of_a_disabled_system_is_refused(duyun_court: Caller) -> None:
    duyun_court.system.is_active = False
    duyun_court.system.save()

    assert _error(duyun_court.get(CASES))["code"] == "system_disabled"


def test_a_valid_token_is_accepted_and_its_last_use_recorded(duyun_court: Caller) -> None:
    assert duyun_court.get(CASES).status_code == 200

    assert ApiToken.objects.get().last_used_at is not None


def test_only_the_digest_and_prefix_of_a_token_are_stored(world: World, duyun_court: Caller) -> None:
    token, secret = issue_token(duyun_court.system, by=world.users["sysadmin"])

    assert len(secret) == 40
    assert token.digest == digest(secret) != secret
    assert token.prefix == secret[:8]
    assert not ApiToken.objects.filter(digest=secret).exists()


def test_only_the_system_administrator_issues_tokens(world: World, duyun_court: Caller) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue_token(duyun_court.system, by=world.users["secadmin"])


def test_the_service_account_cannot_log_in_to_the_pages(duyun_court: Caller) -> None:
    assert not duyun_court.system.account.has_usable_password()
