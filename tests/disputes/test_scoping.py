"""The dispute scoping matrix (SPEC §2): every persona against four disputes, through the query every page starts
from and through the dispute's page; and who may run a dispute or work on it.

Read the table as: persona → (disputes seen, disputes run by them as centre staff, disputes they may work on).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from fuyuan.core.models import OrganisationKind
from fuyuan.disputes.models import Dispute
from fuyuan.disputes.queries import can_manage, can_work_on, visible_to
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators
from tests.disputes.consent import WRITTEN
from tests.factories import PASSWORD, World, make_coordinator, make_dispute, make_org
from tests.kept import KeptWorld, world_kept_for_the_module

pytestmark = pytest.mark.django_db

# The four disputes of the matrix.
PREF_DUYUN = "A"  # at the 州 centre, against 都匀市自然资源局, referred by 都匀市人民法院, coordinator assigned
PREF_FUQUAN = "B"  # at the 州 centre, against 福泉市公安局, transferred by 黔南州司法局
DUYUN = "C"  # at the 都匀 centre, against 都匀市自然资源局, at its window
ANYANG = "D"  # at 安阳's centre, another prefecture
QIANNAN = {PREF_DUYUN, PREF_FUQUAN, DUYUN}

MATRIX: dict[str, tuple[set[str], set[str], set[str]]] = {
    "rol_pref": (QIANNAN, set(), set()),
    "rol_duyun": ({PREF_DUYUN, DUYUN}, set(), set()),
    "leader_pref": (QIANNAN, set(), set()),
    "court_duyun": ({PREF_DUYUN}, set(), set()),
    "recon_pref": ({PREF_FUQUAN}, set(), set()),
    "agency_duyun": ({PREF_DUYUN, DUYUN}, set(), set()),
    "agency_fuquan": ({PREF_FUQUAN}, set(), set()),
    "centre": ({PREF_DUYUN, PREF_FUQUAN}, {PREF_DUYUN, PREF_FUQUAN}, {PREF_DUYUN, PREF_FUQUAN}),
    "centre_duyun": ({DUYUN}, {DUYUN}, {DUYUN}),
    "coordinator": ({PREF_DUYUN}, set(), {PREF_DUYUN}),
    "discipline": (set(), set(), set()),
    "sysadmin": (set(), set(), set()),
    "secadmin": (set(), set(), set()),
    "auditadmin": (set(), set(), set()),
}
PERSONAS = sorted(MATRIX)


@pytest.fixture(scope="module")
def kept(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[KeptWorld]:
    """The world and the four disputes, written once for the module's tests."""
    with world_kept_for_the_module(django_db_blocker, make_disputes) as written:
        yield written


@pytest.fixture
def world(kept: KeptWorld, db: None) -> World:
    return kept.fresh_world()


@pytest.fixture
def disputes(kept: KeptWorld, db: None) -> dict[str, Dispute]:
    return kept.records(Dispute)


def make_disputes(world: World) -> dict[str, Dispute]:
    o = world.orgs
    anyang_centre = make_org(
        "安阳市行政争议协调化解中心", world.regions["安阳市"], OrganisationKind.COORDINATION_CENTRE
    )
    made = {
        PREF_DUYUN: make_dispute(
            o["州中心"], agency=o["都匀自然资源局"], source="court_referral", referred_by=o["都匀法院"], matter="甲"
        ),
        PREF_FUQUAN: make_dispute(
            o["州中心"], agency=o["福泉公安局"], source="reconsideration", referred_by=o["州司法局"], matter="乙"
        ),
        DUYUN: make_dispute(o["都匀中心"], agency=o["都匀自然资源局"], matter="丙"),
        ANYANG: make_dispute(anyang_centre, agency=o["安阳市场监管局"], matter="丁"),
    }
    expert = make_coordinator("林专家", org=o["州司法局"], user=world.users["coordinator"])
    accepted = accept_dispute(made[PREF_DUYUN], by=world.users["centre"], consent=WRITTEN)
    assign_coordinators(accepted, [Choice(expert, "lead")], by=world.users["centre"])
    return made


def letters(disputes: dict[str, Dispute], found: object) -> set[str]:
    by_pk = {d.pk: letter for letter, d in disputes.items()}
    return {by_pk[pk] for pk in found}  # type: ignore[attr-defined]


def test_the_matrix_covers_every_persona_of_the_world(world: World) -> None:
    assert set(MATRIX) == set(world.users)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_the_disputes_in_its_scope(
    persona: str, world: World, disputes: dict[str, Dispute]
) -> None:
    user = world.users[persona]

    assert letters(disputes, visible_to(user).values_list("pk", flat=True)) == MATRIX[persona][0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dispute_page_opens_only_inside_the_scope(
    persona: str, world: World, disputes: dict[str, Dispute], client: Client
) -> None:
    assert client.login(username=persona, password=PASSWORD)

    opened = {
        letter
        for letter, d in disputes.items()
        if client.get(reverse("disputes:detail", args=[d.pk])).status_code == 200
    }

    assert opened == MATRIX[persona][0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_centres_staff_run_a_dispute_and_only_its_team_works_on_it(
    persona: str, world: World, disputes: dict[str, Dispute]
) -> None:
    user = world.users[persona]

    managed = {letter for letter, d in disputes.items() if can_manage(user, d)}
    worked = {letter for letter, d in disputes.items() if can_work_on(user, d)}

    assert (managed, worked) == MATRIX[persona][1:]


# Every personal-data field of a dispute that has a 「查看完整号码」 action (core.masking.REVEALABLE).
REVEALABLE_KEYS = ("dispute.applicant_phone", "dispute.applicant_id_number")


@pytest.mark.parametrize("key", REVEALABLE_KEYS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_personal_data_reveal_is_not_found_outside_the_scope_and_given_only_to_the_centre_that_runs_it(
    persona: str, key: str, world: World, disputes: dict[str, Dispute], client: Client
) -> None:
    seen, managed, _ = MATRIX[persona]
    assert client.login(username=persona, password=PASSWORD)

    answers = {
        letter: client.post(reverse("reveal-personal-data", args=[key, d.pk])).status_code
        for letter, d in disputes.items()
    }

    assert answers == {letter: 200 if letter in managed else 403 if letter in seen else 404 for letter in disputes}
