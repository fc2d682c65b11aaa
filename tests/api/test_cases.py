"""Pushing and reading cases: idempotent by 案号, optimistic locking, Chinese field errors, nothing half-written."""

from __future__ import annotations

import datetime

from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from tests.api.conftest import Caller, litigation
from tests.factories import World, make_case

CASES = "/api/v1/cases/"


def test_a_new_case_is_registered_and_reported_as_created(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation())

    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    assert body["case"]["number"] == "（2026）黔2701行初15号"
    assert body["case"]["forum"] == "都匀市人民法院"
    assert body["case"]["instance"] == "一审"
    assert body["case"]["cause"] == "行政处罚"
    assert body["case"]["region"] == "都匀市"
    case = Case.objects.get(number="（2026）黔2701行初15号")
    assert case.filed_on == datetime.date(2026, 3, 5)
    assert Event.objects.filter(object_id=case.pk, action="registered").count() == 1


def test_the_same_case_pushed_twice_is_one_case_and_the_second_push_reports_not_created(duyun_court: Caller) -> None:
    first = duyun_court.put(CASES, litigation())
    second = duyun_court.put(CASES, litigation())

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["created"] is False
    assert second.json()["changed"] is False
    assert Case.objects.filter(number="（2026）黔2701行初15号").count() == 1
    assert second.json()["case"]["version"] == first.json()["case"]["version"]


def test_a_second_push_with_changes_updates_only_the_fields_sent(duyun_court: Caller) -> None:
    duyun_court.put(CASES, litigation())

    response = duyun_court.put(CASES, {"number": "（2026）黔2701行初15号", "kind": "litigation", "domain": "林业"})

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["changed"]) == (False, True)
    assert body["case"]["domain"] == "林业"
    assert body["case"]["cause"] == "行政处罚"
    assert body["case"]["version"] == 2


def test_a_stale_version_is_refused_with_409_and_the_case_is_unchanged(duyun_court: Caller) -> None:
    duyun_court.put(CASES, litigation())
    duyun_court.put(CASES, {**litigation(), "domain": "林业", "version": 1})

    response = duyun_court.put(CASES, {**litigation(), "domain": "交通", "version": 1})

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert "已被他人修改" in error["message"]
    assert error["current_version"] == 2
    assert error["fields"] == {"version": ["版本已过期，当前版本为 2"]}
    assert error["message_en"]
    assert Case.objects.get().domain == "forestry"


def test_dates_in_the_ledger_formats_are_accepted(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation(filed_on="2026年3月5日"))

    assert response.status_code == 201
    assert response.json()["case"]["filed_on"] == "2026-03-05"


def test_an_unknown_outcome_label_is_refused_naming_the_field_and_the_allowed_labels(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation(concluded_on="2026-06-01", outcome="维持"))

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "outcome" in error["fields"]
    assert "驳回诉讼请求" in error["fields"]["outcome"][0]
    assert not Case.objects.exists()


def test_a_missing_required_field_and_an_impossible_date_are_both_named(duyun_court: Caller) -> None:
    body = litigation(filed_on="2026-02-30")
    del body["instance"]

    response = duyun_court.put(CASES, body)

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "日期不存在" in fields["filed_on"][0]
    assert not Case.objects.exists()


def test_a_new_case_without_a_filing_date_is_refused(duyun_court: Caller) -> None:
    body = litigation()
    del body["filed_on"]

    response = duyun_court.put(CASES, body)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"filed_on": ["请填写立案日期"]}
    assert not Case.objects.exists()


def test_a_conclusion_before_the_filing_date_is_refused(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation(concluded_on="2026-01-01", outcome="撤销"))

    assert response.status_code == 400
    assert "早于立案日期" in response.json()["error"]["fields"]["concluded_on"][0]


def test_an_unknown_defendant_is_refused_and_no_organisation_is_created(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, litigation(defendant="不存在的局"))

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["defendant"] == ["未登记的被告单位“不存在的局”"]
    assert not Case.objects.exists()


def test_a_body_that_is_not_json_is_a_400_with_the_error_body(duyun_court: Caller) -> None:
    response = duyun_court.put(CASES, b"{not json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"


def test_a_case_is_read_by_number_and_by_id_with_personal_numbers_masked(world: World, duyun_court: Caller) -> None:
    case = make_case(
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        plaintiffs="李四（身份证号522701199001011234，电话13912345678）",
    )

    listed = duyun_court.get(CASES, {"number": case.number}).json()
    one = duyun_court.get(f"{CASES}{case.pk}/").json()

    assert listed["count"] == 1
    assert listed["results"][0]["id"] == case.pk
    assert one["plaintiffs"] == "李四（身份证号5227**********1234，电话139****5678）"


def test_a_reconsideration_body_system_registers_its_own_reconsideration(world: World) -> None:
    from tests.api.conftest import make_caller

    body_system = make_caller(world, "州司法局复议系统", "reconsideration_body", world.orgs["州司法局"])

    response = body_system.put(
        CASES,
        {
            "number": "黔南复〔2026〕7号",
            "kind": "reconsideration",
            "defendant": "都匀市自然资源局",
            "received_on": "2026/4/1",
            "concluded_on": "2026-05-20",
            "outcome": "和解",
        },
    )

    assert response.status_code == 201, response.json()
    case = Case.objects.get(number="黔南复〔2026〕7号")
    assert (case.reconsideration_body, case.acceptance, case.outcome) == (world.orgs["州司法局"], "accepted", "settled")
