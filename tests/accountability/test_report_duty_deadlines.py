"""The sweep chases the written report (SPEC §4): due within three days, the county government's liaisons and the
county's 依法治办 are reminded once; past its date, they and the 州 依法治办 are told once; a report already sent is
not chased; the list and the file show 已逾期 while the report is owed after its date.

都匀市's duty opens on 18 March 2026 and is due on 17 April (conftest: 30 calendar days)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from fuyuan.accountability.models import ReportDuty
from fuyuan.accountability.workflow import (
    DUTY,
    chase_report_duties,
    open_report_duties,
    return_report,
    submit_report,
)
from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.sweep import SweepReport, run_sweep
from fuyuan.obligations.models import Obligation
from tests.accountability.conftest import NOW, Setup, pdf
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("clock")

D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def told(subject: str) -> list[str]:
    """Who got ``subject`` in the inbox, by user name."""
    rows = Notification.objects.filter(channel=Channel.IN_APP, subject=subject)
    return sorted(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def duty(setup: Setup, settings) -> ReportDuty:  # type: ignore[no-untyped-def]
    settings.FUYUAN_DEADLINE_WARN_DAYS = 3
    (opened,) = open_report_duties(NOW)
    return opened


@pytest.mark.django_db
def test_a_report_due_within_three_days_is_reminded_to_the_county_once(duty: ReportDuty) -> None:
    assert chase_report_duties(at(D(2026, 4, 13))).warned == 0  # due 17 April: four days ahead

    report = chase_report_duties(at(D(2026, 4, 14)))
    again = chase_report_duties(at(D(2026, 4, 15)))

    assert (report.warned, report.overdue, again.warned) == (1, 0, 0)
    assert told("【书面报告】报告临期") == ["gov_duyun", "rol_duyun"]  # the 州 office is not bothered yet
    body = Notification.objects.filter(subject="【书面报告】报告临期", channel=Channel.IN_APP).first()
    assert body is not None and "将于2026年4月17日到期" in body.body and "请都匀市人民政府按期" in body.body
    assert body.link == f"/accountability/{duty.pk}/"
    assert "报告期限临近（2026-04-17），已提醒" in [e.summary for e in timeline(duty)]


@pytest.mark.django_db
def test_an_overdue_report_is_notified_once_to_the_county_and_the_prefecture_office(duty: ReportDuty) -> None:
    report = chase_report_duties(at(D(2026, 4, 20)))
    again = chase_report_duties(at(D(2026, 4, 21)))

    assert (report.warned, report.overdue) == (0, 1)  # missed the 临期 window entirely: only the 逾期 notice
    assert again.overdue == 0
    assert told("【书面报告】报告逾期") == ["gov_duyun", "rol_duyun", "rol_pref"]
    body = Notification.objects.filter(subject="【书面报告】报告逾期", recipient__username="rol_pref").get().body
    assert "已于2026年4月17日到期，已逾期3天，都匀市人民政府尚未报送" in body
    assert "报告期限已过3天，都匀市人民政府尚未报送，已督办" in [e.summary for e in timeline(duty)]


@pytest.mark.django_db
def test_a_report_sent_for_review_is_neither_reminded_nor_chased(setup: Setup, duty: ReportDuty) -> None:
    submit_report(duty, pdf(), by=setup.gov_duyun, now=at(D(2026, 4, 1)))

    report = chase_report_duties(at(D(2026, 4, 16)))
    later = chase_report_duties(at(D(2026, 5, 1)))

    assert (report.warned, report.overdue, later.warned, later.overdue) == (0, 0, 0, 0)
    assert not Notification.objects.filter(subject__in=["【书面报告】报告临期", "【书面报告】报告逾期"]).exists()


@pytest.mark.django_db
def test_a_returned_report_keeps_its_due_date_and_each_notice_still_goes_once(setup: Setup, duty: ReportDuty) -> None:
    chase_report_duties(at(D(2026, 4, 14)))  # reminded
    submit_report(duty, pdf(), by=setup.gov_duyun, now=at(D(2026, 4, 15)))
    return_report(duty, note="检查不够深入，请补充整改措施", by=setup.world.users["rol_pref"], now=at(D(2026, 4, 16)))

    still_due = chase_report_duties(at(D(2026, 4, 16)))
    overdue = chase_report_duties(at(D(2026, 4, 18)))

    assert (still_due.warned, still_due.overdue) == (0, 0)  # the reminder was sent before it was returned
    assert overdue.overdue == 1
    assert told("【书面报告】报告临期") == ["gov_duyun", "rol_duyun"]
    assert told("【书面报告】报告逾期") == ["gov_duyun", "rol_duyun", "rol_pref"]


@pytest.mark.django_db
def test_the_sweep_chases_the_reports_and_its_summary_says_so(duty: ReportDuty) -> None:
    first = run_sweep(at(D(2026, 4, 20)))
    second = run_sweep(at(D(2026, 4, 20), 11))

    assert "书面报告——无县(市、区)败诉率超过阈值，报告临期提醒 0 项，逾期督办 1 项；" in first.summary()
    assert "书面报告——今日已检查败诉率，报告临期提醒 0 项，逾期督办 0 项；" in second.summary()
    assert Obligation.objects.filter(kind=DUTY, chased_at__isnull=False).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sweeps at once need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_notice_once(duty: ReportDuty) -> None:
    start = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def worker(moment: datetime.datetime) -> None:
        try:
            start.wait()
            reports.append(run_sweep(moment))
        except BaseException as error:  # pragma: no cover — reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    for moment in (at(D(2026, 4, 14)), at(D(2026, 4, 20))):
        threads = [threading.Thread(target=worker, args=(moment,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert errors == []
    assert sum(r.report_deadlines.warned for r in reports) == 1
    assert sum(r.report_deadlines.overdue for r in reports) == 1
    assert told("【书面报告】报告临期") == ["gov_duyun", "rol_duyun"]
    assert told("【书面报告】报告逾期") == ["gov_duyun", "rol_duyun", "rol_pref"]
    assert Event.objects.filter(action__in=["warned", "overdue"]).count() == 2


# The 已逾期 badge: the pages compare the due date with today, so the due date is set around today.


def _due(duty: ReportDuty, days_from_today: int) -> None:
    ReportDuty.objects.filter(pk=duty.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=days_from_today))


def _pages(client: Client, duty: ReportDuty) -> tuple[str, str]:
    assert client.login(username="rol_pref", password=PASSWORD)
    listing = client.get("/accountability/").content.decode()
    detail = client.get(f"/accountability/{duty.pk}/").content.decode()
    return listing, detail


@pytest.mark.django_db
@pytest.mark.parametrize(("days_from_today", "overdue"), [(-1, True), (0, False), (10, False)])
def test_the_list_and_the_file_show_overdue_once_the_due_date_has_passed(
    client: Client, duty: ReportDuty, days_from_today: int, overdue: bool
) -> None:
    _due(duty, days_from_today)

    listing, detail = _pages(client, duty)

    assert ("已逾期" in listing) is overdue
    assert ("已逾期" in detail) is overdue


@pytest.mark.django_db
def test_a_report_sent_after_its_date_is_no_longer_shown_overdue(
    client: Client, setup: Setup, duty: ReportDuty
) -> None:
    submit_report(duty, pdf(), by=setup.gov_duyun)
    _due(duty, -5)

    listing, detail = _pages(client, duty)

    assert "已逾期" not in listing and "已逾期" not in detail
    assert "已报送待审核" in listing
