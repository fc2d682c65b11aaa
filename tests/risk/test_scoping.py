"""The early-warning scoping matrix (issue 18 item 4): every persona against three cases' levels, through
``visible_to`` (every page starts there), the list page and the case page (the same 404 for missing and not yours)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.models import Case
from fuyuan.risk.models import CaseRisk
from fuyuan.risk.queries import visible_to
from tests.factories import World, make_case
from tests.risk.conftest import pending

pytestmark = pytest.mark.django_db

DUYUN, FUQUAN, ANYANG = "都匀", "福泉", "安阳"
QIANNAN = {DUYUN, FUQUAN}
MATRIX: dict[str, set[str] | None] = {  # None: the role does not use the warning list (403)
    "rol_pref": QIANNAN,
    "rol_duyun": {DUYUN},
    "leader_pref": QIANNAN,
    "agency_duyun": {DUYUN},
    "agency_fuquan": {FUQUAN},
    "court_duyun": None,
    "recon_pref": None,
    "centre": None,
    "centre_duyun": None,
    "coordinator": None,
    "discipline": None,
    "sysadmin": None,
    "secadmin": None,
    "auditadmin": None,
}


@pytest.fixture
def risks(world: World) -> dict[str, Case]:
    cases = {
        DUYUN: pending(world, "都匀自然资源局"),
        FUQUAN: pending(world, "福泉公安局"),
        ANYANG: make_case(defendant=world.orgs["安阳市场监管局"], court=world.orgs["安阳法院"]),
    }
    for name, case in cases.items():
        CaseRisk.objects.create(case=case, region=case.region, level="red", score=0.7, reasons=[f"{name}的原因"],
                                as_of=datetime.date(2026, 12, 1))  # fmt: skip
    return cases


def test_each_persona_sees_the_levels_of_the_cases_in_its_scope_only(world: World, risks: dict[str, Case]) -> None:
    # One world for every persona (building it is most of the cost).
    for persona, expected_or_none in MATRIX.items():
        user = world.users[persona]
        expected = expected_or_none or set()
        seen = {name for name, case in risks.items() if visible_to(user).filter(case=case).exists()}
        assert seen == expected, persona

        client = Client()
        client.force_login(user)
        listing = client.get(reverse("risk:list"))
        if expected_or_none is None:
            assert listing.status_code == 403, persona
            continue
        html = listing.content.decode()
        assert {name for name in risks if f"{name}的原因" in html} == expected, persona
        for name, case in risks.items():
            page = client.get(reverse("risk:case", args=[case.pk]))
            assert page.status_code == (200 if name in expected else 404), (persona, name)
        assert client.get(reverse("risk:case", args=[999999])).status_code == 404
