"""Each step of the sweep and each row of a step fail alone (issue 13 item 5): a row that raises on every run is
logged and held back, its next try moves forward, and the rest of its step, every later step and the sending go
on (the Healthchecks ``sendalerts`` lesson)."""

import datetime
import logging
from typing import Any

import pytest

from fuyuan.deadlines import reminders
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.hearings import workflow as hearings
from fuyuan.notifications.models import Notification, NotificationState
from fuyuan.notifications.sweep import run_sweep
from fuyuan.obligations.models import Obligation
from tests.factories import World
from tests.notifications.test_sweep import NOW, SENT_SMS, docket

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings: Any) -> list[tuple[str, str]]:
    settings.FUYUAN_SMS_BACKEND = "tests.notifications.test_sweep.RecordingGateway"
    SENT_SMS.clear()
    return SENT_SMS


@pytest.fixture
def poison(world: World, monkeypatch: pytest.MonkeyPatch) -> Deadline:
    """Of two overdue deadlines, the first cannot have its messages written (a bad row), on every run."""
    d = docket(world, size=2)
    bad = Deadline.objects.get(case=d.overdue[0], rule_id="litigation.defence")
    messages = reminders._messages

    def failing_for_the_bad_row(deadline: Deadline, *args: Any, **kwargs: Any) -> Any:
        if deadline.pk == bad.pk:
            raise ValueError("损坏的记录")
        return messages(deadline, *args, **kwargs)

    monkeypatch.setattr(reminders, "_messages", failing_for_the_bad_row)
    return bad


def test_a_row_that_raises_stops_neither_its_step_nor_the_later_steps_nor_the_sending(
    poison: Deadline, mailoutbox: list, sms: list, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="fuyuan.sweep"):
        report = run_sweep(NOW)

    # The other overdue deadline of the same step is marked and told; the bad one is left open.
    assert report.deadlines.overdue == 1 and report.deadlines.failed == 1
    assert Deadline.objects.get(pk=poison.pk).state == DeadlineState.OPEN
    assert Deadline.objects.filter(state=DeadlineState.OVERDUE).count() == 1
    # The later steps ran and everything due was sent.
    assert (report.hearings.reminded_t7, report.hearings.escalated) == (2, 2)
    assert report.sending.sent > 0 and len(mailoutbox) > 0 and len(sms) > 0
    assert not Notification.objects.filter(state=NotificationState.PENDING).exists()
    assert not Notification.objects.filter(dedup_key=f"deadline:{poison.pk}:overdue").exists()
    # Logged with the step and the row, and said in the summary.
    [logged] = [r for r in caplog.records if r.name == "fuyuan.sweep"]
    assert (logged.step, logged.row_id) == ("deadlines.deadline", poison.pk)  # type: ignore[attr-defined]
    assert "损坏的记录" in logged.getMessage() and logged.exc_info is not None
    assert "1 条记录处理出错，已记录日志，稍后重试" in report.summary()


def test_the_bad_row_is_tried_again_later_not_every_minute(poison: Deadline, monkeypatch: pytest.MonkeyPatch) -> None:
    run_sweep(NOW)
    failure = Obligation.objects.get(kind="deadlines.deadline", subject_id=poison.pk)  # its due obligation
    assert failure.failures == 1 and failure.next_check_at == NOW + datetime.timedelta(minutes=10)
    assert "ValueError: 损坏的记录" in failure.last_error

    # A minute later it is not tried: nothing fails, nothing more is logged.
    later = run_sweep(NOW + datetime.timedelta(minutes=1))
    assert (later.deadlines.failed, later.deadlines.overdue) == (0, 0)

    # At its retry time it is tried again, fails again, and waits longer.
    again = run_sweep(failure.next_check_at)
    assert again.deadlines.failed == 1
    failure.refresh_from_db()
    assert failure.failures == 2 and failure.next_check_at > again.at + datetime.timedelta(minutes=59)

    # Repaired, it goes through at its next try and its failure record is gone.
    monkeypatch.undo()
    repaired = run_sweep(failure.next_check_at)
    assert (repaired.deadlines.overdue, repaired.deadlines.failed) == (1, 0)
    assert Deadline.objects.get(pk=poison.pk).state == DeadlineState.OVERDUE
    failure.refresh_from_db()
    assert (failure.failures, failure.last_error) == (0, "")


def test_a_step_that_fails_outright_is_logged_and_the_later_steps_and_sending_still_run(
    world: World, mailoutbox: list, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    docket(world)

    def broken(now: datetime.datetime) -> None:
        raise RuntimeError("数据库暂时不可用")

    monkeypatch.setattr(hearings, "sweep_hearings", broken)
    with caplog.at_level(logging.ERROR, logger="fuyuan.sweep"):
        report = run_sweep(NOW)

    assert report.failed_steps == ["开庭"]
    assert report.deadlines.overdue == 1 and report.sending.sent > 0 and len(mailoutbox) == 2
    assert any(getattr(r, "step", None) == "开庭" for r in caplog.records)
    assert report.summary().endswith("；步骤出错：开庭，已记录日志。")
