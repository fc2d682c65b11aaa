"""What a joint meeting must show (issue 15): a meeting decides two tasks; one is reported and confirmed done, the
other is chased overdue exactly once by the sweep, however often the sweep runs."""

from __future__ import annotations

from fuyuan.core.timeline import timeline
from fuyuan.meetings.models import DecisionState
from fuyuan.meetings.workflow import TASK, confirm_decision, report_decision
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.sweep import run_sweep
from fuyuan.obligations.models import Obligation, ObligationState
from tests.meetings.conftest import Council, D, at


def in_app(user, subject: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP, subject=subject).values_list(
            "body", flat=True
        )
    )


def test_a_meeting_decides_two_tasks_one_is_confirmed_done_and_the_other_chased_overdue_once(
    council: Council,
) -> None:
    u = council.world.users
    first, second = council.meeting.decisions.order_by("position")

    # given: each owner was told at once, and each task is a due obligation
    assert len(in_app(u["agency_duyun"], "【府院联席会议】议定事项请按期办理")) == 1
    assert len(in_app(u["court_duyun"], "【府院联席会议】议定事项请按期办理")) == 1
    assert Obligation.objects.filter(kind=TASK, state=ObligationState.OPEN).count() == 2

    # when: the 自然资源局 reports its task before the date and the office confirms it
    report_decision(first, text="已完成全局执法案卷自查，修订征收补偿工作规程", by=u["agency_duyun"],
                    now=at(D(2026, 12, 8)))  # fmt: skip
    assert in_app(u["rol_duyun"], "【府院联席会议】议定事项办理情况待确认")
    confirm_decision(first, by=u["rol_duyun"], now=at(D(2026, 12, 9)))

    # and the sweep runs twice after the court's date has passed
    first_run = run_sweep(at(D(2026, 12, 16)))
    second_run = run_sweep(at(D(2026, 12, 17)))

    # then: the first task is done, nothing chased for it
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == DecisionState.DONE
    assert Obligation.objects.get(kind=TASK, subject_id=first.pk).state == ObligationState.MET
    # the second was chased once: one message to the court's liaison and one to the office, one event
    assert (first_run.meetings.overdue, second_run.meetings.overdue) == (1, 0)
    chase = "【府院联席会议】议定事项逾期"
    assert in_app(u["court_duyun"], chase) == [
        "2026年度府院联席会议第2项议定事项（向市政府通报征地拆迁类案件审理中发现的共性问题）已于 2026-12-15 到期，"
        "已逾期1天，都匀市人民法院尚未报告办结。"
    ]
    assert len(in_app(u["rol_duyun"], chase)) == 1
    assert in_app(u["agency_duyun"], chase) == []
    assert Notification.objects.filter(subject=chase, channel=Channel.IN_APP).count() == 2
    actions = [e.action for e in timeline(council.meeting)]
    assert actions.count("decision_overdue") == 1
    assert second.state == DecisionState.ASSIGNED and second.is_overdue(D(2026, 12, 17))
    assert "decision_done" in actions


def test_a_task_due_soon_is_reminded_to_its_owner_once_and_not_to_the_office(council: Council) -> None:
    u = council.world.users
    warn = "【府院联席会议】议定事项临期"
    run_sweep(at(D(2026, 12, 8)))
    run_sweep(at(D(2026, 12, 9)))
    assert len(in_app(u["agency_duyun"], warn)) == 1
    assert in_app(u["rol_duyun"], warn) == []


def test_a_report_sent_back_is_open_again_and_chased_once_its_date_has_passed(council: Council) -> None:
    from fuyuan.meetings.workflow import return_decision

    u = council.world.users
    first = council.meeting.decisions.get(position=1)
    report_decision(first, text="已自查", by=u["agency_duyun"], now=at(D(2026, 12, 8)))
    return_decision(first, note="请附自查报告", by=u["rol_duyun"], now=at(D(2026, 12, 9)))
    first.refresh_from_db()
    assert (first.state, first.return_note) == (DecisionState.ASSIGNED, "请附自查报告")
    assert in_app(u["agency_duyun"], "【府院联席会议】议定事项办理情况被退回") == [
        "2026年度府院联席会议第1项议定事项的办理情况被退回：请附自查报告"
    ]
    assert run_sweep(at(D(2026, 12, 11))).meetings.overdue == 1
    assert run_sweep(at(D(2026, 12, 12))).meetings.overdue == 0


def test_the_outbox_names_each_message_of_a_meeting_by_what_it_is_about(council: Council) -> None:
    from fuyuan.notifications.queries import category_of

    run_sweep(at(D(2026, 12, 8)))
    run_sweep(at(D(2026, 12, 16)))
    keys = set(Notification.objects.values_list("dedup_key", flat=True))
    assert {category_of(key) for key in keys} == {"联席会议·议定事项交办", "议定事项临期", "议定事项逾期"}
