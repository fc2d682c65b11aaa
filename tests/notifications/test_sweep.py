"""``run_sweep``: one moment's reminders, escalations and overdue marks, then sending — once, however often
and however many sweeps run at the same time (issue 3: "the sweep run twice, and twice concurrently on
PostgreSQL, sends each reminder exactly once")."""

import datetime
import threading
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection, connections
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.workflow import sync_case_deadlines
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.hearings.workflow import register_hearing
from fuyuan.notifications.models import Notification, NotificationState
from fuyuan.notifications.sweep import SweepReport, run_sweep
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db

D = datetime.date
SENT_SMS: list[tuple[str, str]] = []


class RecordingGateway:
    def send(self, phone: str, text: str) -> None:
        SENT_SMS.append((phone, text))


@pytest.fixture(autouse=True)
def sms(settings: object) -> list[tuple[str, str]]:
    settings.FUYUAN_SMS_BACKEND = "tests.notifications.test_sweep.RecordingGateway"  # type: ignore[attr-defined]
    SENT_SMS.clear()
    return SENT_SMS


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class Docket:
    """What one county's week holds for the sweep of 18 March 2026 at 10:00."""

    overdue: list[Case]  # defence due 17 March: overdue
    due_soon: list[Case]  # defence due 20 March: 临期
    hearings: list[Hearing]  # held on 25 March: the T-7 reminder is due
    tomorrow: list[Hearing]  # held on 19 March, no head designated: T-1 reminder and escalation


NOW = at(D(2026, 3, 18))


def docket(world: World, size: int = 1) -> Docket:
    """``size`` of each kind, all at 都匀市自然资源局 before 都匀市人民法院; its liaison has email and a mobile."""
    agency = world.users["agency_duyun"]
    agency.email, agency.mobile = "fazhi@duyun.example", "13800000001"
    agency.save()
    court = world.users["court_duyun"]

    def case(n: int, served: datetime.date | None = None) -> Case:
        return make_case(
            number=f"（2026）黔2701行初{n}号",
            defendant=world.orgs["都匀自然资源局"],
            court=world.orgs["都匀法院"],
            filed_on=D(2026, 3, 1),
            complaint_served_on=served,
        )

    overdue = [case(1000 + n, D(2026, 3, 2)) for n in range(size)]
    due_soon = [case(2000 + n, D(2026, 3, 5)) for n in range(size)]
    sync_case_deadlines([c.pk for c in overdue + due_soon], today=D(2026, 3, 5))
    registered = at(D(2026, 3, 1))
    hearings = [register_hearing(case(3000 + n), held_on=D(2026, 3, 25), by=court, now=registered) for n in range(size)]
    tomorrow = [register_hearing(case(4000 + n), held_on=D(2026, 3, 19), by=court, now=registered) for n in range(size)]
    Notification.objects.all().delete()  # the registration notices are not the sweep's
    return Docket(overdue, due_soon, hearings, tomorrow)


def outbox() -> Counter[tuple[int | None, str, str]]:
    return Counter(Notification.objects.values_list("recipient_id", "channel", "dedup_key"))


def sweep_events() -> Counter[tuple[int, str]]:
    actions = ["deadline_overdue", "reminded_t7", "reminded_t1", "escalated"]
    return Counter(Event.objects.filter(action__in=actions).values_list("object_id", "action"))


def test_the_sweep_creates_the_moments_reminders_escalations_and_overdue_marks_and_sends_them(
    world: World, mailoutbox: list, sms: list
) -> None:
    d = docket(world)

    report = run_sweep(NOW)

    assert (report.deadlines.overdue, report.deadlines.warned) == (1, 1)
    assert (report.hearings.reminded_t7, report.hearings.reminded_t1, report.hearings.escalated) == (1, 1, 1)
    assert Deadline.objects.get(case=d.overdue[0], rule_id="litigation.defence").state == DeadlineState.OVERDUE
    assert Hearing.objects.get(pk=d.tomorrow[0].pk).state == HearingState.ESCALATED
    keys = {key for _, _, key in outbox()}
    overdue_id = Deadline.objects.get(case=d.overdue[0], rule_id="litigation.defence").pk
    soon_id = Deadline.objects.get(case=d.due_soon[0], rule_id="litigation.defence").pk
    assert keys == {
        f"deadline:{overdue_id}:overdue", f"deadline:{soon_id}:due_soon", f"hearing:{d.hearings[0].pk}:t7",
        f"hearing:{d.tomorrow[0].pk}:t1", f"hearing:{d.tomorrow[0].pk}:escalated",
    }  # fmt: skip
    # Everything due was sent in the same run: the liaison's email and SMS of each of the five occasions.
    assert not Notification.objects.filter(state=NotificationState.PENDING).exists()
    assert sorted(m.subject for m in mailoutbox) == sorted(
        Notification.objects.filter(channel="email").values_list("subject", flat=True)
    )
    assert len(mailoutbox) == 5 and len(sms) == 5
    assert report.sending.sent == Notification.objects.count()
    assert "新标记逾期 1 项期限" in report.summary()
    assert "开庭前7日提醒 1 件" in report.summary()


