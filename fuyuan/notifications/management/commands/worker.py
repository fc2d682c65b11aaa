"""``fuyuan worker [--interval SECONDS] [--once]``: the sweep in a loop, for the embedded default (no other server),
and the web ledger imports (``cases.import_jobs``) picked up within a second of being queued.

The shape of Healthchecks' ``sendalerts``: one process, a run every interval; a run that fails is logged and the
next one comes as usual (each step is idempotent, so nothing is lost or doubled); SIGTERM or Ctrl-C stops it
between runs, or cuts the wait short. Between sweeps it looks for queued import jobs every ``JOB_POLL`` seconds;
a job is claimed by a conditional UPDATE, so any number of workers run each job once.
"""

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from fuyuan.notifications.sweep import run_sweep

logger = logging.getLogger("fuyuan.worker")
# Seconds between two looks for queued import jobs: the page polls every second, so a job starts about as soon.
JOB_POLL = 1.0


class Command(BaseCommand):
    # No system checks at start: they import every URL configuration and model, so a broken module elsewhere (or a
    # half-written file during a deployment) would keep the reminders from starting, or a restart from coming back.
    # `fuyuan check` and the web server run them.
    requires_system_checks: list[str] = []
    help = "定时任务进程：每隔一段时间执行一次 sweep（逾期/临期提醒、开庭两提与督办、发送通知），直到收到 SIGTERM 或 Ctrl-C。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help=f"两次执行之间的秒数（默认取 FUYUAN_SWEEP_INTERVAL，当前为 {settings.FUYUAN_SWEEP_INTERVAL}）",
        )
        parser.add_argument("--once", action="store_true", help="只执行一次后退出")

    def handle(self, *args: Any, interval: float | None, once: bool, **options: Any) -> None:
        interval = settings.FUYUAN_SWEEP_INTERVAL if interval is None else interval
        if interval <= 0:
            raise CommandError(f"--interval 必须大于 0（收到 {interval:g}）")
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"定时任务进程已启动，每 {interval:g} 秒执行一次" + ("（仅执行一次）" if once else ""))
        self.stdout.flush()
        try:
            while not stop.is_set():
                self.run_once()
                self.run_import_jobs()
                if once:
                    break
                next_sweep = time.monotonic() + interval
                while not stop.wait(min(JOB_POLL, max(next_sweep - time.monotonic(), 0))):
                    if time.monotonic() >= next_sweep:
                        break
                    self.run_import_jobs()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("定时任务进程已停止")

    def run_once(self) -> bool:
        """One sweep; a failure is logged with its traceback and does not stop the loop."""
        refresh_connections()
        try:
            report = run_sweep()
        except Exception:
            logger.exception(
                "定时任务执行失败（%s），下一次照常执行", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
            )
            return False
        finally:
            refresh_connections()
        self.stdout.write(report.summary())
        self.stdout.flush()
        return True

    def run_import_jobs(self) -> int:
        """Every queued ledger import job (``cases.import_jobs``); a failure is logged and the loop goes on."""
        refresh_connections()
        try:
            # Imported here: a module of the import that fails to load stops the imports, never the reminders.
            from fuyuan.cases.import_jobs import run_queued_jobs

            return run_queued_jobs()
        except Exception:
            logger.exception("台账导入任务执行失败，稍后重试")
            return 0
        finally:
            refresh_connections()


def refresh_connections() -> None:
    """Drop a connection the database closed or that has outlived CONN_MAX_AGE, as Django does per request, so
    a worker that runs for months does not keep a dead connection (none is in a transaction between runs)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
