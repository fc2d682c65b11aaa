"""The risk-notice scoping matrix (SPEC §2): every persona against four notices, through ``visible_to`` (every page
starts there) and through the notice's page (the same 404 for "missing" and "not yours").

Read the table as: persona → notices seen.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.consultation.models import RiskNotice
from fuyuan.consultation.queries import visible_to
from fuyuan.core.models import Role
from tests.consultation.conftest import notice_on, pending_case
from tests.factories import PASSWORD, World, make_user

pytestmark = pytest.mark.django_db

DUYUN = "A"  # 都匀市人民法院 → 都匀市自然资源局 (county 都匀市)
FUQUAN = "B"  # 福泉市人民法院 → 福泉市公安局 (county 福泉市)
ANYANG = "C"  # 安阳市中级人民法院 → 安阳市市场监督管理局 (another prefecture)
PREF = "D"  # 黔南州中级人民法院 → 黔南州人力资源和社会保障局 (the prefecture's own level)

QIANNAN = {DUYUN, FUQUAN, PREF}
MATRIX: dict[str, set[str]] = {
    "rol_pref": QIANNAN,
    "rol_duyun": {DUYUN},
    "rol_anyang": {ANYANG},
    "leader_pref": QIANNAN,
    "court_duyun": {DUYUN},
    "court_fuquan": {FUQUAN},
    "court_pref": {PREF},
    "agency_duyun": {DUYUN},
    "agency_fuquan": {FUQUAN},
    "agency_pref": {PREF},
    "recon_pref": set(),
    "centre": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
PERSONAS = sorted(MATRIX)


@pytest.fixture
def notices(world: World, clock) -> dict[str, RiskNotice]:  # type: ignore[no-untyped-def]
    o, u = world.orgs, world.users
    u["rol_anyang"] = make_user("rol_anyang", Role.RULE_OF_LAW_OFFICE, region=world.regions["安阳市"])
    u["court_fuquan"] = make_user("court_fuquan", Role.COURT_LIAISON, org=o["福泉法院"])
    u["court_anyang"] = make_user("court_anyang", Role.COURT_LIAISON, org=o["安阳法院"])
    u["court_pref"] = make_user("court_pref", Role.COURT_LIAISON, org=o["州中院"])
    u["agency_pref"] = make_user("agency_pref", Role.AGENCY_LIAISON, org=o["州人社局"])
    made = {
        DUYUN: ("都匀法院", "都匀自然资源局", "court_duyun"),
        FUQUAN: ("福泉法院", "福泉公安局", "court_fuquan"),
        ANYANG: ("安阳法院", "安阳市场监管局", "court_anyang"),
        PREF: ("州中院", "州人社局", "court_pref"),
    }
    return {
        key: notice_on(pending_case(world, court=o[court], defendant=o[agency]), world, by=u[by])
        for key, (court, agency, by) in made.items()
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_sees_exactly_its_notices(world: World, notices: dict[str, RiskNotice], persona: str) -> None:
    seen = {key for key, n in notices.items() if visible_to(world.users[persona]).filter(pk=n.pk).exists()}
    assert seen == MATRIX[persona]


@pytest.mark.parametrize("persona", ["rol_duyun", "court_fuquan", "agency_duyun", "coordinator"])
def test_a_notice_not_seen_is_not_found_on_its_page(world: World, notices: dict[str, RiskNotice], persona: str) -> None:
    client = Client()
    client.login(username=persona, password=PASSWORD)
    for key, notice in notices.items():
        status = client.get(reverse("consultation:detail", args=[notice.pk])).status_code
        assert status == (200 if key in MATRIX[persona] else 404), key
