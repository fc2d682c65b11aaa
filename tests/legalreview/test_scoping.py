"""The legality-review scoping matrix (SPEC §2): every persona against five matters, through ``visible_to`` (every
page starts there) and through the matter's page (the same 404 for "missing" and "not yours").

Read the table as: persona → matters seen.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.queries import visible_to
from tests.factories import PASSWORD, World, make_user
from tests.legalreview.conftest import add_reviewers, submitted

pytestmark = pytest.mark.django_db

DUYUN = "A"  # 都匀市自然资源局 → 都匀市司法局
FUQUAN = "B"  # 福泉市公安局 → 黔南州司法局 (福泉市 has no 司法局 of its own in this world)
OFFICE = "C"  # 都匀市人民政府办公室 (sent by the 依法治办 of 都匀市) → 都匀市司法局
ANYANG = "D"  # 安阳市市场监督管理局 → 安阳市司法局 (another prefecture)
PREF = "E"  # 黔南州人力资源和社会保障局 → 黔南州司法局

QIANNAN = {DUYUN, FUQUAN, OFFICE, PREF}
MATRIX: dict[str, set[str]] = {
    "agency_duyun": {DUYUN},
    "agency_fuquan": {FUQUAN},
    "agency_pref": {PREF},
    "agency_anyang": {ANYANG},
    "review_duyun": {DUYUN, OFFICE},
    "recon_pref": {FUQUAN, PREF},
    "review_anyang": {ANYANG},
    "rol_duyun": {DUYUN, OFFICE},
    "rol_pref": QIANNAN,
    "rol_anyang": {ANYANG},
    "leader_pref": QIANNAN,
    "court_duyun": set(),
    "centre": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
PERSONAS = sorted(MATRIX)


@pytest.fixture
def matters(world: World, clock) -> dict[str, LegalMatter]:  # type: ignore[no-untyped-def]
    o, u = world.orgs, world.users
    add_reviewers(world)
    u["agency_pref"] = make_user("agency_pref", Role.AGENCY_LIAISON, org=o["州人社局"])
    u["agency_anyang"] = make_user("agency_anyang", Role.AGENCY_LIAISON, org=o["安阳市场监管局"])
    u["review_anyang"] = make_user("review_anyang", Role.RECONSIDERATION_BODY, org=o["安阳司法局"])
    u["rol_anyang"] = make_user("rol_anyang", Role.RULE_OF_LAW_OFFICE, region=world.regions["安阳市"])
    senders = {DUYUN: "agency_duyun", FUQUAN: "agency_fuquan", OFFICE: "rol_duyun", ANYANG: "agency_anyang",
               PREF: "agency_pref"}  # fmt: skip
    return {key: submitted(world, by=u[by], title=f"事项{key}") for key, by in senders.items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_sees_exactly_its_matters(world: World, matters: dict[str, LegalMatter], persona: str) -> None:
    seen = {key for key, m in matters.items() if visible_to(world.users[persona]).filter(pk=m.pk).exists()}
    assert seen == MATRIX[persona]


@pytest.mark.parametrize("persona", ["review_duyun", "agency_fuquan", "rol_duyun", "court_duyun"])
def test_a_matter_not_seen_is_not_found_on_its_pages(
    world: World, matters: dict[str, LegalMatter], persona: str
) -> None:
    client = Client()
    client.login(username=persona, password=PASSWORD)
    for key, matter in matters.items():
        expected = 200 if key in MATRIX[persona] else 404
        assert client.get(reverse("legalreview:detail", args=[matter.pk])).status_code == expected, key
        listed = client.get(reverse("legalreview:list")).content.decode()
        assert (f"事项{key}" in listed) == (key in MATRIX[persona])


def test_a_user_logged_out_or_inactive_sees_nothing(world: World, matters: dict[str, LegalMatter]) -> None:
    user = world.users["rol_pref"]
    user.is_active = False
    assert not visible_to(user).exists()
