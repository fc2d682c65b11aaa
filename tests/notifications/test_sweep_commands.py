"""``fuyuan sweep`` and ``fuyuan worker``: the sweep from the command line, once or in a loop."""

import datetime
import logging
import os
import signal
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fuyuan.core.models import Event
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.notifications.management.commands import worker
from fuyuan.notifications.models import Notification
from fuyuan.notifications.sweep import SweepReport, run_sweep
from tests.factories import World
from tests.notifications.test_sweep import docket

pytestmark = pytest.mark.django_db

FUYUAN = Path(sys.executable).with_name("fuyuan")
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep", *args, stdout=out)
    return out.getvalue()


def test_sweep_at_a_given_moment_does_that_moments_work_and_says_so(world: World) -> None:
    d = docket(world)

    first = sweep("--now", "2026-03-18T10:00")
    again = sweep("--now", "2026-03-18 10:01+08:00")

    assert first.startswith("2026-03-18 10:00 定时任务：")
    assert "新标记逾期 1 项期限" in first and "未指定负责人督办 1 件" in first
    assert "新标记逾期 0 项期限" in again and "未指定负责人督办 0 件" in again
    assert Deadline.objects.get(case=d.overdue[0], rule_id="litigation.defence").state == DeadlineState.OVERDUE
    assert Event.objects.filter(action="deadline_overdue").count() == 1


def test_sweep_with_an_impossible_moment_is_refused_with_the_reason(db: None) -> None:
    with pytest.raises(CommandError, match="--now 的时间无效：“2026-02-30T09:00”"):
        sweep("--now", "2026-02-30T09:00")


def test_the_fuyuan_command_exits_non_zero_with_one_line_on_a_bad_moment(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    result = subprocess.run(
        [str(FUYUAN), "sweep", "--now", "tomorrow"], capture_output=True, text=True, env=env, timeout=120
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: --now 的时间无效：“tomorrow”（应为 ISO 格式，例如 2026-10-05T09:00）"
    ]


def test_worker_once_runs_one_sweep_and_stops(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    docket(world)
    monkeypatch.setattr(worker, "run_sweep", lambda: run_sweep(datetime.datetime(2026, 3, 18, 10, tzinfo=CHINA)))
    out = StringIO()

    call_command("worker", "--once", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "定时任务进程已启动，每 60 秒执行一次（仅执行一次）"
    assert lines[1].startswith("2026-03-18 10:00 定时任务：") and "新标记逾期 1 项期限" in lines[1]
    assert lines[2] == "定时任务进程已停止"
    assert Notification.objects.filter(dedup_key__endswith=":overdue").exists()


def test_a_failing_run_is_logged_and_the_worker_goes_on_until_sigterm(
    db: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def flaky() -> SweepReport:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("数据库暂时不可用")
        if len(calls) == 3:
            signal.raise_signal(signal.SIGTERM)  # as `systemctl stop` would, in the middle of a run
        return run_sweep(datetime.datetime(2026, 3, 18, 10, len(calls), tzinfo=CHINA))

    monkeypatch.setattr(worker, "run_sweep", flaky)
    handler_before = signal.getsignal(signal.SIGTERM)
    out = StringIO()

    with caplog.at_level(logging.ERROR, logger="fuyuan.worker"):
        call_command("worker", "--interval", "0.01", stdout=out)

    assert len(calls) == 3  # the run that got the signal finished, and no other started
    assert "定时任务执行失败" in caplog.text and "数据库暂时不可用" in caplog.text
    lines = out.getvalue().splitlines()
    assert [line[:16] for line in lines[1:3]] == ["2026-03-18 10:02", "2026-03-18 10:03"]
    assert lines[-1] == "定时任务进程已停止"
    assert signal.getsignal(signal.SIGTERM) == handler_before


def test_worker_refuses_an_interval_that_is_not_positive(db: None) -> None:
    with pytest.raises(CommandError, match="--interval 必须大于 0"):
        call_command("worker", "--interval", "0")
