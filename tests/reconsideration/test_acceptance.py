"""Receipt and the acceptance review (行政复议法 (2023) 第20、30、31条): deemed acceptance on the sixth working day,
补正 asked once and the 10 working days of silence, 不予受理 within the period, the applicant's own corrections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.cases.choices import Acceptance, ReconsiderationOutcome
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import DeadlineState
from fuyuan.notifications.sweep import run_sweep
from fuyuan.reconsideration.choices import Channel, Stage
from fuyuan.reconsideration.queries import for_follow_up
from fuyuan.reconsideration.sweep import sweep_applications
from fuyuan.reconsideration.workflow import (
    ONLINE_APPLICANT,
    ReconsiderationError,
    accept,
    amend_application,
    receive_application,
    receive_correction,
    reject,
    request_correction,
    start_examination,
)
from tests.factories import World
from tests.reconsideration.conftest import D, deadline, events_of, fresh, particulars, receive

pytestmark = pytest.mark.django_db


def test_an_application_registers_its_case_as_pending_on_the_day_of_receipt(world: World, clock) -> None:
    clock(D(2026, 9, 29))

    receipt = receive(world)

    app = receipt.application
    assert app.receipt_number == "黔南州复申〔2026〕000001号"
    assert (app.case.kind, app.case.number, app.case.acceptance) == ("reconsideration", app.receipt_number, "pending")
    assert (app.case.received_on, app.case.reconsideration_body, app.case.defendant) == (
        D(2026, 9, 29), world.orgs["州司法局"], world.orgs["都匀自然资源局"],
    )  # fmt: skip
    # 第30条: five working days, across 国庆 (30 Sep, 8, 9, Saturday 10, 12 Oct).
    assert deadline(app, "reconsideration.acceptance").due_on == D(2026, 10, 12)
    assert for_follow_up(app.receipt_number, receipt.follow_code) == app
    assert for_follow_up(app.receipt_number, "00000000") is None
    assert events_of(app) == ["received"]


def test_an_application_not_refused_is_not_deemed_accepted_on_the_fifth_working_day(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application

    clock(D(2026, 10, 12))
    report = sweep_applications()

    assert report.deemed_accepted == 0
    assert fresh(app).stage == Stage.RECEIVED and fresh(app).case.acceptance == Acceptance.PENDING


def test_an_application_not_refused_in_five_working_days_is_deemed_accepted_on_the_sixth(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    start_examination(app, by=world.users["recon_pref"])

    clock(D(2026, 10, 13))
    report = run_sweep()

    app = fresh(app)
    assert report.reconsideration.deemed_accepted == 1
    assert (app.stage, app.deemed_accepted) == (Stage.ACCEPTED, True)
    # 第30条第3款: accepted from the day the review period ended.
    assert (app.case.acceptance, app.case.accepted_on) == (Acceptance.ACCEPTED, D(2026, 10, 12))
    assert deadline(app, "reconsideration.acceptance").state == DeadlineState.MET
    assert deadline(app, "reconsideration.decision").start_on == D(2026, 10, 12)
    assert deadline(app, "reconsideration.copy_to_respondent").state == DeadlineState.OPEN
    said = [e.summary for e in timeline(app)]
    assert any("视为受理" in s and "第30条第3款" in s for s in said)
    assert sweep_applications().deemed_accepted == 0  # once


def test_a_correction_not_supplied_in_ten_working_days_withdraws_the_application(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    request_correction(app, items=["申请人身份证明复印件", "行政处罚决定书复印件"], by=world.users["recon_pref"])
    # 10 working days across 国庆: 30 Sep, 8, 9, Saturday 10, 12, 13, 14, 15, 16, 19 Oct.
    assert deadline(app, "reconsideration.correction_reply").due_on == D(2026, 10, 19)
    assert deadline(app, "reconsideration.acceptance").state == DeadlineState.CANCELLED  # paused

    clock(D(2026, 10, 19))
    assert sweep_applications().withdrawn == 0
    clock(D(2026, 10, 20))
    assert sweep_applications().withdrawn == 1

    app = fresh(app)
    assert app.stage == Stage.WITHDRAWN
    assert (app.case.outcome, app.case.concluded_on) == (ReconsiderationOutcome.WITHDRAWN, D(2026, 10, 20))
    assert app.case.acceptance == Acceptance.PENDING
    assert events_of(app)[-1] == "withdrawn_for_silence"


def test_a_correction_is_asked_once_listing_everything(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    with pytest.raises(ReconsiderationError, match="逐项列明"):
        request_correction(app, items=["  "], by=world.users["recon_pref"])
    request_correction(app, items=["身份证明"], by=world.users["recon_pref"])
    clock(D(2026, 9, 30))
    receive_correction(app, reply="已补交", by=world.users["recon_pref"])

    with pytest.raises(ReconsiderationError, match="只能发出一次"):
        request_correction(app, items=["另一项"], by=world.users["recon_pref"])


def test_the_correction_restarts_the_five_working_days_of_the_review(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    receipt = receive(world)
    request_correction(receipt.application, items=["身份证明"], by=world.users["recon_pref"])

    clock(D(2026, 10, 9))
    app = receive_correction(receipt.application, reply="补交身份证明", by=ONLINE_APPLICANT, code=receipt.follow_code)

    assert app.stage == Stage.EXAMINING
    # 第31条第3款: the review runs again from 9 October: Saturday 10, 12, 13, 14, 15 October.
    assert deadline(app, "reconsideration.acceptance").due_on == D(2026, 10, 15)
    assert deadline(app, "reconsideration.acceptance").state == DeadlineState.OPEN
    assert deadline(app, "reconsideration.correction_reply").state == DeadlineState.MET
    clock(D(2026, 10, 15))
    assert sweep_applications().deemed_accepted == 0
    clock(D(2026, 10, 16))
    assert sweep_applications().deemed_accepted == 1


def test_a_correction_with_a_wrong_code_is_refused(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    request_correction(app, items=["身份证明"], by=world.users["recon_pref"])

    with pytest.raises(PermissionDenied):
        receive_correction(app, reply="x", by=ONLINE_APPLICANT, code="12345678")


def test_a_rejection_states_its_reasons_and_names_the_competent_body(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    with pytest.raises(ReconsiderationError, match="理由"):
        reject(app, grounds=["out_of_scope"], reason=" ", by=world.users["recon_pref"])

    app = reject(
        app,
        grounds=["not_competent"],
        reason="不属于本机关管辖",
        competent_body=world.orgs["都匀司法局"],
        by=world.users["recon_pref"],
    )

    assert app.stage == Stage.REJECTED
    assert app.case.acceptance == Acceptance.REJECTED and app.case.accepted_on == D(2026, 9, 29)
    assert "都匀市司法局" in app.case.rejection_reason
    assert deadline(app, "reconsideration.acceptance").state == DeadlineState.MET


def test_a_rejection_after_the_review_period_is_refused_as_the_application_is_accepted_by_law(
    world: World, clock
) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application
    clock(D(2026, 10, 13))

    with pytest.raises(ReconsiderationError, match="视为受理"):
        reject(app, grounds=["out_of_time"], reason="超过申请期限", by=world.users["recon_pref"])


def test_an_application_after_sixty_days_is_registered_and_flagged(world: World, clock) -> None:
    clock(D(2026, 9, 29))

    app = receive(world, known_on=D(2026, 7, 1)).application

    assert app.is_late_application and app.apply_due_on == D(2026, 8, 31)
    said = [e.summary for e in timeline(app)]
    assert "第20条第1款" in said[0]


def test_the_applicant_amends_an_online_application_until_staff_start_examining_it(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    receipt = receive_application(
        particulars(),
        body=world.orgs["州司法局"],
        respondent=world.orgs["都匀自然资源局"],
        channel=Channel.ONLINE,
        by=ONLINE_APPLICANT,
    )

    app = amend_application(receipt.application, {"request": "确认该处罚决定违法"}, code=receipt.follow_code)
    assert app.request == "确认该处罚决定违法" and app.case.request == "确认该处罚决定违法"
    start_examination(app, by=world.users["recon_pref"])

    with pytest.raises(ReconsiderationError, match="已开始审查"):
        amend_application(app, {"request": "再改"}, code=receipt.follow_code)


def test_only_the_body_staff_accept(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = receive(world).application

    with pytest.raises(PermissionDenied):
        accept(app, by=world.users["agency_duyun"])


def test_the_applicant_following_the_file_sees_its_steps_in_plain_words(world: World, clock) -> None:
    from fuyuan.reconsideration.queries import public_progress

    clock(D(2026, 9, 29))
    app = receive(world).application
    request_correction(app, items=["身份证明"], by=world.users["recon_pref"])

    assert public_progress(app) == [
        (D(2026, 9, 29), "已收到行政复议申请"),
        (D(2026, 9, 29), "行政复议机构通知补正材料"),
    ]
