"""What the clock does to reconsideration files, by name (no signal): the sweep's step ``sweep_applications``, and the
``Terms`` the case deadlines' sync reads of handled files (``terms_of_cases``).

- 视为受理 (行政复议法 (2023) 第30条第3款): an application neither accepted nor refused by the last day of its review
  period is accepted from that day; the sweep records it on the first day after (day 6 of a 5-working-day period).
- 视为放弃 (第31条第2款): an application whose 补正 did not come in within its 10 working days is treated as withdrawn
  on the first day after.

Each file is handled alone (``notifications.isolation.Rows``): one that fails is rolled back, logged and tried again
later, the others go on. Running the step twice for the same moment changes nothing more.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from fuyuan.deadlines.workflow import Terms
from fuyuan.notifications.isolation import Rows
from fuyuan.reconsideration.choices import Stage
from fuyuan.reconsideration.models import Application


def terms_of_cases(case_ids: list[int]) -> dict[int, Terms]:
    """The ``Terms`` of the handled files among these reconsideration cases, in one query (a case with no file — an
    imported one — keeps the periods its dates give)."""
    from fuyuan.reconsideration.workflow import acceptance_start, decision_added_days, decision_rule

    files = (
        Application.objects.filter(case_id__in=case_ids)
        .select_related("case")
        .only(
            "case", "stage", "procedure", "correction_replied_on", "correction_extended_to", "extension_approved_on",
            "extension_days", "case__received_on",
        )
        .annotate(days_suspended=suspended_days())
    )  # fmt: skip
    return {
        f.case_id: Terms(
            acceptance_start(f),
            decision_rule(f),
            decision_added_days(f),
            f.correction_extended_to,
            decision_paused=f.stage == Stage.SUSPENDED,
        )
        for f in files
    }


def suspended_days() -> Any:
    """The calendar days a file was suspended (中止, 第39条), over its ended suspensions: an annotation."""
    from fuyuan.reconsideration.figures import DaysBetween

    return Coalesce(Sum(DaysBetween("suspensions__suspended_on", "suspensions__resumed_on")), 0)


@dataclass
class ApplicationSweep:
    deemed_accepted: int = 0
    withdrawn: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"视为受理 {self.deemed_accepted} 件，视为放弃申请 {self.withdrawn} 件"


STEP = "reconsideration.applications"
# No review period of 5 working days, nor 补正 period of 10, ends sooner than this many calendar days after its start:
# the step looks only at files started at least that long ago, and counts each one's own day on the calendar.
REVIEW_AT_LEAST = datetime.timedelta(days=5)
CORRECTION_AT_LEAST = datetime.timedelta(days=10)


def _unless_done(transition: Callable[[Application], Application], application: Application) -> bool:
    """Run ``transition``; False when the file no longer needs it (another sweep, or staff, got there first)."""
    from fuyuan.reconsideration.workflow import ReconsiderationError

    try:
        transition(application)
    except ReconsiderationError:
        return False
    return True


def sweep_applications(now: datetime.datetime | None = None) -> ApplicationSweep:
    """Apply 第30条第3款 and 第31条第2款 to every file whose period ended before today (``now``'s local date)."""
    from fuyuan.reconsideration import workflow

    now = timezone.localtime(now or timezone.now())
    today = now.date()
    report = ApplicationSweep()
    rows = Rows(STEP, now)
    reviewing = rows.exclude(
        Application.objects.filter(stage__in=[Stage.RECEIVED, Stage.EXAMINING]).select_related("case")
    ).order_by("id")
    for application in reviewing:
        start = workflow.acceptance_start(application)
        if start is None or start > today - REVIEW_AT_LEAST:
            continue
        due = workflow.acceptance_due(application)
        deem = lambda a=application: _unless_done(workflow.deem_accepted, a)  # noqa: E731
        if due is not None and today > due and rows.attempt(application.pk, deem):
            report.deemed_accepted += 1
    waiting = rows.exclude(
        Application.objects.filter(
            stage=Stage.CORRECTION_REQUESTED, correction_requested_on__lte=today - CORRECTION_AT_LEAST
        )
    ).order_by("id")
    for application in waiting:
        assert application.correction_requested_on is not None
        due = workflow.correction_due(application)
        withdraw = lambda a=application: _unless_done(workflow.withdraw_for_silence, a)  # noqa: E731
        if today > due and rows.attempt(application.pk, withdraw):
            report.withdrawn += 1
    report.failed = rows.failed
    return report
