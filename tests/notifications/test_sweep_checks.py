"""``fuyuan sweep`` and ``fuyuan worker`` do not run Django's system checks: a cron sweep every minute must not be
stopped by a check that fails elsewhere (a broken module, a half-written file during a deployment)."""

from collections.abc import Iterator

import pytest
from django.core import checks
from django.core.management import execute_from_command_line


@pytest.fixture
def failing_check() -> Iterator[None]:
    def broken(**kwargs: object) -> list[checks.CheckMessage]:
        return [checks.Error("某个模块已损坏", id="tests.E001")]

    checks.register(broken)
    yield
    checks.registry.registry.registered_checks.discard(broken)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_although_a_system_check_fails(failing_check: None, capsys: pytest.CaptureFixture[str]) -> None:
    execute_from_command_line(["fuyuan", "sweep", "--now", "2026-03-18T10:00"])

    assert "2026-03-18 10:00 定时任务" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_although_a_system_check_fails(failing_check: None, capsys: pytest.CaptureFixture[str]) -> None:
    execute_from_command_line(["fuyuan", "worker", "--once"])

    assert "定时任务进程已停止" in capsys.readouterr().out


def test_another_command_still_runs_the_checks(failing_check: None) -> None:
    with pytest.raises(SystemExit):
        execute_from_command_line(["fuyuan", "deadline", "litigation.defence", "2026-03-02"])
