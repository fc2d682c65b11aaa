"""``fuyuan deadline`` gives each ``enforcement.*`` date across National Day 2026 and Spring Festival 2027.

tests/deadlines/test_deadline_command.py already counts every ``enforcement.*`` rule across National Day 2026 and
Spring Festival 2026 (ACROSS_HOLIDAYS). 2027 is not known to the chinese-calendar package (1.11.0 knows 2004-2026):
without an entered arrangement the answer counts weekends only and says so (``calendar_known`` false); with the
administrator's entry of the year (``CalendarYear``, here an assumed arrangement for the test, not the State
Council's) the entered holidays and 调休 days are counted.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from fuyuan.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def deadline(rule_id: str, start: str) -> dict[str, object]:
    out = StringIO()
    call_command("deadline", rule_id, start, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


# Started the day before National Day (Wednesday 30 September 2026): 1–7 October off, Saturday 10 October worked.
NATIONAL_DAY = [
    # Working days 8 (1), 9 (2), Saturday 10 (3), 12 (4), 13 (5), 14 (6), 15 (7), 16 (8), 19 (9), 20 Oct (10).
    ("enforcement.reminder_wait", "2026-10-20"),
    # Three months end on Wednesday 30 December.
    ("enforcement.application", "2026-12-30"),
    ("enforcement.court_acceptance", "2026-10-13"),
    ("enforcement.court_ruling", "2026-10-15"),
    # Thirty days end on Friday 30 October.
    ("enforcement.court_hearing_ruling", "2026-10-30"),
]


@pytest.mark.parametrize(("rule_id", "due"), NATIONAL_DAY)
def test_each_enforcement_period_from_the_eve_of_national_day(rule_id: str, due: str) -> None:
    result = deadline(rule_id, "2026-09-30")

    assert (result["due"], result["calendar_known"]) == (due, True)
    assert "行政强制法" in str(result["source"])


# Started on Wednesday 3 February 2027, before the Spring Festival (初一 is Saturday 6 February 2027).
UNKNOWN_2027 = [
    # Weekends only: 4 (1), 5 (2), 8 (3), 9 (4), 10 (5), 11 (6), 12 (7), 15 (8), 16 (9), 17 Feb (10).
    ("enforcement.reminder_wait", "2027-02-17"),
    # Three months end on Monday 3 May.
    ("enforcement.application", "2027-05-03"),
    ("enforcement.court_acceptance", "2027-02-10"),
    ("enforcement.court_ruling", "2027-02-12"),
    # Thirty days end on Friday 5 March.
    ("enforcement.court_hearing_ruling", "2027-03-05"),
]


@pytest.mark.parametrize(("rule_id", "due"), UNKNOWN_2027)
def test_across_spring_festival_2027_unknown_to_the_package_the_answer_says_so(rule_id: str, due: str) -> None:
    result = deadline(rule_id, "2027-02-03")

    assert (result["due"], result["calendar_known"]) == (due, False)


# An assumed arrangement entered by the administrator: 6–14 February off, Saturday 20 February worked. (Not the
# State Council's notice, which the package does not carry yet: a stand-in to show that the entered days count.)
ASSUMED_HOLIDAYS = ["2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
                    "2027-02-12", "2027-02-13", "2027-02-14"]  # fmt: skip
ASSUMED_WORKDAYS = ["2027-02-20"]
ENTERED_2027 = [
    # 4 (1), 5 (2), then 15 (3), 16 (4), 17 (5), 18 (6), 19 (7), Saturday 20 (8), 22 (9), 23 Feb (10).
    ("enforcement.reminder_wait", "2027-02-23"),
    ("enforcement.application", "2027-05-03"),
    ("enforcement.court_acceptance", "2027-02-17"),
    ("enforcement.court_ruling", "2027-02-19"),
    ("enforcement.court_hearing_ruling", "2027-03-05"),
]


@pytest.mark.parametrize(("rule_id", "due"), ENTERED_2027)
def test_across_spring_festival_2027_as_the_administrator_entered_it(rule_id: str, due: str) -> None:
    year = CalendarYear.objects.create(year=2027, source="假设的2027年春节放假安排（测试用）")
    for day in ASSUMED_HOLIDAYS:
        CalendarDay.objects.create(calendar_year=year, day=day, is_workday=False, note="假设的春节假期")
    for day in ASSUMED_WORKDAYS:
        CalendarDay.objects.create(calendar_year=year, day=day, is_workday=True, note="假设的调休上班")

    result = deadline(rule_id, "2027-02-03")

    assert (result["due"], result["calendar_known"]) == (due, True)


def test_a_thirty_day_period_ending_in_the_entered_holiday_ends_on_the_next_working_day() -> None:
    year = CalendarYear.objects.create(year=2027, source="假设的2027年春节放假安排（测试用）")
    for day in ASSUMED_HOLIDAYS:
        CalendarDay.objects.create(calendar_year=year, day=day, is_workday=False, note="假设的春节假期")

    # Thirty days from 8 January end on Sunday 7 February, in the holiday: Monday 15 February.
    assert deadline("enforcement.court_hearing_ruling", "2027-01-08")["due"] == "2027-02-15"
