"""中止 (行政复议法 (2023) 第39条) does not consume the decision period: when the case resumes, the decision's last
day, its deadline and its obligation move later by the days suspended (the bodies' practice; 第39条 gives the
reasons and the resumption, not the counting)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.models import User
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import DeadlineState
from fuyuan.deadlines.workflow import recompute_for_calendar_year
from fuyuan.obligations.models import Obligation
from fuyuan.reconsideration.workflow import approve_extension, decision_due, request_extension, resume, suspend
from tests.factories import World
from tests.reconsideration.conftest import D, accepted, deadline, fresh

pytestmark = pytest.mark.django_db


def test_the_days_suspended_move_the_decision_period_when_the_case_resumes(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 11, 30)
    clock(D(2026, 10, 12))
    suspend(app, reason="需等待另案（相关行政诉讼）的审理结果", by=staff)
    # While suspended the period rests: its deadline is not chased (as the review rests while a 补正 is awaited).
    resting = deadline(app, "reconsideration.decision")
    assert resting.state == DeadlineState.CANCELLED
    assert Obligation.objects.get(kind="deadlines.deadline", subject_id=resting.pk).state == "cancelled"
    clock(D(2026, 10, 20))
    assert decision_due(fresh(app)) == D(2026, 11, 30)  # not yet moved: the suspension has not ended

    clock(D(2026, 10, 22))
    resume(fresh(app), by=staff)

    # Suspended 12 → 22 October, 10 days: Monday 30 November becomes Thursday 10 December.
    decision = deadline(app, "reconsideration.decision")
    assert decision.due_on == D(2026, 12, 10) == decision_due(fresh(app))
    assert decision.state == DeadlineState.OPEN
    obligation = Obligation.objects.get(kind="deadlines.deadline", subject_id=decision.pk)
    assert (obligation.due_on, obligation.state) == (D(2026, 12, 10), "open")
    event = list(timeline(fresh(app)))[-1]
    assert event.action == "resumed"
    assert "中止期间不计入审理期限，复议决定期限顺延至 2026-12-10" in event.summary
    assert event.changes == {"复议决定期限": ["2026-11-30", "2026-12-10"]}


def test_two_suspensions_and_an_extension_add_up(world: World, head: User, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    for start, end in ((D(2026, 10, 12), D(2026, 10, 22)), (D(2026, 11, 2), D(2026, 11, 7))):
        clock(start)
        suspend(fresh(app), reason="申请人丧失参加行政复议的行为能力，尚未确定法定代理人", by=staff)
        clock(end)
        resume(fresh(app), by=staff)
    # 10 + 5 days: Tuesday 15 December.
    assert deadline(app, "reconsideration.decision").due_on == D(2026, 12, 15)
    request_extension(fresh(app), reason="案情复杂", days=30, by=staff)

    approve_extension(fresh(app), by=head)

    # And 30 more: Thursday 14 January 2027.
    assert deadline(app, "reconsideration.decision").due_on == D(2027, 1, 14) == decision_due(fresh(app))


def test_a_change_of_the_calendar_keeps_the_days_added(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 10, 12))
    suspend(app, reason="等待有权机关作出解释", by=staff)
    clock(D(2026, 10, 22))
    resume(fresh(app), by=staff)

    recompute_for_calendar_year(2026, by=None)

    assert deadline(app, "reconsideration.decision").due_on == D(2026, 12, 10)


def test_the_file_page_says_the_suspended_days_are_not_counted(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = accepted(world)
    clock(D(2026, 10, 12))
    suspend(app, reason="等待另案结果", by=staff)
    client = Client()
    client.force_login(staff)
    paused = client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()
    assert "复议决定期限：中止期间暂停计算" in paused
    clock(D(2026, 10, 22))
    resume(fresh(app), by=staff)
    client.force_login(staff)

    page = client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()

    assert "2026-10-22 恢复审理（中止期间不计入审理期限）" in page
    assert "复议决定期限：2026-12-10" in page
    assert "<td>复议决定期限（中止10日不计）</td>" in page
