"""The joint-meeting scoping matrix (SPEC §2): every persona against three meetings and their four decisions,
through ``visible_to`` and ``decisions_visible_to`` (every page starts there), through the meeting's page, and who
may manage an office or report a decision.

Read the table as: persona → (meetings seen, decisions seen, offices managed, decisions reported).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role
from fuyuan.meetings.models import Decision, JointOffice, Meeting, MeetingKind
from fuyuan.meetings.queries import can_manage, can_report, decisions_visible_to, offices_visible_to, visible_to
from fuyuan.meetings.workflow import DecisionDraft, open_office, record_meeting
from tests.factories import World, make_user
from tests.meetings.conftest import NOW, D, hold_annual_meeting, open_duyun_office

pytestmark = pytest.mark.django_db

DUYUN, FUQUAN, PREF = "都匀", "福泉", "州"
D1, D2, F1, P1 = "都匀1", "都匀2", "福泉1", "州1"
ALL_DECISIONS = {D1, D2, F1, P1}
MATRIX: dict[str, tuple[set[str], set[str], set[str], set[str]]] = {
    "rol_pref": ({DUYUN, FUQUAN, PREF}, ALL_DECISIONS, {DUYUN, FUQUAN, PREF}, set()),
    "rol_duyun": ({DUYUN}, {D1, D2}, {DUYUN}, set()),
    "rol_fuquan": ({FUQUAN}, {F1}, {FUQUAN}, set()),  # the 依法治办 of another county
    "leader_pref": ({DUYUN, FUQUAN, PREF}, ALL_DECISIONS, set(), set()),
    "leader_duyun": ({DUYUN}, {D1, D2}, set(), set()),
    "court_duyun": ({DUYUN}, {D2}, set(), {D2}),  # the court is a member unit and owns a decision
    "court_fuquan": (set(), set(), set(), set()),  # a court that owns none
    "recon_pref": (set(), set(), set(), set()),
    "agency_duyun": ({DUYUN}, {D1}, set(), {D1}),
    "agency_fuquan": ({FUQUAN}, {F1}, set(), {F1}),
    "agency_pref": ({PREF}, {P1}, set(), {P1}),  # 黔南州人社局, owner of the 州 meeting's decision
    "agency_anyang": (set(), set(), set(), set()),  # another prefecture's agency, owner of nothing
    "centre": (set(), set(), set(), set()),
    "centre_duyun": (set(), set(), set(), set()),
    "coordinator": (set(), set(), set(), set()),
    "discipline": (set(), set(), set(), set()),
    "sysadmin": (set(), set(), set(), set()),
    "secadmin": (set(), set(), set(), set()),
    "auditadmin": (set(), set(), set(), set()),
}
PERSONAS = sorted(MATRIX)


@pytest.fixture
def records(world: World, settings, tmp_path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    o, u, r = world.orgs, world.users, world.regions
    u["rol_fuquan"] = make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=r["福泉市"])
    u["leader_duyun"] = make_user("leader_duyun", Role.LEADER, region=r["都匀市"])
    u["court_fuquan"] = make_user("court_fuquan", Role.COURT_LIAISON, org=o["福泉法院"])
    u["agency_pref"] = make_user("agency_pref", Role.AGENCY_LIAISON, org=o["州人社局"])
    u["agency_anyang"] = make_user("agency_anyang", Role.AGENCY_LIAISON, org=o["安阳市场监管局"])
    duyun = open_duyun_office(world)
    fuquan = open_office(r["福泉市"], by=u["rol_fuquan"], now=NOW)
    pref = open_office(r["黔南州"], by=u["rol_pref"], now=NOW)

    def meeting(office: JointOffice, owner: str, by: str) -> Meeting:
        return record_meeting(
            office, kind=MeetingKind.LOSS_ANALYSIS, title="败诉案件分析研判会", held_on=D(2026, 11, 20), place="会议室",
            agenda=["研判败诉案件"], participants=[], minutes="", by=u[by], now=NOW,
            decisions=[DecisionDraft("逐案分析败诉原因", o[owner], D(2026, 12, 31))],
        )  # fmt: skip

    meetings = {
        DUYUN: hold_annual_meeting(world, duyun),
        FUQUAN: meeting(fuquan, "福泉公安局", "rol_fuquan"),
        PREF: meeting(pref, "州人社局", "rol_pref"),
    }
    decisions = {
        D1: meetings[DUYUN].decisions.get(position=1),
        D2: meetings[DUYUN].decisions.get(position=2),
        F1: meetings[FUQUAN].decisions.get(),
        P1: meetings[PREF].decisions.get(),
    }
    return {"meetings": meetings, "decisions": decisions, "offices": {DUYUN: duyun, FUQUAN: fuquan, PREF: pref}}


def test_the_matrix_covers_every_persona_of_the_world(world: World) -> None:
    assert set(world.users) <= set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_and_does_exactly_what_the_matrix_says(
    persona: str, world: World, records: dict[str, dict[str, object]]
) -> None:
    user = world.users[persona]
    meetings: dict[str, Meeting] = records["meetings"]  # type: ignore[assignment]
    decisions: dict[str, Decision] = records["decisions"]  # type: ignore[assignment]
    offices: dict[str, JointOffice] = records["offices"]  # type: ignore[assignment]
    seen, decided, managed, reported = MATRIX[persona]

    by_pk = {m.pk: key for key, m in meetings.items()}
    assert {by_pk[pk] for pk in visible_to(user).values_list("pk", flat=True)} == seen
    decision_keys = {d.pk: key for key, d in decisions.items()}
    assert {decision_keys[pk] for pk in decisions_visible_to(user).values_list("pk", flat=True)} == decided
    assert {key for key, office in offices.items() if can_manage(user, office)} == managed
    assert {key for key, d in decisions.items() if can_report(user, d)} == reported
    office_keys = {o.pk: key for key, o in offices.items()}
    offices_seen = {office_keys[pk] for pk in offices_visible_to(user).values_list("pk", flat=True)}
    assert offices_seen == (seen if user.role in (Role.RULE_OF_LAW_OFFICE, Role.LEADER) else set())

    # The meeting's page: the same 404 for "missing" and "not yours"; on it, only the decisions the user sees.
    client = Client()
    client.force_login(user)
    for key, m in meetings.items():
        response = client.get(reverse("meetings:detail", args=[m.pk]))
        assert response.status_code == (200 if key in seen else 404), key
        if key in seen:
            page = response.content.decode()
            for dkey, d in decisions.items():
                assert (f'id="decision-{d.pk}"' in page) == (dkey in decided and d.meeting_id == m.pk), dkey
