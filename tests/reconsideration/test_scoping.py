"""The reconsideration scoping matrix (SPEC §2): every persona against four files, through ``visible_to`` (every page
starts there) and through the 「查看完整号码」 action; and who may run a file.

Read the table as: persona → (files seen, files handled as the body's staff).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role
from fuyuan.reconsideration.choices import Channel, CommitteeGround
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.queries import can_handle, for_follow_up, visible_to
from fuyuan.reconsideration.workflow import accept, receive_application, refer_to_committee
from tests.factories import PASSWORD, World, make_user
from tests.reconsideration.conftest import D, particulars

pytestmark = pytest.mark.django_db

PREF_DUYUN = "A"  # 州司法局 ← 都匀市自然资源局, referred to the committee (the coordinator a member)
PREF_FUQUAN = "B"  # 州司法局 ← 福泉市公安局
ANYANG = "C"  # 安阳市司法局 ← 安阳市市场监督管理局, another prefecture
DUYUN = "D"  # 都匀市司法局 ← 都匀市自然资源局

QIANNAN = {PREF_DUYUN, PREF_FUQUAN, DUYUN}
MATRIX: dict[str, tuple[set[str], set[str]]] = {
    "rol_pref": (QIANNAN, set()),
    "rol_duyun": ({PREF_DUYUN, DUYUN}, set()),
    "leader_pref": (QIANNAN, set()),
    "court_duyun": (set(), set()),
    "recon_pref": ({PREF_DUYUN, PREF_FUQUAN}, {PREF_DUYUN, PREF_FUQUAN}),
    "agency_duyun": ({PREF_DUYUN, DUYUN}, set()),
    "agency_fuquan": ({PREF_FUQUAN}, set()),
    "centre": (set(), set()),
    "centre_duyun": (set(), set()),
    "coordinator": ({PREF_DUYUN}, set()),
    "discipline": (set(), set()),
    "sysadmin": (set(), set()),
    "secadmin": (set(), set()),
    "auditadmin": (set(), set()),
}
PERSONAS = sorted(MATRIX)
# Every personal-data field of a file that has a 「查看完整号码」 action (core.masking.REVEALABLE).
REVEALABLE_KEYS = ("application.applicant_phone", "application.applicant_id_number")


@pytest.fixture
def applications(world: World, clock) -> dict[str, Application]:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 29))
    o, u = world.orgs, world.users
    anyang_staff = make_user("recon_anyang", Role.RECONSIDERATION_BODY, org=o["安阳司法局"])
    duyun_staff = make_user("recon_duyun", Role.RECONSIDERATION_BODY, org=o["都匀司法局"])

    def made(body: str, respondent: str, by: object, act: str) -> Application:
        return receive_application(
            particulars(contested_act=act), body=o[body], respondent=o[respondent], channel=Channel.WINDOW, by=by
        ).application

    found = {
        PREF_DUYUN: made("州司法局", "都匀自然资源局", u["recon_pref"], "甲"),
        PREF_FUQUAN: made("州司法局", "福泉公安局", u["recon_pref"], "乙"),
        ANYANG: made("安阳司法局", "安阳市场监管局", anyang_staff, "丙"),
        DUYUN: made("都匀司法局", "都匀自然资源局", duyun_staff, "丁"),
    }
    accept(found[PREF_DUYUN], by=u["recon_pref"])
    refer_to_committee(found[PREF_DUYUN], ground=CommitteeGround.MAJOR, members=[u["coordinator"]], by=u["recon_pref"])
    return found


def letters(files: dict[str, Application], found: object) -> set[str]:
    by_pk = {a.pk: letter for letter, a in files.items()}
    return {by_pk[a.pk] for a in found}  # type: ignore[attr-defined]


def test_the_matrix_covers_every_persona_of_the_world(world: World) -> None:
    assert set(MATRIX) == set(world.users)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_the_files_in_its_scope_and_handles_only_its_bodys(
    persona: str, world: World, applications: dict[str, Application]
) -> None:
    user = world.users[persona]

    seen = letters(applications, visible_to(user))
    handled = {letter for letter, a in applications.items() if can_handle(user, a)}

    assert (seen, handled) == MATRIX[persona]


@pytest.mark.parametrize("key", REVEALABLE_KEYS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_personal_data_reveal_is_not_found_outside_the_scope_and_given_only_to_the_body_handling_it(
    persona: str, key: str, world: World, applications: dict[str, Application], client: Client
) -> None:
    seen, handled = MATRIX[persona]
    assert client.login(username=persona, password=PASSWORD)

    answers = {
        letter: client.post(reverse("reveal-personal-data", args=[key, a.pk])).status_code
        for letter, a in applications.items()
    }

    assert answers == {letter: 200 if letter in handled else 403 if letter in seen else 404 for letter in applications}


def test_the_public_reaches_only_its_own_file_with_receipt_and_code(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 29))
    mine = receive_application(
        particulars(), body=world.orgs["州司法局"], respondent=world.orgs["都匀自然资源局"], channel=Channel.WINDOW,
        by=world.users["recon_pref"],
    )  # fmt: skip
    other = receive_application(
        particulars(contested_act="另一"), body=world.orgs["州司法局"], respondent=world.orgs["都匀自然资源局"],
        channel=Channel.WINDOW, by=world.users["recon_pref"],
    )  # fmt: skip

    assert for_follow_up(mine.application.receipt_number, mine.follow_code) == mine.application
    assert for_follow_up(other.application.receipt_number, mine.follow_code) is None
    assert for_follow_up("不存在的编号", mine.follow_code) is None