def test_the_sweep_run_twice_creates_and_sends_each_reminder_once(world: World, mailoutbox: list, sms: list) -> None:
    docket(world, size=3)

    first = run_sweep(NOW)
    rows, events, mails, texts = outbox(), sweep_events(), len(mailoutbox), len(sms)
    second = run_sweep(NOW + datetime.timedelta(minutes=1))

    assert (first.deadlines.overdue, first.hearings.reminded_t7, first.hearings.escalated) == (3, 3, 3)
    assert (second.deadlines.overdue, second.deadlines.warned) == (0, 0)
    assert (second.hearings.reminded_t7, second.hearings.reminded_t1, second.hearings.escalated) == (0, 0, 0)
    assert second.sending.sent == 0
    assert outbox() == rows and set(rows.values()) == {1}
    assert sweep_events() == events and set(events.values()) == {1}
    assert len(events) == 3 * 4  # overdue, T-7, T-1, escalation: three of each
    assert (len(mailoutbox), len(sms)) == (mails, texts) == (15, 15)


def test_emails_and_sms_created_in_the_night_wait_for_the_reminder_hour_the_inbox_has_them_at_once(
    world: World, mailoutbox: list, sms: list
) -> None:
    docket(world)

    night = run_sweep(at(D(2026, 3, 18), 0, 30))
    morning = run_sweep(at(D(2026, 3, 18), 9, 0))

    assert night.deadlines.overdue == 1
    assert night.sending.sent == 0
    assert morning.sending.sent > 0
    assert Notification.objects.filter(channel="in_app", recipient=world.users["agency_duyun"]).exists()
    assert any("逾期提醒" in m.subject for m in mailoutbox)


def test_the_summary_is_one_paragraph_in_chinese(world: World) -> None:
    report = run_sweep(NOW)

    assert isinstance(report, SweepReport)
    assert report.summary() == (
        "2026-03-18 10:00 定时任务：期限——临期提醒 0 项期限，新标记逾期 0 项期限；"
        "行政复议——视为受理 0 件，视为放弃申请 0 件；"
        "开庭——开庭前7日提醒 0 件，开庭前1日提醒 0 件，未指定负责人督办 0 件；"
        "书面报告——无县(市、区)败诉率超过阈值，报告临期提醒 0 项，逾期督办 0 项；"
        "领导包案——调度提醒 0 件；"
        "整改销账——临期提醒 0 项，逾期督办 0 项；"
        "联席会议——临期提醒 0 项，逾期督办 0 项；"
        "败诉风险提示——答复临期提醒 0 份，逾期督办 0 份；"
        "非诉执行——临期提醒 0 项，逾期督办 0 项；"
        "合法性审查——审查临期提醒 0 件，逾期督办 0 件；"
        "重大决策——临期提醒 0 项，逾期督办 0 项；"
        "执法监督——执法证临期提醒 0 人，过期提醒 0 人，重大执法决定备案临期提醒 0 件，未审核或逾期未备案督办 0 件；"
        "旁听庭审——未达标单位提醒 0 个，年度未达标督办 0 个，新纳入提醒的未达标单位 0 个；"
        "类案检索——更新检索文本 0 件；"
        "败诉风险预警——数据未变化，未重新训练；"
        "通知——已发送 0 条，失败待重试 0 条，最终失败 0 条，跳过 0 条（已由其他进程处理）。"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sweeps at once need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_running_at_once_create_and_send_each_reminder_once(
    world: World, mailoutbox: list, sms: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typing import Any

    from fuyuan.deadlines import reminders

    # Small chunks, so that the sweeps claim deadlines side by side rather than one taking everything.
    monkeypatch.setattr("fuyuan.deadlines.reminders.CHUNK", 3)
    docket(world, size=12)
    # Proof of overlap: each sweep, holding its first chunk of overdue deadlines locked in an open transaction, waits
    # for the other to hold one too. Neither gets past the barrier unless both are inside the claim at the same time,
    # on different rows (a sweep that blocked on the other's rows, or ran after it, would break the barrier).
    overlap = threading.Barrier(2, timeout=30)
    waited: set[int] = set()
    record_events = reminders.record_events

    def record_events_once_both_hold_rows(*args: Any, **kwargs: Any) -> int:
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            overlap.wait()
        return record_events(*args, **kwargs)

    monkeypatch.setattr(reminders, "record_events", record_events_once_both_hold_rows)
    start = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(run_sweep(NOW))
        except BaseException as error:  # pragma: no cover — reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(waited) == 2 and not overlap.broken
    # Both did part of the work, and together all of it, once.
    assert all(r.deadlines.overdue >= 3 for r in reports)
    assert sum(r.deadlines.overdue for r in reports) == 12
    assert sum(r.hearings.reminded_t7 for r in reports) == 12
    assert sum(r.hearings.escalated for r in reports) == 12
    events = sweep_events()
    assert len(events) == 12 * 4 and set(events.values()) == {1}
    assert Deadline.objects.filter(state=DeadlineState.OVERDUE).count() == 12
    # Each message sent once: as many emails and SMS as there are email and SMS rows, all sent.
    assert len(mailoutbox) == Notification.objects.filter(channel="email").count() == 12 * 5
    assert len(sms) == Notification.objects.filter(channel="sms").count() == 12 * 5
    assert not Notification.objects.exclude(state=NotificationState.SENT).exists()
