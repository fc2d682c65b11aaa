"""The ordinary path (行政复议法 (2023) 第48、62、64、70、75、79条): accepted → copy → reply → decision 撤销 → service →
publication, each period on the calendar."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.models import User
from fuyuan.deadlines.models import DeadlineState
from fuyuan.reconsideration.choices import Stage
from fuyuan.reconsideration.workflow import (
    ReconsiderationError,
    decide,
    publish,
    record_reply,
    record_service,
    send_copy_to_respondent,
)
from tests.factories import World
from tests.reconsideration.conftest import ID_NUMBER, PHONE, D, accepted, deadline, events_of, fresh

pytestmark = pytest.mark.django_db


def test_an_accepted_case_replied_to_in_time_and_revoked_is_concluded_as_a_correction(
    world: World, head: User, clock
) -> None:
    staff, liaison = world.users["recon_pref"], world.users["agency_duyun"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    # 第48条: the copy within 7 working days of acceptance (30 Sep, 8, 9, 10, 12, 13, 14 Oct); 第62条: the decision
    # within 60 days, ending on Saturday 28 November: Monday the 30th.
    assert deadline(app, "reconsideration.copy_to_respondent").due_on == D(2026, 10, 14)
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 11, 30)

    clock(D(2026, 9, 30))
    send_copy_to_respondent(app, by=staff)
    # 第48条: the reply within 10 working days of receiving the copy: 8, 9, 10, 12 … 20 October.
    assert deadline(app, "reconsideration.reply").due_on == D(2026, 10, 20)
    assert deadline(app, "reconsideration.copy_to_respondent").state == DeadlineState.MET

    clock(D(2026, 10, 16))
    app = record_reply(app, text="处罚决定事实清楚、证据确凿", by=liaison)
    assert not app.reply_late
    assert deadline(app, "reconsideration.reply").state == DeadlineState.MET

    clock(D(2026, 11, 2))
    app = decide(
        app, outcome=ReconsiderationOutcome.REVOKED, facts="经审理查明的事实", grounds="主要事实不清（第64条）", by=head
    )

    case = fresh(app).case
    assert (case.outcome, case.concluded_on) == (ReconsiderationOutcome.REVOKED, D(2026, 11, 2))
    assert case.is_concluded and case.is_correction and case.status_label == "已结案"
    assert deadline(app, "reconsideration.decision").state == DeadlineState.MET
    assert app.stage == Stage.DECIDED and app.decided_by == head

    clock(D(2026, 11, 4))
    app = record_service(app, on=D(2026, 11, 3), by=staff)
    app = publish(app, text=f"申请人张三，身份证号{ID_NUMBER}，电话{PHONE}，住都匀市文峰路1号。决定撤销。", by=staff)

    assert app.stage == Stage.SERVED and app.published_on == D(2026, 11, 4)
    assert app.published_text == "申请人张某，身份证号×××，电话×××，住×××。决定撤销。"
    assert events_of(app) == [
        "received", "accepted", "copy_sent", "reply_recorded", "decided", "served", "published",
    ]  # fmt: skip


def test_a_late_reply_is_recorded_and_flagged_as_no_evidence(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 9, 30))
    send_copy_to_respondent(app, by=world.users["recon_pref"])

    clock(D(2026, 10, 21))
    app = record_reply(app, text="迟到的答复", by=world.users["agency_duyun"])

    assert app.reply_late
    assert deadline(app, "reconsideration.reply").met_late
    from fuyuan.core.timeline import timeline

    assert "第70条" in list(timeline(app))[-1].summary


def test_only_the_respondents_liaison_or_the_body_records_the_reply(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    send_copy_to_respondent(app, by=world.users["recon_pref"])

    with pytest.raises(PermissionDenied):
        record_reply(app, text="答复", by=world.users["agency_fuquan"])


def test_only_the_bodys_head_decides(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)

    with pytest.raises(PermissionDenied, match="负责人"):
        decide(
            app,
            outcome=ReconsiderationOutcome.UPHELD,
            facts="经审理查明的事实",
            grounds="合法",
            by=world.users["recon_pref"],
        )


def test_a_decision_by_mediation_must_go_through_the_mediation(world: World, head: User, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)

    with pytest.raises(ReconsiderationError, match="调解书"):
        decide(app, outcome=ReconsiderationOutcome.MEDIATED, facts="经审理查明的事实", grounds="调解", by=head)
