"""Pushing hearing notices and outcomes: idempotent, the 双调度 notices sent once, the workflows' own checks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.hearings.models import Hearing
from fuyuan.notifications.models import Notification
from tests.api.conftest import Caller
from tests.factories import World, make_case, make_user

pytestmark = pytest.mark.usefixtures("clock")

HEARINGS = "/api/v1/hearings/"
OUTCOMES = "/api/v1/outcomes/"


@pytest.fixture
def case(world: World) -> Case:
    # Someone to tell: the agency's liaison (agency_duyun) and the county's office (rol_duyun) are in the world.
    make_user("agency_duyun_2", "agency_liaison", org=world.orgs["都匀自然资源局"])
    return make_case(
        number="（2026）黔2701行初15号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )


def _in_ten_days() -> str:
    return (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


def test_a_hearing_notice_is_registered_and_the_agency_and_office_are_told(case: Case, duyun_court: Caller) -> None:
    response = duyun_court.put(HEARINGS, {"case_number": case.number, "held_on": _in_ten_days(), "starts_at": "09:30"})

    assert response.status_code == 201, response.json()
    assert response.json()["created"] is True
    assert response.json()["hearing"]["state"] == "待指定出庭负责人"
    assert Hearing.objects.count() == 1
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"agency_duyun", "agency_duyun_2", "rol_duyun"} <= told


def test_the_same_hearing_pushed_twice_is_one_hearing_and_nobody_is_told_twice(case: Case, duyun_court: Caller) -> None:
    body = {"case_number": case.number, "held_on": _in_ten_days(), "courtroom": "第三法庭"}
    duyun_court.put(HEARINGS, body)
    sent = Notification.objects.count()

    second = duyun_court.put(HEARINGS, body)

    assert second.status_code == 200
    assert second.json()["created"] is False
    assert Hearing.objects.count() == 1
    assert Notification.objects.count() == sent


def test_a_hearing_in_the_past_is_refused_naming_the_date(case: Case, duyun_court: Caller) -> None:
    response = duyun_court.put(HEARINGS, {"case_number": case.number, "held_on": "2020-01-01"})

    assert response.status_code == 400
    assert "早于今天" in response.json()["error"]["fields"]["held_on"][0]
    assert not Hearing.objects.exists()


def test_a_hearing_of_a_case_the_system_does_not_see_is_404(case: Case, fuquan_court: Caller) -> None:
    response = fuquan_court.put(HEARINGS, {"case_number": case.number, "held_on": _in_ten_days()})

    assert response.status_code == 404
    assert not Hearing.objects.exists()


def test_an_agency_system_cannot_register_a_hearing(case: Case, duyun_agency: Caller) -> None:
    response = duyun_agency.put(HEARINGS, {"case_number": case.number, "held_on": _in_ten_days()})

    assert response.status_code == 403
    assert not Hearing.objects.exists()


def test_an_outcome_is_recorded_once_and_a_repeat_changes_nothing(case: Case, duyun_court: Caller) -> None:
    body = {"case_number": case.number, "concluded_on": "2026-06-30", "outcome": "撤销"}

    first = duyun_court.put(OUTCOMES, body)
    second = duyun_court.put(OUTCOMES, body)

    assert first.status_code == second.status_code == 200
    assert (first.json()["changed"], second.json()["changed"]) == (True, False)
    case.refresh_from_db()
    assert (case.concluded_on, case.outcome, case.version) == (datetime.date(2026, 6, 30), "revoked", 2)
    assert first.json()["case"]["outcome"] == "撤销"


def test_an_outcome_label_of_the_other_kind_of_case_is_refused(case: Case, duyun_court: Caller) -> None:
    response = duyun_court.put(OUTCOMES, {"case_number": case.number, "concluded_on": "2026-06-30", "outcome": "和解"})

    assert response.status_code == 400
    assert "未知的结案方式“和解”" in response.json()["error"]["fields"]["outcome"][0]
    case.refresh_from_db()
    assert case.outcome == ""


def test_an_outcome_with_a_stale_version_is_409(case: Case, duyun_court: Caller) -> None:
    duyun_court.put(OUTCOMES, {"case_number": case.number, "concluded_on": "2026-06-30", "outcome": "撤销"})

    response = duyun_court.put(
        OUTCOMES, {"case_number": case.number, "concluded_on": "2026-07-01", "outcome": "变更", "version": 1}
    )

    assert response.status_code == 409
    case.refresh_from_db()
    assert case.outcome == "revoked"


def test_an_agency_system_may_read_but_not_conclude_its_case(case: Case, duyun_agency: Caller) -> None:
    response = duyun_agency.put(OUTCOMES, {"case_number": case.number, "concluded_on": "2026-06-30", "outcome": "撤销"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.outcome == ""
