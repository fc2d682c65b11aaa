"""The answer is reminded before its date (临期) and chased once after it (逾期), with the 依法治办 copied; an answered
notice, or one whose suit has ended, is not chased."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.consultation.choices import Answer
from fuyuan.consultation.workflow import answer_notice
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Channel, Notification
from fuyuan.obligations.workflow import sweep
from tests.consultation.conftest import D, notice_on
from tests.factories import World

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def subjects(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, channel=Channel.IN_APP)
        .order_by("id")
        .values_list("subject", flat=True)
    )


def test_an_unanswered_notice_is_reminded_then_chased_once(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    sweep(at(D(2026, 12, 14)), kinds=["consultation.answer"])
    assert subjects("agency_duyun")[-1] == "【败诉风险提示】答复临期"
    report = sweep(at(D(2026, 12, 17)), kinds=["consultation.answer"])
    assert report.of("consultation.answer") == (0, 1, 0)
    assert subjects("rol_duyun")[-1] == "【败诉风险提示】答复逾期"
    sweep(at(D(2026, 12, 18)), kinds=["consultation.answer"])
    assert subjects("agency_duyun").count("【败诉风险提示】答复逾期") == 1
    assert [e.action for e in timeline(case)][-2:] == ["risk_notice_warned", "risk_notice_overdue"]
    assert notice.answer_due_on == D(2026, 12, 16)


def test_an_answered_notice_or_an_ended_suit_is_not_chased(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    answer_notice(notice, answer=Answer.CORRECT, text="纠正", by=world.users["agency_duyun"])
    other = notice_on(case, world)
    update_case(
        case, {"concluded_on": D(2026, 12, 2), "outcome": LitigationOutcome.WITHDRAWN}, by=world.users["court_duyun"]
    )
    report = sweep(at(D(2026, 12, 17)), kinds=["consultation.answer"])
    assert report.of("consultation.answer") == (0, 0, 0)
    assert "【败诉风险提示】答复逾期" not in subjects("agency_duyun")
    assert other.pk != notice.pk


def test_the_answer_period_is_a_local_setting_in_working_days(world: World, case: Case, settings) -> None:  # type: ignore[no-untyped-def]
    # Sent on Wednesday 2 December 2026: 5 working days end on Wednesday 9 December.
    settings.FUYUAN_CONSULTATION_ANSWER_DAYS = 5
    assert notice_on(case, world).answer_due_on == D(2026, 12, 9)


def test_the_answer_period_crosses_national_day_on_working_days() -> None:
    from fuyuan.consultation.rules import answer_due

    # Sent on Monday 28 September 2026: 29 and 30 September count (2), 1–7 October are holidays, 8, 9 and the 调休
    # Saturday 10 October count (5), then 12–16 October: the tenth working day is Friday 16 October.
    assert answer_due(D(2026, 9, 28)) == D(2026, 10, 16)
