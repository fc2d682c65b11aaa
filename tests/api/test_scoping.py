"""Scoping through the API is exactly the service account's scoping (SPEC §2): a court's system neither reads nor
pushes another court's cases; a county's office system does not read another county's cases."""

from __future__ import annotations

import pytest

from fuyuan.cases.models import Case
from tests.api.conftest import Caller, litigation
from tests.factories import World, make_case

CASES = "/api/v1/cases/"


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    o = world.orgs
    return {
        "duyun": make_case(number="都匀案", defendant=o["都匀自然资源局"], court=o["都匀法院"]),
        "fuquan": make_case(number="福泉案", defendant=o["福泉公安局"], court=o["福泉法院"]),
        "anyang": make_case(number="安阳案", defendant=o["安阳市场监管局"], court=o["安阳法院"]),
    }


def _numbers(caller: Caller) -> set[str]:
    return {c["number"] for c in caller.get(CASES).json()["results"]}


@pytest.mark.parametrize(
    ("caller", "sees"),
    [
        ("duyun_court", {"都匀案"}),
        ("fuquan_court", {"福泉案"}),
        ("duyun_office", {"都匀案"}),
        ("pref_office", {"都匀案", "福泉案"}),
        ("duyun_agency", {"都匀案"}),
    ],
)
def test_each_system_lists_exactly_the_cases_its_account_sees(
    request: pytest.FixtureRequest, cases: dict[str, Case], caller: str, sees: set[str]
) -> None:
    system: Caller = request.getfixturevalue(caller)

    assert _numbers(system) == sees


def test_a_court_system_cannot_read_another_courts_case_by_id(cases: dict[str, Case], duyun_court: Caller) -> None:
    response = duyun_court.get(f"{CASES}{cases['fuquan'].pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_county_office_system_cannot_read_another_countys_case(cases: dict[str, Case], duyun_office: Caller) -> None:
    assert duyun_office.get(CASES, {"number": "福泉案"}).json()["count"] == 0
    assert duyun_office.get(f"{CASES}{cases['fuquan'].pk}/").status_code == 404


def test_a_court_system_cannot_push_a_case_of_another_court(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation(forum="福泉市人民法院"))

    assert response.status_code == 403
    assert "只能推送本单位" in response.json()["error"]["message"]
    assert not Case.objects.exists()


def test_a_court_system_cannot_overwrite_another_courts_case_with_the_same_number(
    cases: dict[str, Case], duyun_court: Caller
) -> None:
    response = duyun_court.put(CASES, litigation(number="福泉案", domain="林业"))

    assert response.status_code == 403
    assert Case.objects.get(number="福泉案").domain == ""


def test_a_court_system_cannot_push_a_case_against_an_agency_outside_its_region(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation(defendant="福泉市公安局"))

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_county_office_system_cannot_register_a_case_in_another_county(duyun_office: Caller) -> None:
    response = duyun_office.put(CASES, litigation(forum="福泉市人民法院", defendant="福泉市公安局"))

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_an_agency_system_reads_its_cases_but_cannot_register_one(duyun_agency: Caller) -> None:
    response = duyun_agency.put(CASES, litigation(forum="都匀市人民法院"))

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_a_court_system_cannot_register_a_reconsideration(duyun_court: Caller) -> None:
    response = duyun_court.put(
        CASES,
        {"number": "复1", "kind": "reconsideration", "defendant": "都匀市自然资源局", "received_on": "2026-01-01"},
    )

    assert response.status_code == 403
    assert not Case.objects.exists()
