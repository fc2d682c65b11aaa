"""External systems and their tokens for the API tests, and a client that speaks JSON with a Bearer token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from fuyuan.api.models import ExternalSystem
from fuyuan.api.workflow import issue_token, register_system
from fuyuan.core.models import OrganisationKind
from tests.factories import World, make_org


@dataclass
class Caller:
    """An external system as its developers would drive it: a token and JSON requests."""

    client: Client
    system: ExternalSystem
    token: str

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, **self._headers())

    def put(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
        return self.client.put(path, data, content_type="application/json", **self._headers())


def make_caller(world: World, name: str, kind: str, org: Any) -> Caller:
    system = register_system(name, kind, org, by=world.users["sysadmin"])
    _, secret = issue_token(system, by=world.users["sysadmin"])
    return Caller(Client(), system, secret)


@pytest.fixture
def duyun_court(world: World) -> Caller:
    """都匀市人民法院's case system (sees the court's cases, as its liaison does)."""
    return make_caller(world, "都匀法院审判系统", "court", world.orgs["都匀法院"])


@pytest.fixture
def fuquan_court(world: World) -> Caller:
    return make_caller(world, "福泉法院审判系统", "court", world.orgs["福泉法院"])


@pytest.fixture
def duyun_office(world: World) -> Caller:
    """都匀市依法治办's system: every case of 都匀市."""
    office = make_org("都匀市依法治办", world.regions["都匀市"], OrganisationKind.RULE_OF_LAW_OFFICE)
    return make_caller(world, "都匀依法治办系统", "rule_of_law_office", office)


@pytest.fixture
def pref_office(world: World) -> Caller:
    """黔南州依法治办's system: every case of the prefecture."""
    office = make_org("黔南州依法治办", world.regions["黔南州"], OrganisationKind.RULE_OF_LAW_OFFICE)
    return make_caller(world, "黔南州依法治办系统", "rule_of_law_office", office)


@pytest.fixture
def duyun_agency(world: World) -> Caller:
    return make_caller(world, "都匀自然资源局办公系统", "agency", world.orgs["都匀自然资源局"])


def litigation(number: str = "（2026）黔2701行初15号", **fields: Any) -> dict[str, Any]:
    """A first-instance case of 都匀市人民法院 against 都匀市自然资源局, as a court system pushes it."""
    return {
        "number": number,
        "kind": "litigation",
        "defendant": "都匀市自然资源局",
        "instance": "一审",
        "plaintiffs": "张三",
        "cause": "行政处罚",
        "domain": "自然资源",
        "filed_on": "2026-03-05",
        **fields,
    }
