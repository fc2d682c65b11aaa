"""The working-day calendar: Chinese public holidays and adjusted working days (调休). Pure date arithmetic, no
database: the caller passes the administrator's entries for years the package does not know.

Holidays and 调休 come from the ``chinese-calendar`` package, which knows the years up to its release. For a later
year the administrator enters the State Council's 放假安排 (``Arrangement``); a year known to neither falls back to
weekends only, and ``WorkCalendar.knows`` lets every caller say so.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar import constants as _package_data

PACKAGE_YEARS = frozenset(d.year for d in _package_data.holidays) | frozenset(d.year for d in _package_data.workdays)


@dataclass(frozen=True)
class Arrangement:
    """An administrator's entry for one year: its holidays and its 调休 working days."""

    year: int
    holidays: frozenset[datetime.date] = frozenset()
    workdays: frozenset[datetime.date] = frozenset()


@dataclass
class WorkCalendar:
    arrangements: dict[int, Arrangement] = field(default_factory=dict)
    _answers: dict[datetime.date, bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def with_arrangements(cls, arrangements: Iterable[Arrangement]) -> WorkCalendar:
        return cls({a.year: a for a in arrangements})

    def knows(self, year: int) -> bool:
        """Whether holidays of ``year`` are known (to the package or from an administrator's entry)."""
        return year in self.arrangements or year in PACKAGE_YEARS

    def is_workday(self, day: datetime.date) -> bool:
        # chinese-calendar validates the year on every call (a scan of its tables); bulk deadline work asks about
        # the same few hundred days again and again, so each answer is kept.
        known = self._answers.get(day)
        if known is None:
            known = self._answers[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: datetime.date) -> bool:
        entry = self.arrangements.get(day.year)
        if entry is not None:
            if day in entry.workdays:
                return True
            if day in entry.holidays:
                return False
            return day.weekday() < 5
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def next_workday(self, day: datetime.date) -> datetime.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day after ``start`` (the start day itself is not counted).

        行政复议法 (2023) 第88条: the 3/5/7/10-day periods of the law are working days.
        """
        day = start
        counted = 0
        while counted < n:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def working_days_before(self, day: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day before ``day`` (``day`` itself is not counted): the last day to act when a step
        must come at least ``n`` working days before another (行政复议法 (2023) 第51条 with 第88条第2款: the 听证
        notice five working days before the hearing)."""
        counted = 0
        while counted < n:
            day -= datetime.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def end_on_workday(self, day: datetime.date) -> datetime.date:
        """A period whose last day is a holiday ends on the next working day.

        民事诉讼法 第85条 (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期), applied to
        administrative litigation by 行政诉讼法 第101条 and to reconsideration by 行政复议法 (2023) 第88条.
        """
        return self.next_workday(day)


def add_days(start: datetime.date, n: int) -> datetime.date:
    """``n`` calendar days after ``start`` (negative: before); the start day is not counted."""
    return start + datetime.timedelta(days=n)


def add_months(start: datetime.date, n: int) -> datetime.date:
    """The corresponding day ``n`` months later, or the month's last day when there is none.

    民法典 第202条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日.
    """
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
