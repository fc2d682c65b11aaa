"""The case-file review scoping matrix (SPEC §2, §6.7): every persona against three files, through ``visible_to``
(every page starts there), the file's page (the same 404 for missing and not yours) and the right to score.

A: the 州's plan, 都匀市自然资源局, reviewed by ``tyjd``;  B: the 州's plan, 福泉市公安局, reviewed by ``tyjd2``;
C: 安阳市司法局's plan, 安阳市市场监督管理局, reviewed by ``tyjd_anyang``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import Role
from fuyuan.filereview import workflow as wf
from fuyuan.filereview.models import ReviewMode
from fuyuan.filereview.queries import plans_visible_to, visible_to
from tests.factories import World, make_user
from tests.filereview.conftest import file_of, plan_of

pytestmark = pytest.mark.django_db

MATRIX: dict[str, tuple[set[str], set[str]]] = {
    "rol_pref": ({"A", "B"}, set()),
    "rol_duyun": ({"A"}, set()),
    "leader_pref": ({"A", "B"}, set()),
    "zfjd_pref": ({"A", "B"}, set()),
    "zfjd_anyang": ({"C"}, set()),
    "tyjd": ({"A"}, {"A"}),
    "tyjd2": ({"B"}, {"B"}),
    "tyjd_anyang": ({"C"}, {"C"}),
    "agency_duyun": ({"A"}, set()),
    "agency_fuquan": ({"B"}, set()),
    "court_duyun": (set(), set()),
    "recon_pref": (set(), set()),
    "centre": (set(), set()),
    "centre_duyun": (set(), set()),
    "coordinator": (set(), set()),
    "discipline": (set(), set()),
    "sysadmin": (set(), set()),
    "secadmin": (set(), set()),
    "auditadmin": (set(), set()),
}
# The page answers as ``visible_to`` does: checked for a persona of each kind of scope (the same 404 for not yours).
THROUGH_PAGES = {"rol_duyun", "zfjd_anyang", "tyjd", "agency_fuquan", "court_duyun"}


def test_each_persona_sees_and_scores_only_its_files(people: World) -> None:
    o, u = people.orgs, people.users
    u["tyjd_anyang"] = make_user("tyjd_anyang", Role.INVITED_SUPERVISOR, region=people.regions["安阳市"])
    plan = plan_of(people)
    files = {"A": file_of(people, plan, "A"), "B": file_of(people, plan, "B", body="福泉公安局", reviewer="tyjd2")}
    sheet = wf.create_sheet(year=2026, name="安阳标准", by=u["zfjd_anyang"])
    anyang = wf.create_plan(year=2026, name="安阳评查", mode=ReviewMode.SELF_CHECK, sheet=sheet,
                            bodies={o["安阳市场监管局"]: 1}, reviewers=[u["tyjd_anyang"]], by=u["zfjd_anyang"])  # fmt: skip
    files["C"] = wf.register_file(anyang, number="C", body=o["安阳市场监管局"], act_kind="penalty",
                                  decided_on=files["A"].decided_on, reviewer=u["tyjd_anyang"], by=u["zfjd_anyang"])  # fmt: skip
    assert set(MATRIX) >= set(u), set(u) - set(MATRIX)
    for username, (seen, scores) in MATRIX.items():
        user = u[username]
        assert set(visible_to(user).values_list("number", flat=True)) == seen, username
        assert {k for k, f in files.items() if wf.can_score(user, f)} == scores, username
        if username not in THROUGH_PAGES:
            continue
        client = Client()
        client.force_login(user)
        for key, file in files.items():
            status = client.get(reverse("filereview:file", args=[file.pk])).status_code
            assert status == (200 if key in seen else 404), (username, key)
    for username, (seen, _) in MATRIX.items():
        plans = set(plans_visible_to(u[username]).values_list("name", flat=True))
        expected = ({"行政执法案卷集中评查"} if seen & {"A", "B"} else set()) | ({"安阳评查"} if "C" in seen else set())
        assert plans == expected, username
    # only the region's own staff manage a plan
    assert wf.can_manage_plan(u["zfjd_pref"], plan) and not wf.can_manage_plan(u["zfjd_anyang"], plan)
    assert not wf.can_manage_plan(u["rol_pref"], plan) and not wf.can_manage_plan(u["tyjd"], plan)
