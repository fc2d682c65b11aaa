"""The two assessment indicators against hand counts, and each equal to its drill-down list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.enforcement import workflow as wf
from fuyuan.enforcement.choices import ReviewConclusion
from fuyuan.enforcement.indicators import certificate_coverage, major_decisions_in_order
from fuyuan.enforcement.models import MajorDecision
from tests.enforcement.conftest import D, add_officer, registered
from tests.factories import World

pytestmark = pytest.mark.django_db


def drill(world: World, page: str, org: int, year: int) -> int:
    client = Client()
    client.force_login(world.users["zfjd_pref"])
    response = client.get(reverse(page), {"organisation": org, "year": year})
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_certificate_coverage_equals_hand_counts_and_its_drill_down(people: World) -> None:
    o = people.orgs
    duyun, fuquan = o["都匀自然资源局"].pk, o["福泉公安局"].pk
    # 都匀, on 2025-12-31: A valid, B lapsed 2025-12-30, C revoked 2025-06-01, D joined 2026 (not counted),
    # E left 2025-12-31 (not counted), F valid through 2025-12-31 (counted, valid).
    add_officer(people, "都匀自然资源局", "A", "A0000001", valid_to=D(2027, 1, 1))
    add_officer(people, "都匀自然资源局", "B", "B0000001", valid_to=D(2025, 12, 30))
    add_officer(people, "都匀自然资源局", "C", "C0000001", valid_to=D(2027, 1, 1), revoked_on=D(2025, 6, 1))
    add_officer(people, "都匀自然资源局", "D", "D0000001", valid_to=D(2030, 1, 1), issued_on=D(2026, 2, 1))
    add_officer(people, "都匀自然资源局", "E", "E0000001", valid_to=D(2027, 1, 1), left_on=D(2025, 12, 31))
    add_officer(people, "都匀自然资源局", "F", "F0000001", valid_to=D(2025, 12, 31))
    # 福泉: G valid, H with no valid certificate (issued 2026 though on staff since 2024)
    add_officer(people, "福泉公安局", "G", "G0000001", valid_to=D(2028, 1, 1))
    add_officer(people, "福泉公安局", "H", "H0000001", valid_to=D(2031, 1, 1), issued_on=D(2026, 1, 5),
                joined_on=D(2024, 1, 1))  # fmt: skip
    assert certificate_coverage(2025) == {duyun: (2, 4), fuquan: (1, 2)}
    # 2026: A, B, C, D, F on staff; A and D valid (B, F lapsed, C revoked)
    assert certificate_coverage(2026) == {duyun: (2, 5), fuquan: (2, 2)}
    assert certificate_coverage(2021) == {}
    assert drill(people, "enforcement:officers", duyun, 2025) == 4
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    response = client.get(reverse("enforcement:officers"), {"organisation": duyun, "year": 2025})
    rows = {o.name: o.valid_at_year_end for o in response.context["page"].object_list}
    assert rows == {"A": True, "B": False, "C": False, "F": True}
    # a county's value sums its units (the assessment links them together): 3 of 6
    both = client.get(reverse("enforcement:officers"), {"organisation": [duyun, fuquan], "year": 2025})
    assert both.context["page"].paginator.count == 4 + 2
    assert "年末在岗执法人员 6 人，其中持有效执法证 3 人" in both.content.decode()


def test_major_decisions_in_order_equal_hand_counts_and_their_drill_down(people: World, clock) -> None:  # type: ignore[no-untyped-def]
    u = people.users
    staff = u["agency_duyun"]

    def decision(title: str, reviewed, decided, filed) -> MajorDecision:  # type: ignore[no-untyped-def]
        d = registered(people, title=title)
        if reviewed:
            wf.record_review(d, conclusion=ReviewConclusion.AGREED, opinion="同意。", reviewed_on=reviewed, by=staff)
        if decided:
            wf.record_decision(d, decided_on=decided, by=staff)
        if filed:
            wf.file_decision(d, filed_on=filed, by=staff)
        return d

    decision("in order", D(2025, 3, 1), D(2025, 3, 2), D(2025, 3, 17))  # filed on its last day
    decision("same day", D(2025, 4, 1), D(2025, 4, 1), D(2025, 4, 2))
    decision("late", D(2025, 5, 1), D(2025, 5, 2), D(2025, 5, 18))
    decision("unreviewed", None, D(2025, 6, 1), D(2025, 6, 2))
    decision("not filed", D(2025, 7, 1), D(2025, 7, 2), None)
    decision("next year", D(2025, 12, 30), D(2026, 1, 2), D(2026, 1, 3))
    decision("not made", D(2025, 8, 1), None, None)
    refused = registered(people, title="refused")
    wf.record_review(refused, conclusion=ReviewConclusion.REFUSED, opinion="不同意。", reviewed_on=D(2025, 10, 1),
                     by=staff)  # fmt: skip
    wf.record_decision(refused, decided_on=D(2025, 10, 2), by=staff)
    wf.file_decision(refused, filed_on=D(2025, 10, 3), by=staff)
    d = registered(people, title="review after")
    wf.record_decision(d, decided_on=D(2025, 9, 1), by=staff)
    wf.record_review(d, conclusion=ReviewConclusion.AGREED, opinion="补审。", reviewed_on=D(2025, 9, 2), by=staff)
    wf.file_decision(d, filed_on=D(2025, 9, 3), by=staff)
    duyun = people.orgs["都匀自然资源局"].pk
    assert major_decisions_in_order(2025) == {duyun: (2, 7)}
    assert major_decisions_in_order(2026) == {duyun: (1, 1)}
    assert drill(people, "enforcement:decisions", duyun, 2025) == 7


def test_a_drill_down_of_an_organisation_not_seen_is_not_found(people: World) -> None:
    client = Client()
    client.force_login(people.users["zfjd_anyang"])
    org = people.orgs["都匀自然资源局"].pk
    for page in ("enforcement:officers", "enforcement:decisions"):
        assert client.get(reverse(page), {"organisation": org, "year": 2025}).status_code == 404
        assert client.get(reverse(page), {"organisation": "x", "year": 2025}).status_code == 404
