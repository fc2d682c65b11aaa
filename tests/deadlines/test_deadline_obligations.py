"""Case deadlines on the one mechanism for due things (issue 13 item 15): each open deadline keeps a due obligation
(``deadlines.workflow.keep_obligations``), reminded once and chased once by the obligation step of the sweep, and
kept in line when the deadline is met or its date moves."""

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import CalendarDay, CalendarYear, Event
from fuyuan.core.signals import calendar_changed
from fuyuan.deadlines import reminders
from fuyuan.deadlines.models import DeadlineState
from fuyuan.deadlines.reminders import remind_deadlines
from fuyuan.deadlines.workflow import OBLIGATION, sync_case_deadlines
from fuyuan.notifications.models import Notification
from fuyuan.notifications.sweep import run_sweep
from fuyuan.obligations.models import Obligation, ObligationState
from tests.deadlines.test_calendar_changes import defence, served_case
from tests.factories import World

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def obligation(case: Case) -> Obligation:
    return Obligation.objects.get(kind=OBLIGATION, subject_id=defence(case).pk)


def inbox(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, channel="in_app")
        .order_by("pk")
        .values_list("subject", flat=True)
    )


def test_a_case_deadline_is_reminded_once_and_chased_once_through_its_obligation(world: World) -> None:
    # given a defence due 17 March 2026, whose obligation follows the deadline
    case = served_case(world, D(2026, 3, 2))
    ob = obligation(case)
    assert (ob.due_on, ob.warn_on, ob.rule_id, ob.owner_organisation_id) == (
        D(2026, 3, 17), D(2026, 3, 14), "litigation.defence", world.orgs["都匀自然资源局"].pk
    )  # fmt: skip

    # when the sweep runs twice at the same moment on its warn day, then twice the day after its due date
    warned = [run_sweep(at(D(2026, 3, 14))).deadlines.warned for _ in range(2)]
    chased = [run_sweep(at(D(2026, 3, 18))).deadlines.overdue for _ in range(2)]

    # then the owner is told once of each, the deadline is 逾期 with one event, and nothing is left to send
    assert (warned, chased) == ([1, 0], [1, 0])
    assert inbox("agency_duyun") == [
        "【临期提醒】（2026）黔2701行初7号 被告提交答辩状及证据",
        "【逾期提醒】（2026）黔2701行初7号 被告提交答辩状及证据",
    ]
    assert defence(case).state == DeadlineState.OVERDUE
    assert Event.objects.filter(action="deadline_overdue").count() == 1
    ob.refresh_from_db()
    assert ob.warned_at == at(D(2026, 3, 14)) and ob.chased_at == at(D(2026, 3, 18)) and ob.next_check_at is None


def test_a_deadline_met_before_its_date_is_never_chased(world: World) -> None:
    case = served_case(world, D(2026, 3, 2))
    run_sweep(at(D(2026, 3, 14)))

    # the defence is submitted on 16 March, a day before it is due
    Case.objects.filter(pk=case.pk).update(defence_submitted_on=D(2026, 3, 16))
    sync_case_deadlines([case.pk], today=D(2026, 3, 16))

    report = run_sweep(at(D(2026, 3, 18)))

    assert report.deadlines.overdue == 0
    assert defence(case).state == DeadlineState.MET
    assert obligation(case).state == ObligationState.MET and obligation(case).next_check_at is None
    assert inbox("agency_duyun") == ["【临期提醒】（2026）黔2701行初7号 被告提交答辩状及证据"]
    assert not Event.objects.filter(action="deadline_overdue").exists()


def test_a_deadline_moved_by_a_calendar_change_is_reminded_again_for_its_new_date(world: World) -> None:
    # given a defence served on 27 December 2026, due Monday 11 January 2027 on weekends only, reminded on 8 January
    case = served_case(world, D(2026, 12, 27))
    assert defence(case).due_on == D(2027, 1, 11)
    assert remind_deadlines(at(D(2027, 1, 8))).warned == 1

    # when the 2027 放假安排 is entered with 11 January a holiday: the defence is now due on Tuesday 12 January
    year = CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(calendar_year=year, day=D(2027, 1, 11))
    calendar_changed.send(sender=CalendarYear, year=2027, by=world.users["sysadmin"])
    assert defence(case).due_on == D(2027, 1, 12)

    # then the owner is reminded again, of the new date, and not chased on the day after the old one
    assert remind_deadlines(at(D(2027, 1, 9))).warned == 1
    assert remind_deadlines(at(D(2027, 1, 12))).overdue == 0
    bodies = list(
        Notification.objects.filter(recipient__username="agency_duyun", channel="in_app")
        .order_by("pk")
        .values_list("body", flat=True)
    )
    assert len(bodies) == 2
    assert "将于 2027-01-11 届满" in bodies[0] and "将于 2027-01-12 届满" in bodies[1]
    assert remind_deadlines(at(D(2027, 1, 13))).overdue == 1


def test_a_chunk_whose_writes_fail_is_told_row_by_row_and_only_the_bad_row_is_held_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given three overdue defences, the events of one of which cannot be written
    cases = [served_case(world, D(2026, 3, 2), f"（2026）黔2701行初{n}号") for n in (11, 12, 13)]
    bad = cases[1]
    record_events = reminders.record_events

    def refusing_the_bad_case(events: list[Any], **kwargs: Any) -> Any:
        if any(e.record.pk == bad.pk for e in events):
            raise RuntimeError("事件表暂不可写")
        return record_events(events, **kwargs)

    monkeypatch.setattr(reminders, "record_events", refusing_the_bad_case)

    report = remind_deadlines(at(D(2026, 3, 18)))

    assert (report.overdue, report.failed) == (2, 1)
    assert [defence(c).state for c in cases] == [DeadlineState.OVERDUE, DeadlineState.OPEN, DeadlineState.OVERDUE]
    assert not Notification.objects.filter(dedup_key=f"deadline:{defence(bad).pk}:overdue").exists()
    held = obligation(bad)
    assert held.failures == 1 and held.next_check_at == at(D(2026, 3, 18)) + datetime.timedelta(minutes=10)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sweeps at once need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_remind_and_chase_each_case_deadline_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "CHUNK", 4)  # small chunks, so that both sweeps take some
    cases = [served_case(world, D(2026, 3, 2), f"（2026）黔2701行初{100 + n}号") for n in range(20)]

    def two_at_once(moment: datetime.datetime) -> list[Any]:
        start = threading.Barrier(2)
        reports: list[Any] = []

        def worker() -> None:
            try:
                start.wait()
                reports.append(remind_deadlines(moment))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return reports

    warned = two_at_once(at(D(2026, 3, 14)))
    chased = two_at_once(at(D(2026, 3, 18)))

    assert sum(r.warned for r in warned) == 20 and sum(r.overdue for r in chased) == 20
    keys = list(Notification.objects.filter(recipient__username="agency_duyun").values_list("dedup_key", flat=True))
    assert len(keys) == len(set(keys)) == 40
    assert Event.objects.filter(action="deadline_overdue").count() == 20
    assert {defence(c).state for c in cases} == {DeadlineState.OVERDUE}
