"""The assessment's scoping matrix (SPEC §2): every persona against the ranking of 黔南州 — which rows they see —
and against the records behind a value (the same 404 for "missing" and "not yours").

Read the table as: persona → rows of the ranking seen (None: the ranking is not theirs to open)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.assessment.queries import visible_to
from fuyuan.core.models import Role
from tests.assessment.conftest import scheme_with
from tests.factories import PASSWORD, World, make_user

pytestmark = pytest.mark.django_db

ALL = {"都匀市", "福泉市", "黔南州人力资源和社会保障局", "黔南州司法局"}
MATRIX: dict[str, set[str] | None] = {
    "rol_pref": ALL,
    "leader_pref": ALL,
    "rol_province": ALL,
    "rol_duyun": {"都匀市"},
    "leader_duyun": {"都匀市"},
    "agency_pref": {"黔南州人力资源和社会保障局"},
    "agency_duyun": None,
    "rol_anyang": None,
    "court_duyun": None,
    "recon_pref": None,
    "centre": None,
    "coordinator": None,
    "discipline": None,
    "sysadmin": None,
    "secadmin": None,
    "auditadmin": None,
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_persona_sees_only_its_rows(world: World, persona: str) -> None:
    r, o, u = world.regions, world.orgs, world.users
    u["rol_province"] = make_user("rol_province", Role.RULE_OF_LAW_OFFICE, region=r["省"])
    u["leader_duyun"] = make_user("leader_duyun", Role.LEADER, region=r["都匀市"])
    u["agency_pref"] = make_user("agency_pref", Role.AGENCY_LIAISON, org=o["州人社局"])
    u["rol_anyang"] = make_user("rol_anyang", Role.RULE_OF_LAW_OFFICE, region=r["安阳市"])
    scheme = scheme_with(world, "loss_rate", "rectification_on_time")
    client = Client()
    client.login(username=persona, password=PASSWORD)
    expected = MATRIX[persona]
    response = client.get(reverse("assessment:ranking", args=[scheme.pk]))
    assert visible_to(u[persona]).filter(pk=scheme.pk).exists() == (expected is not None)
    if expected is None:
        assert response.status_code == 404
    else:
        page = response.content.decode()
        seen = {name for name in ALL if f">{name}</th>" in page}
        assert seen == expected
    opens_list = u[persona].role in (Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON)
    assert client.get(reverse("assessment:list")).status_code == (200 if opens_list else 403)
    # The records of 福泉's 销账: only those who see 福泉's row.
    records = reverse("assessment:records", args=[scheme.pk, "rectification_on_time"]) + f"?county={r['福泉市'].pk}"
    assert client.get(records).status_code == (200 if expected and "福泉市" in expected else 404)
