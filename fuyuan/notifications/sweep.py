"""``run_sweep``: everything the clock makes due, for one moment — the one job ``fuyuan sweep`` and
``fuyuan worker`` run (cron or a Celery beat schedule run ``fuyuan sweep`` in a larger deployment).

In order: deadlines (逾期 marking and 临期 reminders), hearings (两提 and 一直达), written-report duties of the
counties whose loss rate exceeds the threshold (checked once a day) and the 临期/逾期 notices of their reports, the
monthly dispatch reminders of the leader packages (领导包案 按月调度), the 临期/逾期 notices of rectification items
(销账本), the due obligations of every kind (``obligations.workflow.sweep``: the dispute centre's periods), then
sending what is due in the outbox.
Each step is idempotent and safe to run twice at once, so the sweep is too: running it again for the same
moment creates nothing and sends nothing more. Each step, and each row of a step, fails alone
(``notifications.isolation``): a failing row is logged and held back for a while, a failing step is logged, and
the rest (sending included) runs; the summary says how many rows and which steps failed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from fuyuan.accountability.workflow import DUTY, DutyChase, DutySweep, duty_chase, sweep_report_duties
from fuyuan.deadlines.reminders import DeadlineSweep, remind_deadlines
from fuyuan.hearings.workflow import HearingSweep, sweep_hearings
from fuyuan.notifications.isolation import run_step
from fuyuan.notifications.sender import SendReport, send_due
from fuyuan.obligations.workflow import ObligationSweep
from fuyuan.obligations.workflow import sweep as sweep_obligations
from fuyuan.packaging.workflow import DISPATCH, PackageSweep, package_sweep
from fuyuan.rectification.workflow import ITEM, ItemSweep, item_sweep

# Messages sent per sweep at most; the rest wait for the next sweep a minute later (a run stays short).
SEND_LIMIT = 5000
SEND_BATCH = 500


@dataclass
class SweepReport:
    at: datetime.datetime
    deadlines: DeadlineSweep = field(default_factory=DeadlineSweep)
    hearings: HearingSweep = field(default_factory=HearingSweep)
    report_duties: DutySweep = field(default_factory=DutySweep)
    report_deadlines: DutyChase = field(default_factory=DutyChase)
    packages: PackageSweep = field(default_factory=PackageSweep)
    rectification: ItemSweep = field(default_factory=ItemSweep)
    obligations: ObligationSweep = field(default_factory=ObligationSweep)
    sending: SendReport = field(default_factory=SendReport)
    failed_steps: list[str] = field(default_factory=list)

    @property
    def failed_rows(self) -> int:
        """Rows that raised in this run (logged, and held back until their next try)."""
        steps = (self.deadlines, self.hearings, self.report_duties)
        return sum(step.failed for step in steps) + self.obligations.failed_rows

    def failures(self) -> str:
        said = []
        if self.failed_rows:
            said.append(f"{self.failed_rows} 条记录处理出错，已记录日志，稍后重试")
        if self.failed_steps:
            said.append(f"步骤出错：{'、'.join(self.failed_steps)}，已记录日志")
        return "；".join(said)

    def summary(self) -> str:
        failures = self.failures()
        due = self.obligations.summary(leave_out=[DUTY, DISPATCH, ITEM])
        return (
            f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} 定时任务：期限——{self.deadlines.summary()}；"
            f"开庭——{self.hearings.summary()}；"
            f"书面报告——{self.report_duties.summary()}，{self.report_deadlines.summary()}；"
            f"领导包案——{self.packages.summary()}；"
            f"整改销账——{self.rectification.summary()}；"
            + (f"到期事项——{due}；" if due else "")
            + f"通知——{self.sending.summary()}"
        ) + (f"；{failures}。" if failures else "。")


def run_sweep(now: datetime.datetime | None = None, *, send_limit: int = SEND_LIMIT) -> SweepReport:
    """Create the reminders and escalations due at ``now``, mark what has become overdue, and send what is due."""
    now = timezone.localtime(now or timezone.now())
    report = SweepReport(at=now)
    failed = report.failed_steps
    report.deadlines = run_step("期限", lambda: remind_deadlines(now), DeadlineSweep, failed)
    report.hearings = run_step("开庭", lambda: sweep_hearings(now), HearingSweep, failed)
    report.report_duties = run_step("书面报告启动", lambda: sweep_report_duties(now), DutySweep, failed)
    report.obligations = run_step("到期事项", lambda: sweep_obligations(now), ObligationSweep, failed)
    report.report_deadlines = duty_chase(report.obligations)
    report.packages = package_sweep(report.obligations)
    report.rectification = item_sweep(report.obligations)
    report.sending = run_step("通知", lambda: send_all_due(now, limit=send_limit), SendReport, failed)
    return report


def send_all_due(now: datetime.datetime, *, limit: int = SEND_LIMIT) -> SendReport:
    """``send_due`` in batches until nothing due is left or ``limit`` messages were handled.

    Every row a batch handles (sent, failed, or claimed by another worker) leaves the due set, so this ends.
    """
    total = SendReport()
    while limit > 0:
        batch = send_due(now, limit=min(SEND_BATCH, limit))
        handled = batch.sent + batch.retrying + batch.failed + batch.skipped
        total.sent += batch.sent
        total.retrying += batch.retrying
        total.failed += batch.failed
        total.skipped += batch.skipped
        if handled < min(SEND_BATCH, limit):
            break
        limit -= handled
    return total
