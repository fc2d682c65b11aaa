"""The decisions scoping matrix (SPEC §2): every persona against three decisions through ``visible_to`` (every page
starts there), and who may run which step.

Read the table as: persona → decisions seen.
"""

from __future__ import annotations

import datetime

import pytest

from fuyuan.core.models import Region, Role
from fuyuan.decisions.models import Catalogue, CatalogueItem, Decision
from fuyuan.decisions.queries import catalogues_visible_to, is_government_office, is_owner, is_reviewer, visible_to
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db

DUYUN = "A"  # 都匀市人民政府, owned by 都匀市自然资源局
PREF = "B"  # 黔南州人民政府, owned by 黔南州人力资源和社会保障局
ANYANG = "C"  # 安阳市人民政府, another prefecture

MATRIX: dict[str, set[str]] = {
    "rol_pref": {DUYUN, PREF},
    "rol_duyun": {DUYUN},
    "leader_pref": {DUYUN, PREF},
    "court_duyun": set(),
    "recon_pref": {PREF},
    "justice_duyun": {DUYUN},
    "agency_duyun": {DUYUN},
    "agency_fuquan": set(),
    "centre": set(),
    "centre_duyun": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
PERSONAS = sorted(MATRIX)
# Who runs the steps of A: the owner's liaison, 都匀市司法局's reviewers, 都匀's 依法治办 for the government office.
RUNS_A = {"agency_duyun": "owner", "justice_duyun": "reviewer", "rol_duyun": "office"}


def _decision(region: Region, owner_key: str, world: World, title: str) -> Decision:
    day = datetime.date(2026, 1, 1)
    catalogue = Catalogue.objects.create(region=region, year=2026)
    owner = world.orgs[owner_key]
    item = CatalogueItem.objects.create(
        catalogue=catalogue, title=title, owner=owner, planned_start=day, planned_end=day
    )
    return Decision.objects.create(item=item, region=region, owner=owner, title=title, draft="草案")


@pytest.fixture
def decisions(world: World) -> dict[str, Decision]:
    make_user("justice_duyun", Role.RECONSIDERATION_BODY, org=world.orgs["都匀司法局"])
    return {
        DUYUN: _decision(world.regions["都匀市"], "都匀自然资源局", world, "甲"),
        PREF: _decision(world.regions["黔南州"], "州人社局", world, "乙"),
        ANYANG: _decision(world.regions["安阳市"], "安阳市场监管局", world, "丙"),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_the_decisions_of_its_scope(world, decisions, persona):
    from fuyuan.core.models import User

    user = User.objects.get(username=persona)
    names = {name for name, d in decisions.items() if visible_to(user).filter(pk=d.pk).exists()}
    assert names == MATRIX[persona]
    catalogues = set(catalogues_visible_to(user).values_list("pk", flat=True))
    assert catalogues <= {d.item.catalogue_id for d in decisions.values()}

    a = decisions[DUYUN]
    role = RUNS_A.get(persona)
    assert is_owner(user, a) == (role == "owner")
    assert is_reviewer(user, a) == (role == "reviewer")
    assert is_government_office(user, a.region_id) == (role == "office")


# Links between cases and decisions (issue 16 item 4): a persona sees a link only when it sees both the case and the
# decision. "A-都匀": a suit against 都匀市自然资源局 about A; "A-福泉": a 福泉 suit about A; "B-州": a suit against the
# 州人社局 about B.
LINKS_SEEN: dict[str, set[str]] = {
    "rol_pref": {"A-都匀", "A-福泉", "B-州"},
    "leader_pref": {"A-都匀", "A-福泉", "B-州"},
    "rol_duyun": {"A-都匀"},
    "agency_duyun": {"A-都匀"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_a_link_only_when_it_sees_the_case_and_the_decision(world, decisions, persona):
    from fuyuan.core.models import User
    from fuyuan.decisions.models import CaseLink
    from fuyuan.decisions.queries import links_visible_to
    from tests.factories import make_case

    office = User.objects.get(username="rol_pref")
    cases = {
        "A-都匀": (make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]), DUYUN),
        "A-福泉": (make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"]), DUYUN),
        "B-州": (make_case(defendant=world.orgs["州人社局"], court=world.orgs["州中院"]), PREF),
    }
    for case, source in cases.values():
        CaseLink.objects.create(case=case, decision=decisions[source], linked_by=office, linked_at=world_now())
    user = User.objects.get(username=persona)

    seen = set(links_visible_to(user).values_list("case_id", flat=True))

    assert {name for name, (case, _) in cases.items() if case.pk in seen} == LINKS_SEEN.get(persona, set())


def world_now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()
