"""The working-day calendar on real dates of 2024–2026: Spring Festival, National Day and the 调休 weekends."""

import datetime

import pytest

from fuyuan.core.workdays import Arrangement, WorkCalendar, add_days, add_months

D = datetime.date
cal = WorkCalendar()


@pytest.mark.parametrize(
    "day",
    [D(2024, 2, 4), D(2024, 2, 18), D(2024, 9, 29), D(2024, 10, 12), D(2025, 1, 26), D(2025, 2, 8), D(2026, 2, 14)],
)
def test_adjusted_weekend_days_are_working_days(day: datetime.date) -> None:
    assert day.weekday() >= 5
    assert cal.is_workday(day)


@pytest.mark.parametrize("day", [D(2024, 2, 12), D(2024, 10, 1), D(2024, 10, 7), D(2025, 10, 8), D(2026, 10, 5)])
def test_public_holidays_on_weekdays_are_not_working_days(day: datetime.date) -> None:
    assert day.weekday() < 5
    assert not cal.is_workday(day)


def test_five_working_days_across_spring_festival_2026_count_the_adjusted_saturday() -> None:
    # 2026-02-12 (Thu) → 13 (Fri), 14 (Sat, 调休), then the holiday to 23 February, then 24, 25, 26.
    assert cal.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)


def test_ten_working_days_across_national_day_2025() -> None:
    # From 2025-09-26 (Fri): 28 (Sun, 调休), 29, 30, then 1–8 October off, 9, 10, 11 (Sat, 调休), 13, 14, 15, 16.
    assert cal.add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 16)


def test_a_period_ending_in_the_national_day_holiday_ends_on_the_first_working_day_after() -> None:
    assert cal.end_on_workday(D(2024, 10, 3)) == D(2024, 10, 8)
    assert cal.end_on_workday(D(2024, 10, 8)) == D(2024, 10, 8)


def test_months_end_on_the_corresponding_day_or_the_last_day_of_the_month() -> None:
    assert add_months(D(2026, 3, 15), 6) == D(2026, 9, 15)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2026, 1, 31), -1) == D(2025, 12, 31)
    assert add_days(D(2026, 12, 30), 3) == D(2027, 1, 2)


def test_a_year_the_package_does_not_know_falls_back_to_weekends_and_says_so() -> None:
    assert not cal.knows(2027)
    assert cal.knows(2026)
    assert cal.is_workday(D(2027, 1, 1))  # a Friday: without the 2027 arrangement only weekends rest
    assert not cal.is_workday(D(2027, 1, 2))


def test_an_entered_arrangement_makes_a_later_year_known() -> None:
    entered = WorkCalendar.with_arrangements(
        [Arrangement(2027, holidays=frozenset({D(2027, 1, 1)}), workdays=frozenset({D(2027, 1, 9)}))]
    )

    assert entered.knows(2027)
    assert not entered.is_workday(D(2027, 1, 1))
    assert entered.is_workday(D(2027, 1, 9))
    assert entered.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


# 民事诉讼法 第85条 (applied by 行政诉讼法 第101条): a period ending on a holiday ends on the first working day after
# it. The holidays are chinese-calendar's: Spring Festival 2024 is 10–17 February (Sunday 18 worked), 2025 is
# 28 January – 4 February (Sunday 26 January and Saturday 8 February worked), 2026 is 15–23 February (Saturdays
# 14 and 28 February worked).
@pytest.mark.parametrize(
    ("rule_id", "served", "due"),
    [
        ("litigation.defence", D(2025, 1, 15), D(2025, 2, 5)),  # 15 days end Thursday 30 January, in the holiday
        ("litigation.defence", D(2026, 2, 1), D(2026, 2, 24)),  # 15 days end Monday 16 February, in the holiday
        ("litigation.appeal_ruling", D(2026, 2, 8), D(2026, 2, 24)),  # 10 days end Wednesday 18 February
        ("litigation.appeal_judgment", D(2024, 1, 30), D(2024, 2, 18)),  # ends 14 February: next is Sunday 18, worked
    ],
)
def test_a_litigation_period_ending_in_the_spring_festival_holiday_ends_on_the_first_working_day_after(
    rule_id: str, served: datetime.date, due: datetime.date
) -> None:
    from fuyuan.deadlines.rules import compute_due

    result = compute_due(rule_id, served, cal)

    assert result.nominal_end != result.due == due and result.moved and result.calendar_known


@pytest.mark.parametrize(
    ("served", "saturday"),
    [(D(2025, 1, 24), D(2025, 2, 8)), (D(2026, 1, 30), D(2026, 2, 14)), (D(2026, 2, 13), D(2026, 2, 28))],
)
def test_a_litigation_period_ending_on_a_saturday_worked_in_lieu_ends_on_that_saturday(
    served: datetime.date, saturday: datetime.date
) -> None:
    from fuyuan.deadlines.rules import compute_due

    result = compute_due("litigation.defence", served, cal)

    assert saturday.weekday() == 5
    assert (result.due, result.moved) == (saturday, False)
