"""The 旁听庭审 scoping matrix (SPEC §2, §6.7): every persona against three sessions through ``visible_to``, the
session's page (the same 404 for missing and not yours), and the units whose compliance each sees.

S1: 都匀市自然资源局's; S2: 福泉市公安局's; S3: 安阳市市场监督管理局's (another prefecture)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.attendance.queries import organisations_visible_to, visible_to
from fuyuan.core.models import Role
from tests.attendance.conftest import D, attended
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db

MATRIX: dict[str, set[str]] = {
    "rol_pref": {"S1", "S2"},
    "rol_duyun": {"S1"},
    "leader_pref": {"S1", "S2"},
    "zfjd_pref": {"S1", "S2"},
    "agency_duyun": {"S1"},
    "agency_fuquan": {"S2"},
    "agency_anyang": {"S3"},
    "tyjd": set(),
    "court_duyun": set(),
    "recon_pref": set(),
    "centre": set(),
    "centre_duyun": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
# The page answers as ``visible_to`` does: checked for a persona of each kind of scope (the same 404 for not yours).
THROUGH_PAGES = {"rol_duyun", "zfjd_pref", "agency_anyang", "tyjd", "court_duyun"}


def test_each_persona_sees_only_its_units_sessions(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    o, u = world.orgs, world.users
    u["zfjd_pref"] = make_user("zfjd_pref", Role.ENFORCEMENT_SUPERVISION, org=o["州司法局"])
    u["tyjd"] = make_user("tyjd", Role.INVITED_SUPERVISOR, region=world.regions["黔南州"])
    u["agency_anyang"] = make_user("agency_anyang", Role.AGENCY_LIAISON, org=o["安阳市场监管局"])
    sessions = {
        "S1": attended(world, D(2026, 5, 1), case_number="S1"),
        "S2": attended(world, D(2026, 5, 2), case_number="S2", by="agency_fuquan"),
        "S3": attended(world, D(2026, 5, 3), case_number="S3", by="agency_anyang", court=o["安阳法院"]),
    }
    assert set(MATRIX) == set(u)
    for username, seen in MATRIX.items():
        user = u[username]
        assert set(visible_to(user).values_list("case_number", flat=True)) == seen, username
        if username not in THROUGH_PAGES:
            continue
        client = Client()
        client.force_login(user)
        for key, session in sessions.items():
            status = client.get(reverse("attendance:detail", args=[session.pk])).status_code
            assert status == (200 if key in seen else 404), (username, key)
    assert set(organisations_visible_to(u["rol_duyun"])) == {o["都匀自然资源局"]}
    assert set(organisations_visible_to(u["agency_fuquan"])) == {o["福泉公安局"]}
    assert o["安阳市场监管局"] not in set(organisations_visible_to(u["zfjd_pref"]))
    assert not organisations_visible_to(u["tyjd"]).exists()
