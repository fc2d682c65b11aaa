"""Saving through the pages goes through ``cases.workflow``: every change leaves an Event, and an edit made on a
stale copy of the case is refused instead of overwriting someone else's change."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.core.timeline import timeline
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def edit_data(world: World, case: Case, **overrides: str) -> dict[str, str]:
    data = {
        "number": case.number,
        "instance": "first",
        "court": str(world.orgs["都匀法院"].pk),
        "defendant": str(world.orgs["都匀自然资源局"].pk),
        "filed_on": "2021-03-01",
        "expected_version": str(case.version),
    }
    data.update(overrides)
    return data


def test_registering_a_case_writes_a_registered_event_by_the_user(world: World) -> None:
    logged_in("recon_pref").post(
        reverse("cases:create", args=["reconsideration"]),
        {"number": "黔南复〔2022〕50号", "defendant": world.orgs["州人社局"].pk, "received_on": "2022-04-01"},
    )

    case = Case.objects.get(number="黔南复〔2022〕50号")
    events = list(timeline(case))
    assert [(e.action, e.summary, e.who) for e in events] == [
        ("registered", "登记案件 黔南复〔2022〕50号", "recon_pref")
    ]
    assert case.reconsideration_body == world.orgs["州司法局"]


def test_an_edit_writes_an_event_with_each_change_old_and_new(world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初51号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )

    logged_in("court_duyun").post(
        reverse("cases:edit", args=[case.pk]),
        edit_data(world, case, plaintiffs="张三", hearing_on="2021-05-06", head_appeared="True"),
    )

    [event] = timeline(case)
    assert event.action == "updated"
    assert event.who == "court_duyun"
    assert event.changes == {
        "原告/申请人": ["（空）", "张三"],
        "开庭日期": ["（空）", "2021-05-06"],
        "负责人出庭": ["（空）", "是"],
    }


def test_an_edit_that_changes_nothing_writes_no_event(world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初52号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )

    response = logged_in("court_duyun").post(reverse("cases:edit", args=[case.pk]), edit_data(world, case))

    assert response.status_code == 302
    assert not timeline(case).exists()


def test_an_edit_on_a_stale_copy_is_refused_and_keeps_the_other_change(world: World) -> None:
    case = make_case(
        number="（2021）黔2701行初53号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
    )
    opened_version = str(case.version)
    # Someone else saves first.
    update_case(Case.objects.get(pk=case.pk), {"plaintiffs": "李四"}, by=world.users["rol_pref"])

    response = logged_in("court_duyun").post(
        reverse("cases:edit", args=[case.pk]),
        edit_data(world, case, plaintiffs="张三", expected_version=opened_version),
    )

    assert response.status_code == 409
    assert "此案件已被他人修改" in response.content.decode()
    case.refresh_from_db()
    assert case.plaintiffs == "李四"
    assert [e.who for e in timeline(case)] == ["rol_pref"]


def test_a_reconsideration_concluded_by_mediation_records_the_outcome_label(world: World) -> None:
    case = make_case(
        "reconsideration",
        number="黔南复〔2021〕54号",
        defendant=world.orgs["州人社局"],
        reconsideration_body=world.orgs["州司法局"],
        received_on=datetime.date(2021, 3, 1),
    )

    logged_in("recon_pref").post(
        reverse("cases:edit", args=[case.pk]),
        {
            "number": case.number,
            "defendant": world.orgs["州人社局"].pk,
            "received_on": "2021-03-01",
            "acceptance": "accepted",
            "concluded_on": "2021-04-20",
            "outcome": "mediated",
            "expected_version": "1",
        },
    )

    [event] = timeline(case)
    assert event.changes["结案方式"] == ["（空）", "调解"]
    assert event.changes["结案日期"] == ["（空）", "2021-04-20"]
    case.refresh_from_db()
    assert case.is_mediated


def test_an_edit_of_the_note_alone_rederives_nothing_and_an_edit_of_the_outcome_opens_the_review(
    world: World,
) -> None:
    """What follows an edit depends on what it changed (cases.signals ``fields``): the deadlines are derived from
    the case's dates and organisations, the loss review from its kind, instance and outcome. A 备注 changes neither,
    so an edit of it alone reads and writes neither; a loss recorded opens the review and its 通报 deadline."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fuyuan.accountability.models import LossReview

    case = make_case(
        number="（2021）黔2701行初52号",
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=datetime.date(2021, 3, 1),
    )
    user = world.users["rol_pref"]

    with CaptureQueriesContext(connection) as note_edit:
        case = update_case(case, {"note": "已约谈被告"}, by=user)

    # The figures' counts read the case with its review joined (stats.counts); nothing reads the reviews themselves.
    touched = " ".join(q["sql"] for q in note_edit.captured_queries)
    assert "deadlines_deadline" not in touched
    assert 'FROM "accountability_lossreview"' not in touched and 'INTO "accountability_lossreview"' not in touched
    assert case.note == "已约谈被告"

    case = update_case(case, {"concluded_on": datetime.date(2021, 6, 1), "outcome": "revoked"}, by=user)

    assert LossReview.objects.filter(case=case).exists()
    assert case.deadlines.filter(rule_id="litigation.first_instance", met_on=datetime.date(2021, 6, 1)).exists()
