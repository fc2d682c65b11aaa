"""The shared ``clock`` fixture (tests/conftest.py): the day it sets is the day of the code under test, in the test's
thread and in the live server's, and a moment set by calling it stays until the next call."""

from __future__ import annotations

import datetime
import json
import urllib.request

from django.utils import timezone

from tests.conftest import Clock, clock_start


def test_the_clock_runs_the_test_on_the_test_day_and_stops_where_it_is_set(clock: Clock) -> None:
    assert clock.today == clock_start().date() == datetime.date.today()

    moment = timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 30))
    clock(moment)

    assert timezone.now() == moment and clock.today == datetime.date(2026, 10, 1)
    clock(datetime.date(2026, 10, 9))
    assert timezone.localtime().replace(tzinfo=None) == datetime.datetime(2026, 10, 9, 10, 0)


def test_the_live_server_thread_reads_the_same_clock(clock: Clock, live_server) -> None:  # type: ignore[no-untyped-def]
    clock(timezone.make_aware(datetime.datetime(2026, 10, 3, 15, 0)))

    with urllib.request.urlopen(f"{live_server.url}/health/") as response:
        served = datetime.datetime.fromisoformat(json.load(response)["time"])

    assert served == timezone.now()
