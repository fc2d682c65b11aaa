"""The non-litigation enforcement scoping matrix (SPEC §2): every persona against five files, through ``visible_to``
(every page starts there) and through the file's page (a 404 for a file out of scope, the same as a missing one).

Read the table as: persona → files seen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from fuyuan.core.models import Role
from fuyuan.nonlitigation.choices import Ruling
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.queries import visible_to
from fuyuan.nonlitigation.workflow import (
    accept_application,
    apply_to_court,
    hand_over,
    record_reminder,
    register_file,
    rule_on_application,
)
from tests.factories import PASSWORD, World, make_user
from tests.kept import KeptWorld, world_kept_for_the_module
from tests.nonlitigation.conftest import D, decision

pytestmark = pytest.mark.django_db

DUYUN_APPLIED = "A"  # 都匀市自然资源局 → 都匀市人民法院
DUYUN_NOT_APPLIED = "B"  # 都匀市自然资源局, 催告 only: the court does not see it yet
FUQUAN = "C"  # 福泉市公安局 → 福泉市人民法院
ANYANG = "D"  # 安阳市市场监督管理局 → 安阳市中级人民法院, another prefecture
PREF_HANDED = "E"  # 州人社局 → 州中院, granted and handed to 都匀市自然资源局 to execute (裁执分离)

QIANNAN = {DUYUN_APPLIED, DUYUN_NOT_APPLIED, FUQUAN, PREF_HANDED}
MATRIX: dict[str, set[str]] = {
    "rol_pref": QIANNAN,
    "rol_duyun": {DUYUN_APPLIED, DUYUN_NOT_APPLIED},
    "leader_pref": QIANNAN,
    "court_duyun": {DUYUN_APPLIED},
    "recon_pref": set(),
    "agency_duyun": {DUYUN_APPLIED, DUYUN_NOT_APPLIED, PREF_HANDED},
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
# Every personal-data field of a file that has a 「查看完整号码」 action (core.masking.REVEALABLE): the party's ID
# number, given whole to the applying agency's liaison and the liaison of the court applied to; any other persona
# who sees the file: 403; a file not seen: 404.
REVEALABLE_KEYS = ("enforcementfile.party_id_number",)
REVEALED: dict[str, set[str]] = {
    "agency_duyun": {DUYUN_APPLIED, DUYUN_NOT_APPLIED},
    "agency_fuquan": {FUQUAN},
    "court_duyun": {DUYUN_APPLIED},
}


@pytest.fixture(scope="module")
def kept(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[KeptWorld]:
    """The world and the five files (on 10 November), written once for the module's tests."""
    with world_kept_for_the_module(django_db_blocker, make_files, on=D(2026, 11, 10)) as written:
        yield written


@pytest.fixture
def world(kept: KeptWorld, db: None) -> World:
    return kept.fresh_world()


@pytest.fixture
def files(kept: KeptWorld, world: World, clock) -> dict[str, EnforcementFile]:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 10))
    return kept.records(EnforcementFile)


def make_files(world: World) -> dict[str, EnforcementFile]:
    o, u = world.orgs, world.users
    anyang = make_user("agency_anyang", Role.AGENCY_LIAISON, org=o["安阳市场监管局"])
    pref = make_user("agency_pref", Role.AGENCY_LIAISON, org=o["州人社局"])
    court_pref = make_user("court_pref", Role.COURT_LIAISON, org=o["州中院"])

    def applied(by: object, court: str, number: str) -> EnforcementFile:
        f = register_file(decision(decision_number=number), by=by)  # type: ignore[arg-type]
        f = record_reminder(f, number=f"催{number}", served_on=D(2026, 9, 28), by=by)  # type: ignore[arg-type]
        return apply_to_court(f, court=o[court], applied_on=D(2026, 10, 19), by=by)  # type: ignore[arg-type]

    found = {
        DUYUN_APPLIED: applied(u["agency_duyun"], "都匀法院", "甲"),
        DUYUN_NOT_APPLIED: record_reminder(
            register_file(decision(decision_number="乙"), by=u["agency_duyun"]),
            number="催乙", served_on=D(2026, 9, 28), by=u["agency_duyun"],
        ),
        FUQUAN: applied(u["agency_fuquan"], "福泉法院", "丙"),
        ANYANG: applied(anyang, "安阳法院", "丁"),
        PREF_HANDED: applied(pref, "州中院", "戊"),
    }  # fmt: skip
    e = accept_application(found[PREF_HANDED], accepted_on=D(2026, 10, 21), court_case_number="审", by=court_pref)
    e = rule_on_application(e, ruling=Ruling.GRANTED, ruled_on=D(2026, 10, 27), ruling_number="裁", by=court_pref)
    found[PREF_HANDED] = hand_over(e, executing_body=o["都匀自然资源局"], handed_over_on=D(2026, 10, 28), by=court_pref)
    return found


def letters(files: dict[str, EnforcementFile], found: object) -> set[str]:
    by_pk = {f.pk: letter for letter, f in files.items()}
    return {by_pk[f.pk] for f in found}  # type: ignore[attr-defined]


def test_the_matrix_covers_every_persona_of_the_world(world: World) -> None:
    assert set(MATRIX) == set(world.users)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_the_files_in_its_scope(
    persona: str, world: World, files: dict[str, EnforcementFile], client: Client
) -> None:
    user = world.users[persona]

    assert letters(files, visible_to(user)) == MATRIX[persona]


@pytest.mark.parametrize("persona", ["rol_duyun", "court_duyun", "agency_fuquan", "agency_duyun"])
def test_a_file_out_of_scope_is_not_found_on_its_page(
    persona: str, world: World, files: dict[str, EnforcementFile], client: Client
) -> None:
    assert client.login(username=persona, password=PASSWORD)

    answers = {
        letter: client.get(reverse("nonlitigation:detail", args=[f.pk])).status_code for letter, f in files.items()
    }

    assert answers == {letter: 200 if letter in MATRIX[persona] else 404 for letter in files}


@pytest.mark.parametrize("persona", ["centre", "coordinator", "discipline", "sysadmin", "recon_pref"])
def test_roles_without_files_are_refused_the_list(persona: str, world: World, client: Client) -> None:
    assert client.login(username=persona, password=PASSWORD)

    assert client.get(reverse("nonlitigation:list")).status_code == 403


@pytest.mark.parametrize("key", REVEALABLE_KEYS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_party_id_reveal_is_not_found_outside_the_scope_and_given_only_to_the_agency_and_its_court(
    persona: str, key: str, world: World, files: dict[str, EnforcementFile], client: Client
) -> None:
    seen, revealed = MATRIX[persona], REVEALED.get(persona, set())
    assert client.login(username=persona, password=PASSWORD)

    answers = {
        letter: client.post(reverse("reveal-personal-data", args=[key, f.pk])).status_code
        for letter, f in files.items()
    }

    assert answers == {letter: 200 if letter in revealed else 403 if letter in seen else 404 for letter in files}
