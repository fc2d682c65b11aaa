"""The performance scoping matrix (SPEC §2): every persona against four items, through ``visible_to`` (every page
starts there) and through the item page (a 404 for an item not theirs, the same as for a missing one)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.timeline import Actor
from fuyuan.performance.models import PerformanceItem
from fuyuan.performance.queries import visible_to
from fuyuan.performance.workflow import open_on_effect
from tests.factories import PASSWORD, World, make_case
from tests.performance.conftest import D

pytestmark = pytest.mark.django_db

DUYUN = "A"  # 都匀市人民法院 → 都匀市自然资源局
FUQUAN = "B"  # 福泉市人民法院 → 福泉市公安局
ANYANG = "C"  # 安阳市中级人民法院 → 安阳市市场监督管理局, another prefecture
PREF = "D"  # 黔南州中级人民法院 → 黔南州人力资源和社会保障局

MATRIX: dict[str, set[str]] = {
    "rol_pref": {DUYUN, FUQUAN, PREF},
    "rol_duyun": {DUYUN},
    "leader_pref": {DUYUN, FUQUAN, PREF},
    "court_duyun": {DUYUN},
    "recon_pref": set(),
    "agency_duyun": {DUYUN},
    "agency_fuquan": {FUQUAN},
    "centre": set(),
    "centre_duyun": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}
PERSONAS = sorted(MATRIX)


@pytest.fixture
def items(world: World, clock) -> dict[str, PerformanceItem]:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 3))
    o = world.orgs

    def lost(court: str, agency: str) -> PerformanceItem:
        case = make_case(defendant=o[agency], court=o[court], concluded_on=D(2026, 10, 10),
                         outcome=LitigationOutcome.REVOKED, effective_on=D(2026, 11, 2))  # fmt: skip
        item = open_on_effect(case, by=Actor(label="测试"))
        assert item is not None
        return item

    return {
        DUYUN: lost("都匀法院", "都匀自然资源局"),
        FUQUAN: lost("福泉法院", "福泉公安局"),
        ANYANG: lost("安阳法院", "安阳市场监管局"),
        PREF: lost("州中院", "州人社局"),
    }


def test_the_matrix_covers_every_persona_of_the_world(world: World) -> None:
    assert set(MATRIX) == set(world.users)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_its_items(persona: str, world: World, items: dict[str, PerformanceItem]) -> None:
    by_pk = {i.pk: letter for letter, i in items.items()}
    assert {by_pk[i.pk] for i in visible_to(world.users[persona])} == MATRIX[persona]


@pytest.mark.parametrize("persona", ["court_duyun", "agency_fuquan", "rol_duyun", "recon_pref"])
def test_an_item_not_theirs_is_the_same_404_as_a_missing_one(
    persona: str, world: World, items: dict[str, PerformanceItem]
) -> None:
    client = Client()
    client.login(username=persona, password=PASSWORD)
    for letter, item in items.items():
        status = client.get(reverse("performance:detail", args=[item.pk])).status_code
        assert status == (200 if letter in MATRIX[persona] else 404), (persona, letter)
    assert client.get(reverse("performance:detail", args=[99999])).status_code == 404
