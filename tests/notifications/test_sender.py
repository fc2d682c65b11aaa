"""``send_due``: each due message is sent once, failures are retried with backoff and stay visible."""

import datetime
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from fuyuan.notifications import sender
from fuyuan.notifications.models import Channel, Notification, NotificationState
from fuyuan.notifications.sender import MAX_ATTEMPTS, send_due
from fuyuan.notifications.workflow import Address, notify
from tests.factories import World

pytestmark = pytest.mark.django_db

BROKEN = "tests.notifications.test_sender.BrokenGateway"


class BrokenGateway:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("短信网关无响应")


def remind(recipients: list, channels: tuple[str, ...], key: str = "hearing:42:reminder_t7", **kw: object) -> None:
    notify(
        recipients,
        subject="开庭提醒",
        body="（2026）黔2701行初12号案将于7日后开庭",
        link="/hearings/42/",
        dedup_key=key,
        channels=channels,
        **kw,  # type: ignore[arg-type]
    )


def later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_an_email_is_sent_once_even_when_the_sender_runs_twice(world: World, mailoutbox: list) -> None:
    agency = world.users["agency_duyun"]
    agency.email = "agency@duyun.example"
    agency.save()
    remind([agency], (Channel.EMAIL,))

    first, second = send_due(), send_due()

    assert (first.sent, second.sent) == (1, 0)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["agency@duyun.example"]
    assert mailoutbox[0].subject == "开庭提醒"
    assert "/hearings/42/" in mailoutbox[0].body
    row = Notification.objects.get()
    assert row.state == NotificationState.SENT
    assert row.sent_at is not None


def test_an_in_app_message_is_delivered_by_being_in_the_inbox(world: World) -> None:
    remind([world.users["agency_duyun"]], (Channel.IN_APP,))

    report = send_due()

    assert report.sent == 1
    assert Notification.objects.get().state == NotificationState.SENT


def test_a_message_not_yet_due_waits(world: World, mailoutbox: list) -> None:
    remind([Address(email="party@example.com")], (Channel.EMAIL,))

    report = send_due(now=timezone.now() - datetime.timedelta(minutes=1))

    assert report.sent == 0
    assert mailoutbox == []


def test_a_row_claimed_by_another_worker_is_skipped(
    db: None, mailoutbox: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    remind([Address(email="party@example.com")], (Channel.EMAIL,))
    read_by_both = sender.due_rows(timezone.now(), 500)
    assert send_due().sent == 1  # the other worker claims and sends it first

    monkeypatch.setattr(sender, "due_rows", lambda now, limit: read_by_both)
    report = send_due()

    assert (report.sent, report.skipped) == (0, 1)
    assert len(mailoutbox) == 1


def test_a_claim_succeeds_once_for_the_same_read(db: None) -> None:
    remind([Address(email="party@example.com")], (Channel.EMAIL,))
    first_read, second_read = Notification.objects.get(), Notification.objects.get()

    assert sender.claim(first_read, timezone.now()) is True
    assert sender.claim(second_read, timezone.now()) is False


def test_a_user_without_an_email_address_is_not_emailed_and_the_reason_is_kept(world: World, mailoutbox: list) -> None:
    remind([world.users["agency_duyun"]], (Channel.EMAIL,))

    report = send_due()

    row = Notification.objects.get()
    assert report.retrying == 1
    assert row.last_error == "没有邮箱地址"
    assert mailoutbox == []


def test_an_sms_is_written_to_the_development_log_with_the_number_masked(
    world: World, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    agency = world.users["agency_duyun"]
    remind([agency], (Channel.SMS,), phones={agency.pk: "13800000001"})

    send_due()
    send_due()

    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    _, phone, text = lines[0].split("\t")
    assert phone == "138****0001"
    assert text.startswith("【府院联动】开庭提醒：（2026）黔2701行初12号案将于7日后开庭")


@override_settings(FUYUAN_SMS_BACKEND=BROKEN)
def test_a_failed_sms_is_retried_later_with_growing_waits_then_given_up_after_five_attempts(db: None) -> None:
    remind([Address(phone="13800000001")], (Channel.SMS,))
    now = timezone.now()
    waits = []

    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = send_due(now=now)
        row = Notification.objects.get()
        assert row.attempts == attempt
        assert row.last_error == "短信网关无响应"
        assert send_due(now=now).sent + send_due(now=now).retrying == 0, "not retried before its time"
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at

    assert [w.total_seconds() / 60 for w in waits[:4]] == [1, 5, 30, 120]
    assert report.failed == 1
    assert row.state == NotificationState.FAILED
    assert send_due(now=now + datetime.timedelta(days=1)).failed == 0


def test_a_retry_that_succeeds_clears_the_error(db: None, settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    remind([Address(phone="13800000001")], (Channel.SMS,))
    with override_settings(FUYUAN_SMS_BACKEND=BROKEN):
        send_due()
    assert Notification.objects.get().last_error == "短信网关无响应"

    assert send_due().sent == 0, "waits a minute before the second attempt"
    report = send_due(now=later(2))

    row = Notification.objects.get()
    assert report.sent == 1
    assert (row.state, row.attempts, row.last_error) == (NotificationState.SENT, 2, "")
    assert (tmp_path / "sms.log").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two senders at once need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_senders_running_at_once_send_each_message_once(world: World, mailoutbox: list) -> None:
    notify(
        [Address(email=f"party{i}@example.com") for i in range(40)],
        subject="开庭提醒",
        body="明日开庭",
        dedup_key="hearing:42:reminder_t1",
        channels=(Channel.EMAIL,),
    )
    start = threading.Barrier(3)
    reports = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(send_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(r.sent for r in reports) == 40
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"party{i}@example.com" for i in range(40))
    assert Notification.objects.filter(state=NotificationState.SENT, attempts=1).count() == 40
