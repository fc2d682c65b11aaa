"""``run_sweep``: everything the clock makes due, for one moment — the one job ``fuyuan sweep`` and
``fuyuan worker`` run (cron or a Celery beat schedule run ``fuyuan sweep`` in a larger deployment).

In order: the steps the domain apps register at start (``register_part`` in their ``AppConfig.ready``: hearings'
两提 and 一直达, the daily check that opens written-report duties), then the one step for every due obligation
(``obligations.workflow.sweep``: case deadlines' 临期 reminders and 逾期 marking, written reports, leader packages'
monthly dispatch, rectification items, the dispute centre's periods), then sending what is due in the outbox. This module
imports no domain app: each part says under which heading the summary reports it.
Each step is idempotent and safe to run twice at once, so the sweep is too: running it again for the same
moment creates nothing and sends nothing more. Each step, and each row of a step, fails alone
(``notifications.isolation``): a failing row is logged and held back for a while, a failing step is logged, and
the rest (sending included) runs; the summary says how many rows and which steps failed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.utils import timezone

from fuyuan.notifications.isolation import run_step
from fuyuan.notifications.sender import SendReport, send_due
from fuyuan.obligations.workflow import ObligationSweep
from fuyuan.obligations.workflow import sweep as sweep_obligations

# Messages sent per sweep at most; the rest wait for the next sweep a minute later (a run stays short).
SEND_LIMIT = 5000
SEND_BATCH = 500


class PartReport(Protocol):
    failed: int

    def summary(self) -> str: ...


@dataclass(frozen=True)
class Part:
    """One part of the sweep's report: a step of its own (``run``), or what the obligation step did for some kinds
    (``of_obligations``, reporting ``kinds``). Parts with the same ``heading`` are said together, in ``order``."""

    name: str  # the report's attribute: ``report.deadlines``
    heading: str  # 期限
    order: int
    empty: Callable[[], PartReport]
    run: Callable[[datetime.datetime], PartReport] | None = None
    of_obligations: Callable[[ObligationSweep], PartReport] | None = None
    kinds: tuple[str, ...] = ()


PARTS: dict[str, Part] = {}


def register_part(part: Part) -> None:
    PARTS[part.name] = part


def parts() -> list[Part]:
    return sorted(PARTS.values(), key=lambda p: (p.order, p.name))


@dataclass
class SweepReport:
    at: datetime.datetime
    parts: dict[str, PartReport] = field(default_factory=dict)
    obligations: ObligationSweep = field(default_factory=ObligationSweep)
    sending: SendReport = field(default_factory=SendReport)
    failed_steps: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        """A part's report by its name (``report.deadlines``): an empty one if it did not run."""
        if name.startswith("__") or name not in PARTS:
            raise AttributeError(name)
        found = self.__dict__.get("parts", {}).get(name)
        return found if found is not None else PARTS[name].empty()

    @property
    def failed_rows(self) -> int:
        """Rows that raised in this run (logged, and held back until their next try)."""
        own = sum(self.parts[p.name].failed for p in parts() if p.run is not None and p.name in self.parts)
        return own + self.obligations.failed_rows

    def failures(self) -> str:
        said = []
        if self.failed_rows:
            said.append(f"{self.failed_rows} 条记录处理出错，已记录日志，稍后重试")
        if self.failed_steps:
            said.append(f"步骤出错：{'、'.join(self.failed_steps)}，已记录日志")
        return "；".join(said)

    def summary(self) -> str:
        headings: dict[str, list[str]] = {}
        for part in parts():
            headings.setdefault(part.heading, []).append(getattr(self, part.name).summary())
        said = [f"{heading}——{'，'.join(texts)}" for heading, texts in headings.items()]
        others = self.obligations.summary(leave_out=[kind for part in parts() for kind in part.kinds])
        if others:
            said.append(f"到期事项——{others}")
        said.append(f"通知——{self.sending.summary()}")
        failures = self.failures()
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} 定时任务：{'；'.join(said)}" + (
            f"；{failures}。" if failures else "。"
        )


def run_sweep(now: datetime.datetime | None = None, *, send_limit: int = SEND_LIMIT) -> SweepReport:
    """Create the reminders and escalations due at ``now``, mark what has become overdue, and send what is due."""
    now = timezone.localtime(now or timezone.now())
    report = SweepReport(at=now)
    failed = report.failed_steps
    for part in parts():
        if part.run is not None:
            report.parts[part.name] = run_step(part.heading, partial(part.run, now), part.empty, failed)
    report.obligations = run_step("到期事项", lambda: sweep_obligations(now), ObligationSweep, failed)
    for part in parts():
        if part.of_obligations is not None:
            report.parts[part.name] = part.of_obligations(report.obligations)
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
