"""Who sees which recommendation (SPEC §2): a matrix of personas × records."""

from __future__ import annotations

import pytest

from fuyuan.rectification.queries import items_visible_to, visible_to
from tests.rectification.conftest import Ledger

MATRIX = {
    "rol_pref": {"judicial", "opinion"},
    "rol_duyun": {"judicial"},
    "leader_pref": {"judicial", "opinion"},
    "court_duyun": {"judicial"},
    "recon_pref": {"opinion"},
    "agency_duyun": {"judicial"},
    "agency_fuquan": {"opinion"},
    "centre": set(),
    "centre_duyun": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}


@pytest.mark.parametrize(("persona", "expected"), MATRIX.items())
def test_each_persona_sees_exactly_its_recommendations_and_their_items(
    ledger: Ledger, persona: str, expected: set[str]
) -> None:
    names = {ledger.judicial.pk: "judicial", ledger.opinion.pk: "opinion"}
    user = ledger.world.users[persona]
    assert {names[r.pk] for r in visible_to(user)} == expected
    assert {names[i.recommendation_id] for i in items_visible_to(user)} == expected


def test_an_agency_owning_an_item_of_another_agencys_recommendation_sees_it(ledger: Ledger) -> None:
    item = ledger.judicial.items.first()
    assert item is not None
    item.owner = ledger.world.orgs["福泉公安局"]
    item.save()
    assert set(visible_to(ledger.world.users["agency_fuquan"])) == {ledger.judicial, ledger.opinion}
