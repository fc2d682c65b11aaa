"""The scoping matrix (SPEC §2): every persona against cases placed in 都匀市, 福泉市, 州本级 and 安阳市, through every
door — the list, the detail page, the edit page (GET and POST) and the Excel export.

Read the table as: persona → which of the five cases they see, and which of those they may edit.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.disputes.workflow import link_case
from fuyuan.hearings.models import Hearing
from tests.factories import PASSWORD, World, make_case, make_dispute
from tests.kept import KeptWorld, world_kept_for_the_module

pytestmark = pytest.mark.django_db

# The five cases of the matrix.
DUYUN_LIT = "（2021）黔2701行初1号"  # 都匀市人民法院, against 都匀市自然资源局
DUYUN_RECON = "黔南复〔2021〕1号"  # 黔南州司法局, against 都匀市自然资源局
FUQUAN_LIT = "（2021）黔2702行初2号"  # 福泉市人民法院, against 福泉市公安局
PREF_RECON = "黔南复〔2021〕2号"  # 黔南州司法局, against 黔南州人力资源和社会保障局 (州本级)
ANYANG_LIT = "（2021）豫05行初3号"  # 安阳市中级人民法院, against 安阳市市场监督管理局 (another prefecture)
ALL = {DUYUN_LIT, DUYUN_RECON, FUQUAN_LIT, PREF_RECON, ANYANG_LIT}
QIANNAN = {DUYUN_LIT, DUYUN_RECON, FUQUAN_LIT, PREF_RECON}

# persona: (cases visible, cases editable)
MATRIX: dict[str, tuple[set[str], set[str]]] = {
    "rol_pref": (QIANNAN, QIANNAN),
    "rol_duyun": ({DUYUN_LIT, DUYUN_RECON}, {DUYUN_LIT, DUYUN_RECON}),
    "leader_pref": (QIANNAN, set()),
    "court_duyun": ({DUYUN_LIT}, {DUYUN_LIT}),
    "recon_pref": ({DUYUN_RECON, PREF_RECON}, {DUYUN_RECON, PREF_RECON}),
    "agency_duyun": ({DUYUN_LIT, DUYUN_RECON}, set()),
    "agency_fuquan": ({FUQUAN_LIT}, set()),
    "centre": ({DUYUN_LIT}, set()),  # the case its dispute was handed over to
    "centre_duyun": (set(), set()),
    "coordinator": (set(), set()),
    "discipline": (set(), set()),
    "sysadmin": (set(), set()),
    "secadmin": (set(), set()),
    "auditadmin": (set(), set()),
}
PERSONAS = list(MATRIX)
CELLS = [(persona, number) for persona in PERSONAS for number in sorted(ALL)]


@pytest.fixture(scope="module")
def kept(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[KeptWorld]:
    """The world and the five cases, written once for the module's few hundred tests."""
    with world_kept_for_the_module(django_db_blocker, make_cases) as written:
        yield written


@pytest.fixture
def world(kept: KeptWorld, db: None) -> World:
    return kept.fresh_world()


@pytest.fixture
def cases(kept: KeptWorld, db: None) -> dict[str, Case]:
    return kept.records(Case)


def make_cases(world: World) -> dict[str, Case]:
    o = world.orgs
    made = [
        make_case(number=DUYUN_LIT, defendant=o["都匀自然资源局"], court=o["都匀法院"], plaintiffs="张三"),
        make_case(
            CaseKind.RECONSIDERATION,
            number=DUYUN_RECON,
            defendant=o["都匀自然资源局"],
            reconsideration_body=o["州司法局"],
        ),
        make_case(number=FUQUAN_LIT, defendant=o["福泉公安局"], court=o["福泉法院"]),
        make_case(
            CaseKind.RECONSIDERATION, number=PREF_RECON, defendant=o["州人社局"], reconsideration_body=o["州司法局"]
        ),
        make_case(number=ANYANG_LIT, defendant=o["安阳市场监管局"], court=o["安阳法院"]),
    ]
    # A dispute of the 州 centre linked to the 都匀 lawsuit: the centre sees that case and no other.
    dispute = make_dispute(o["州中心"], agency=o["都匀自然资源局"], applicants="张三")
    link_case(dispute, made[0], by=world.users["centre"])
    return {case.number: case for case in made}


