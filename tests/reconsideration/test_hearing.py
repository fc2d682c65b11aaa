"""听证 (行政复议法 (2023) 第50-51条): notice at least 5 working days ahead; the respondent's head attends, checked
against its heads roster valid on the day, like court appearance."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fuyuan.core.models import Event, HeadPost
from fuyuan.deadlines.models import DeadlineState
from fuyuan.reconsideration.workflow import (
    ReconsiderationError,
    designate_hearing_head,
    record_hearing,
    schedule_hearing,
    send_hearing_notice,
)
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, deadline, events_of

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def test_a_hearing_with_the_respondents_head_present_is_recorded(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 9, 30))
    hearing = schedule_hearing(app, held_at=at(D(2026, 10, 20)), place="州司法局听证室", matters="处罚程序", by=staff)
    # Counted back from 20 October: 19, 16, 15, 14, 13 October.
    assert deadline(app, "reconsideration.hearing_notice").due_on == D(2026, 10, 13)
    clock(D(2026, 10, 9))
    send_hearing_notice(hearing, by=staff)
    designate_hearing_head(hearing, name="王局长", by=world.users["agency_duyun"])
    assert deadline(app, "reconsideration.hearing_notice").state == DeadlineState.MET

    clock(D(2026, 10, 20))
    hearing = record_hearing(hearing, head_attended=True, record="双方陈述意见", by=staff)

    assert (hearing.head_attended, hearing.head_name, hearing.head_post) == (True, "王局长", HeadPost.PRINCIPAL)
    assert events_of(app)[-4:] == [
        "hearing_scheduled",
        "hearing_notice_sent",
        "hearing_head_designated",
        "hearing_recorded",
    ]


def test_a_person_not_on_the_roster_is_refused_as_the_head_with_the_reason(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    hearing = schedule_hearing(app, held_at=at(D(2026, 10, 20)), place="听证室", by=staff)
    clock(D(2026, 10, 20))
    before = Event.objects.count()

    with pytest.raises(
        ReconsiderationError, match=r"“李科员”不在都匀市自然资源局于2026-10-20有效的负责人名册中.*王局长"
    ):
        record_hearing(hearing, head_attended=True, head_name="李科员", by=staff)

    assert Event.objects.count() == before
    hearing.refresh_from_db()
    assert hearing.recorded_at is None


def test_a_head_who_cannot_attend_gives_the_reason_and_sends_a_delegate(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    hearing = schedule_hearing(app, held_at=at(D(2026, 10, 20)), place="听证室", by=staff)
    clock(D(2026, 10, 20))
    with pytest.raises(ReconsiderationError, match="说明理由并委托"):
        record_hearing(hearing, head_attended=False, by=staff)

    hearing = record_hearing(
        hearing, head_attended=False, absence_reason="参加省政府会议", delegate_name="李科员", by=staff
    )

    assert (hearing.head_attended, hearing.delegate_name) == (False, "李科员")


def test_a_hearing_too_soon_for_five_working_days_notice_is_refused(world: World, clock) -> None:
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 10, 14))

    with pytest.raises(ReconsiderationError, match="2026-10-13"):
        schedule_hearing(app, held_at=at(D(2026, 10, 20)), place="听证室", by=world.users["recon_pref"])
