"""The one sweep step for due obligations (``obligations.workflow.sweep``): claims each row once even with two
sweeps at once, and handles each row alone (a row that raises is held back, the others go on)."""

import datetime
import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.utils import timezone

from fuyuan.obligations import workflow
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.obligations.registry import KINDS, Kind, register

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 3, 18, 10))
TOLD: list[tuple[str, int]] = []
POISON: set[int] = set()


def remind(ob: Obligation, now: datetime.datetime) -> bool:
    if ob.subject_id in POISON:
        raise ValueError("损坏的记录")
    TOLD.append(("remind", ob.subject_id))
    return True


def chase(ob: Obligation, now: datetime.datetime) -> bool:
    TOLD.append(("chase", ob.subject_id))
    return True


@pytest.fixture(autouse=True)
def test_kind() -> Iterator[None]:
    register(Kind(name="tests.thing", label="测试事项", remind=remind, chase=chase))
    TOLD.clear()
    POISON.clear()
    yield
    del KINDS["tests.thing"]


DUE = D(2026, 3, 20)


def things(*ids: int) -> None:
    """Obligations due on 20 March 2026 (reminded from 17 March, chased from 21 March)."""
    for subject_id in ids:
        workflow.keep("tests.thing", subject_id, due_on=DUE)


def test_an_obligation_is_reminded_from_its_warn_day_and_chased_after_its_due_date_once_each() -> None:
    things(1)
    assert workflow.sweep(NOW - datetime.timedelta(days=2)).reminded["tests.thing"] == 0  # 16 March: too early
    assert workflow.sweep(NOW).reminded["tests.thing"] == 1
    assert workflow.sweep(NOW).reminded["tests.thing"] == 0
    assert workflow.sweep(NOW + datetime.timedelta(days=3)).chased["tests.thing"] == 1  # 21 March
    assert workflow.sweep(NOW + datetime.timedelta(days=4)).chased["tests.thing"] == 0
    assert TOLD == [("remind", 1), ("chase", 1)]
    assert Obligation.objects.get().next_check_at is None


def test_a_settled_obligation_is_not_chased_and_a_reopened_one_keeps_what_was_sent() -> None:
    things(1)
    workflow.sweep(NOW)
    workflow.settle("tests.thing", 1)
    workflow.sweep(NOW + datetime.timedelta(days=3))
    assert TOLD == [("remind", 1)]
    things(1)  # reopened under the same due date: the reminder is not sent again, the chase is
    workflow.sweep(NOW + datetime.timedelta(days=3))
    assert TOLD == [("remind", 1), ("chase", 1)]
    assert Obligation.objects.get().state == ObligationState.OPEN


def test_a_row_that_raises_is_held_back_and_the_others_go_on() -> None:
    things(1, 2, 3)
    POISON.add(2)

    report = workflow.sweep(NOW)

    assert report.reminded["tests.thing"] == 2 and report.failed["tests.thing"] == 1
    assert TOLD == [("remind", 1), ("remind", 3)]
    bad = Obligation.objects.get(subject_id=2)
    assert (bad.failures, bad.warned_at) == (1, None) and "损坏的记录" in bad.last_error
    assert bad.next_check_at == NOW + datetime.timedelta(minutes=10)
    # Not tried every minute; tried again at its time, and once repaired it goes through.
    assert workflow.sweep(NOW + datetime.timedelta(minutes=1)).failed["tests.thing"] == 0
    POISON.clear()
    assert workflow.sweep(bad.next_check_at).reminded["tests.thing"] == 1
    bad.refresh_from_db()
    assert (bad.failures, bad.last_error) == (0, "") and bad.warned_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sweeps at once need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_remind_each_obligation_once() -> None:
    things(*range(1, 41))
    start = threading.Barrier(2)
    reports: list[workflow.ObligationSweep] = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(workflow.sweep(NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(r.reminded["tests.thing"] for r in reports) == 40
    assert sorted(TOLD) == [("remind", n) for n in range(1, 41)]
    assert Obligation.objects.filter(warned_at__isnull=False).count() == 40
