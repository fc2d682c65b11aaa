"""The enforcement scoping matrix (SPEC §2, §6.7): every persona against three bodies — their officers, their
decisions — through ``*_visible_to`` (every page starts there) and through the pages (the same 404 for "missing" and
"not yours"). One world for the whole matrix.

Read the table as: persona → bodies seen.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.enforcement.models import MajorDecision, Officer
from fuyuan.enforcement.queries import bodies_visible_to, decisions_visible_to, officers_visible_to
from tests.enforcement.conftest import D, add_officer, body, registered
from tests.factories import World

pytestmark = pytest.mark.django_db

DUYUN, FUQUAN, ANYANG = "都匀自然资源局", "福泉公安局", "安阳市场监管局"
QIANNAN = {DUYUN, FUQUAN}
MATRIX: dict[str, set[str]] = {
    "zfjd_pref": QIANNAN,  # the 州司法局's supervision staff: the 州's subtree
    "zfjd_anyang": {ANYANG},
    "agency_duyun": {DUYUN},  # a body's legal staff: their own body
    "agency_fuquan": {FUQUAN},
    "agency_anyang": {ANYANG},
    "rol_pref": QIANNAN,  # the 依法治办 and leaders read their subtree
    "rol_duyun": {DUYUN},
    "leader_pref": QIANNAN,
    "invited": set(),  # the 特邀执法监督员 see the files given to them in 案卷评查, not these
    "recon_pref": set(),
    "court_duyun": set(),
    "centre": set(),
    "coordinator": set(),
    "discipline": set(),
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
}


def test_each_role_sees_exactly_its_bodies_officers_and_decisions(people: World) -> None:
    officers: dict[str, Officer] = {}
    decisions: dict[str, MajorDecision] = {}
    for key, staff, n in ((DUYUN, "agency_duyun", 1), (FUQUAN, "agency_fuquan", 2), (ANYANG, "agency_anyang", 3)):
        officers[key] = add_officer(people, key, f"人员{key}", f"5227000000{n}", valid_to=D(2029, 1, 1))
        decisions[key] = registered(people, title=f"决定{key}", by=staff)
    for persona, expected in MATRIX.items():
        user = people.users[persona]
        assert {
            k for k in MATRIX[persona] if bodies_visible_to(user).filter(pk=body(people, k).pk).exists()
        } == expected
        seen_officers = {k for k, o in officers.items() if officers_visible_to(user).filter(pk=o.pk).exists()}
        seen_decisions = {k for k, d in decisions.items() if decisions_visible_to(user).filter(pk=d.pk).exists()}
        assert (persona, seen_officers, seen_decisions) == (persona, expected, expected)
        assert bodies_visible_to(user).count() == len(expected), persona
    # the pages: the same 404 for another's record as for a missing one, and the lists show only one's own
    for persona in ("zfjd_anyang", "agency_duyun", "invited"):
        client = Client()
        client.force_login(people.users[persona])
        lists = {
            name: client.get(reverse(name)).content.decode()
            for name in ("enforcement:officers", "enforcement:decisions")
        }
        for key in (DUYUN, FUQUAN, ANYANG):
            expected = 200 if key in MATRIX[persona] else 404
            pages = [("enforcement:officer", officers[key].pk), ("enforcement:decision", decisions[key].pk),
                     ("enforcement:body", body(people, key).pk)]  # fmt: skip
            for name, pk in pages:
                assert client.get(reverse(name, args=[pk])).status_code == expected, (persona, name, key)
            for name, text in (("enforcement:officers", f"人员{key}"), ("enforcement:decisions", f"决定{key}")):
                assert (text in lists[name]) == (key in MATRIX[persona])
        assert client.get(reverse("enforcement:officer", args=[999999])).status_code == 404


def test_only_the_supervision_staff_confirm_and_publish_and_only_the_legal_staff_record_decisions(
    people: World,
) -> None:
    duyun = body(people, DUYUN)
    url = reverse("enforcement:body", args=[duyun.pk])
    for persona in ("rol_pref", "agency_duyun", "zfjd_pref"):
        client = Client()
        client.force_login(people.users[persona])
        client.post(url, {"action": "confirm"})
        duyun.refresh_from_db()
        assert (duyun.state == "confirmed") == (persona == "zfjd_pref"), persona
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    assert client.get(reverse("enforcement:decision_new")).status_code == 403
    client.force_login(people.users["rol_pref"])
    assert client.get(reverse("enforcement:import")).status_code == 403


def test_a_user_logged_out_or_inactive_sees_nothing(people: World) -> None:
    user = people.users["zfjd_pref"]
    user.is_active = False
    assert not bodies_visible_to(user).exists()
    client = Client()
    assert client.get(reverse("enforcement:officers")).status_code == 302  # to the log-in
