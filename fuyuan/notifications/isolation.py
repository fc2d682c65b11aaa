"""Each step of the sweep, and each row of a step, fails alone (the Healthchecks ``sendalerts`` lesson).

A row whose handling raises is rolled back to its savepoint, logged (JSON on stderr with the step and the row id,
see settings ``LOGGING``), and held back: its next try moves forward (``RETRY_AFTER``, longer after each failure)
instead of failing again every minute, while the other rows of the step and every later step go on. A row that
goes through again loses its failure record. ``run_sweep`` wraps each step the same way (``run_step``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet

from fuyuan.notifications.models import RowFailure

logger = logging.getLogger("fuyuan.sweep")
T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

# Wait after the 1st, 2nd, 3rd failure of a row; from the 4th on, a day.
RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (10, 60, 360, 1440)]


def retry_at(failures: int, now: datetime.datetime) -> datetime.datetime:
    return now + RETRY_AFTER[min(failures, len(RETRY_AFTER)) - 1]


def describe(error: BaseException) -> str:
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:500]


class Rows:
    """Row isolation for one step at one moment: which rows are held back, and running one row alone.

    One query when the step starts (the step's failure records: almost always none)."""

    def __init__(self, step: str, now: datetime.datetime) -> None:
        self.step, self.now = step, now
        self.known = {f.row_id: f for f in RowFailure.objects.filter(step=step)}
        self.failed = 0

    def held(self) -> set[int]:
        """The rows whose next try has not come yet: the step leaves them out of its selection."""
        return {row_id for row_id, f in self.known.items() if f.retry_at > self.now}

    def exclude(self, rows: QuerySet[M]) -> QuerySet[M]:
        """``rows`` without those held back (the query unchanged when none is: almost always)."""
        held = self.held()
        return rows.exclude(pk__in=held) if held else rows

    def attempt(self, row_id: int, handle: Callable[[], T]) -> T | None:
        """``handle()`` in its own savepoint; on an exception the row's work is undone, logged and held back,
        and ``None`` is returned. Call it outside the step's transaction, so the failure record stays."""
        return self._run(row_id, handle, savepoint=True)

    def guard(self, row_id: int, handle: Callable[[], T]) -> T | None:
        """``handle()`` without a savepoint, for work that writes nothing (building a chunk's messages): on an
        exception the row is logged and held back, and ``None`` is returned so the caller leaves it out."""
        return self._run(row_id, handle, savepoint=False)

    def _run(self, row_id: int, handle: Callable[[], T], *, savepoint: bool) -> T | None:
        try:
            if savepoint:
                with transaction.atomic():
                    result = handle()
            else:
                result = handle()
        except Exception as error:
            self.fail(row_id, error)
            return None
        self.succeeded(row_id)
        return result

    def fail(self, row_id: int, error: BaseException) -> None:
        self.failed += 1
        previous = self.known.get(row_id)
        failures = previous.failures + 1 if previous else 1
        when = retry_at(failures, self.now)
        logger.error(
            "定时任务“%s”处理第 %s 行失败（第 %s 次），%s 后重试：%s",
            self.step,
            row_id,
            failures,
            when.isoformat(),
            describe(error),
            exc_info=error,
            extra={"step": self.step, "row_id": row_id, "failures": failures, "retry_at": when.isoformat()},
        )
        values = {"failures": failures, "retry_at": when, "last_error": describe(error), "failed_at": self.now}
        try:
            with transaction.atomic():
                record, _created = RowFailure.objects.update_or_create(step=self.step, row_id=row_id, defaults=values)
        except IntegrityError:  # another sweep recorded it a moment ago
            return
        self.known[row_id] = record

    def succeeded(self, row_id: int) -> None:
        if self.known.pop(row_id, None) is not None:
            RowFailure.objects.filter(step=self.step, row_id=row_id).delete()


def run_step(name: str, run: Callable[[], T], fallback: Callable[[], T], failed_steps: list[str]) -> T:
    """One step of the sweep: an exception outside its rows is logged, the step's name is added to
    ``failed_steps``, ``fallback()`` (an empty report) stands for its result, and the next step runs."""
    try:
        return run()
    except Exception as error:
        logger.error(
            "定时任务步骤“%s”失败，其余步骤照常执行：%s", name, describe(error), exc_info=error, extra={"step": name}
        )
        failed_steps.append(name)
        return fallback()
