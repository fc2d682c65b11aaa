"""The system administrator's page of external systems and tokens (/api/systems/)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fuyuan.api.models import ApiToken, ExternalSystem
from fuyuan.core.models import OrganisationKind
from tests.factories import PASSWORD, World, make_org


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("username", ["rol_pref", "court_duyun", "secadmin", "auditadmin"])
def test_only_the_system_administrator_may_open_the_page(world: World, username: str) -> None:
    assert _client(username).get("/api/systems/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(db: None) -> None:
    response = Client().get("/api/systems/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_administrator_registers_a_system_creates_a_token_shown_once_and_revokes_it(world: World) -> None:
    client = _client("sysadmin")

    response = client.post(
        "/api/systems/", {"name": "都匀法院审判系统", "kind": "court", "organisation": world.orgs["都匀法院"].pk}
    )
    assert response.status_code == 302
    system = ExternalSystem.objects.get()
    assert (system.account.role, system.account.organisation) == ("court_liaison", world.orgs["都匀法院"])

    created = client.post(f"/api/systems/{system.pk}/tokens/", {"days": "30"})
    text = created.content.decode()
    assert "只在本页显示" in text
    assert created["Cache-Control"] == "no-store"
    secret = re.search(r'data-testid="token-secret">([^<]+)<', text).group(1)  # type: ignore[union-attr]
    listing = client.get("/api/systems/").content.decode()
    assert secret not in listing
    assert secret[:8] in listing

    token = ApiToken.objects.get()
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已吊销" in client.get("/api/systems/").content.decode()


def test_a_system_of_the_wrong_kind_of_unit_is_refused_with_the_reason(world: World) -> None:
    response = _client("sysadmin").post(
        "/api/systems/", {"name": "错配系统", "kind": "court", "organisation": world.orgs["都匀司法局"].pk}
    )

    assert response.status_code == 200
    assert "法院系统须属于法院，“都匀市司法局”是司法局" in response.content.decode()
    assert not ExternalSystem.objects.exists()


def test_a_negative_validity_is_refused_and_no_token_is_made(world: World) -> None:
    office = make_org("都匀市依法治办", world.regions["都匀市"], OrganisationKind.RULE_OF_LAW_OFFICE)
    client = _client("sysadmin")
    client.post("/api/systems/", {"name": "依法治办系统", "kind": "rule_of_law_office", "organisation": office.pk})

    response = client.post(f"/api/systems/{ExternalSystem.objects.get().pk}/tokens/", {"days": "-1"}, follow=True)

    assert "未生成令牌：有效天数不能为负数" in response.content.decode()
    assert not ApiToken.objects.exists()
