"""The reconsideration scoping matrix (SPEC §2): every persona against four files, through ``visible_to`` (every page
starts there) and through the 「查看完整号码」 action; and who may run a file.

Read the table as: persona → (files seen, files handled as the body's staff).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from fuyuan.cases.ledger import apply_import, plan_import
from fuyuan.cases.rules import CaseInvalid
from fuyuan.cases.workflow import FILE_KEPT_MESSAGE, update_case
from fuyuan.core.models import Role, User
from fuyuan.core.timeline import Actor
from fuyuan.reconsideration.choices import Channel, CommitteeGround
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.queries import body_files, can_handle, for_follow_up, visible_to
from fuyuan.reconsideration.workflow import accept, receive_application, refer_to_committee
from tests.cases.ledgers import reconsideration_row, write_workbook
from tests.factories import PASSWORD, World, make_user
from tests.kept import KeptWorld, world_kept_for_the_module
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


@pytest.fixture(scope="module")
def kept(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[KeptWorld]:
    """The world and the four files (received on 29 September), written once for the module's tests."""
    with world_kept_for_the_module(django_db_blocker, make_applications, on=D(2026, 9, 29)) as written:
        yield written


@pytest.fixture
def world(kept: KeptWorld, db: None) -> World:
    return kept.fresh_world()


@pytest.fixture
def applications(kept: KeptWorld, world: World, clock) -> dict[str, Application]:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 29))
    return kept.records(Application)


def make_applications(world: World) -> dict[str, Application]:
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


@pytest.mark.parametrize("persona", [*PERSONAS, "recon_duyun", "recon_anyang"])
def test_the_body_queue_holds_exactly_the_visible_files_of_the_users_body(
    persona: str, world: World, applications: dict[str, Application]
) -> None:
    """``body_files`` reads the body's staff's queue from the file's own body; for every persona it is the same set
    as the scope narrowed to the user's body. 安阳's staff member also sits on 都匀's file's committee (D)."""
    duyun_staff, anyang_staff = User.objects.get(username="recon_duyun"), User.objects.get(username="recon_anyang")
    accept(applications[DUYUN], by=duyun_staff)
    refer_to_committee(applications[DUYUN], ground=CommitteeGround.MAJOR, members=[anyang_staff], by=duyun_staff)
    user = User.objects.get(username=persona)

    queue = letters(applications, body_files(user))

    assert queue == letters(applications, visible_to(user).filter(body_id=user.organisation_id))
    assert body_files(user).count() == len(queue)
    if persona == "recon_anyang":
        assert (queue, letters(applications, visible_to(user))) == ({ANYANG}, {ANYANG, DUYUN})


def test_the_case_of_a_file_keeps_the_files_kind_and_body(world: World, applications: dict[str, Application]) -> None:
    """What ``body_files`` relies on: a file's registry case is not given another body, nor made a litigation."""
    case = applications[PREF_FUQUAN].case

    for change in ({"reconsideration_body": world.orgs["都匀司法局"]}, {"kind": "litigation"}):
        with pytest.raises(CaseInvalid, match=FILE_KEPT_MESSAGE):
            update_case(case, change, by=world.users["rol_pref"])
    update_case(case, {"summary": "摘要"}, by=world.users["rol_pref"])  # any other edit goes through

    case.refresh_from_db()
    assert (case.kind, case.reconsideration_body_id, case.summary) == (
        "reconsideration",
        world.orgs["州司法局"].pk,
        "摘要",
    )


def test_a_ledger_row_cannot_give_a_files_case_another_body(
    world: World, applications: dict[str, Application], tmp_path: Path
) -> None:
    number = applications[PREF_FUQUAN].case.number
    path = write_workbook(
        tmp_path / "ledger.xlsx",
        reconsideration=[reconsideration_row(number, 复议机构="都匀市司法局", 收案日期="2026-09-29")],
    )

    plan = plan_import(path)

    assert [(e.column, e.reason) for e in plan.errors] == [("复议机构", FILE_KEPT_MESSAGE)]
    plan.errors.clear()  # a file received between the check and the import is kept too
    with pytest.raises(CaseInvalid, match=FILE_KEPT_MESSAGE):
        apply_import(plan, by=Actor(label="台账导入 (测试)"))
    assert (
        Application.objects.get(pk=applications[PREF_FUQUAN].pk).case.reconsideration_body_id
        == world.orgs["州司法局"].pk
    )


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