def as_persona(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def listed_numbers(client: Client, **params: str) -> set[str]:
    """The 案号 linked in the list's table (not those echoed in the search box)."""
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return set(re.findall(r'<a href="/cases/\d+/">([^<]+)</a>', response.content.decode()))


def test_the_matrix_covers_every_persona_of_the_world(world: World) -> None:
    assert set(MATRIX) == set(world.users)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_shows_exactly_the_cases_in_the_personas_scope(persona: str, cases: dict[str, Case]) -> None:
    client = as_persona(persona)

    assert listed_numbers(client) == MATRIX[persona][0]
    assert f"共 <strong>{len(MATRIX[persona][0])}</strong> 件" in client.get(reverse("cases:list")).content.decode()


@pytest.mark.parametrize(("persona", "number"), CELLS)
def test_a_case_page_opens_only_inside_the_personas_scope(persona: str, number: str, cases: dict[str, Case]) -> None:
    response = as_persona(persona).get(reverse("cases:detail", args=[cases[number].pk]))

    assert response.status_code == (200 if number in MATRIX[persona][0] else 404)


@pytest.mark.parametrize(("persona", "number"), CELLS)
def test_the_edit_page_opens_only_for_those_who_may_edit(persona: str, number: str, cases: dict[str, Case]) -> None:
    visible, editable = MATRIX[persona]

    response = as_persona(persona).get(reverse("cases:edit", args=[cases[number].pk]))

    expected = 200 if number in editable else 403 if number in visible else 404
    assert response.status_code == expected


@pytest.mark.parametrize(("persona", "number"), [(p, n) for p, n in CELLS if n not in MATRIX[p][1]])
def test_an_edit_posted_without_the_right_changes_nothing(persona: str, number: str, cases: dict[str, Case]) -> None:
    case = cases[number]
    plaintiffs = case.plaintiffs

    response = as_persona(persona).post(
        reverse("cases:edit", args=[case.pk]), {"number": case.number, "plaintiffs": "篡改者"}
    )

    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.plaintiffs == plaintiffs != "篡改者"
    assert case.version == 1


def exported_numbers(client: Client) -> set[str]:
    response = client.get(reverse("cases:export"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    numbers: set[str] = set()
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or "案号" not in header:
            continue
        column = list(header).index("案号")
        numbers.update(str(row[column]) for row in rows if row[column])
    return numbers


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_holds_the_same_cases_as_the_list(persona: str, cases: dict[str, Case]) -> None:
    assert exported_numbers(as_persona(persona)) == MATRIX[persona][0]


@pytest.mark.parametrize("persona", ["agency_duyun", "agency_fuquan"])
def test_a_county_agency_never_sees_another_countys_case_through_any_door(persona: str, cases: dict[str, Case]) -> None:
    client = as_persona(persona)
    others = ALL - MATRIX[persona][0]

    assert not others & listed_numbers(client, q="行")
    for number in others:
        assert not listed_numbers(client, q=number)
    for number in others:
        assert client.get(reverse("cases:detail", args=[cases[number].pk])).status_code == 404
        assert client.get(reverse("cases:edit", args=[cases[number].pk])).status_code == 404
    assert not others & exported_numbers(client)


# Every personal-data field reached through a case that has a 「查看完整号码」 action (core.masking.REVEALABLE): the
# appearing head's phone on each lawsuit's hearing. persona -> the lawsuits whose head's phone they may see whole
# (the defendant's liaison; the 依法治办 over it). Any other visible lawsuit: 403; a lawsuit not visible: 404.
REVEALABLE_KEYS = ("hearing.designee_phone",)
LAWSUITS = (DUYUN_LIT, FUQUAN_LIT, ANYANG_LIT)
DESIGNEE_PHONE_REVEALED: dict[str, set[str]] = {
    "rol_pref": {DUYUN_LIT, FUQUAN_LIT},
    "rol_duyun": {DUYUN_LIT},
    "agency_duyun": {DUYUN_LIT},
    "agency_fuquan": {FUQUAN_LIT},
}


@pytest.fixture
def hearings(world: World, cases: dict[str, Case]) -> dict[str, Hearing]:
    return {
        number: Hearing.objects.create(
            case=cases[number],
            court=cases[number].court,
            agency=cases[number].defendant,
            county=cases[number].defendant.region,
            held_on=datetime.date(2021, 6, 1),
            designee_phone="13912341234",
            registered_by=world.users["court_duyun"],
        )
        for number in LAWSUITS
    }


@pytest.mark.parametrize("key", REVEALABLE_KEYS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_personal_data_reveal_is_not_found_outside_the_scope_and_given_only_to_those_who_call_the_head(
    persona: str, key: str, hearings: dict[str, Hearing]
) -> None:
    client = as_persona(persona)
    revealed = DESIGNEE_PHONE_REVEALED.get(persona, set())

    answers = {
        number: client.post(reverse("reveal-personal-data", args=[key, h.pk])).status_code
        for number, h in hearings.items()
    }

    assert answers == {
        number: 200 if number in revealed else 403 if number in MATRIX[persona][0] else 404 for number in LAWSUITS
    }
