"""The sweep chases the 销账本 (SPEC §6.5): an item due within three days is reminded to its owner once; an item
past its due date is notified once to the owner and to the verifier; a reported or closed item gets nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.sweep import run_sweep
from fuyuan.obligations.models import Obligation
from fuyuan.rectification.workflow import ITEM, report_item, sweep_items
from tests.rectification.conftest import Ledger

D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def subjects(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
        .filter(subject__startswith="【整改销账】整改事项")
        .values_list("subject", flat=True)
    )


def test_an_item_due_within_three_days_is_reminded_to_its_owner_once(ledger: Ledger) -> None:
    u = ledger.world.users
    assert sweep_items(at(D(2026, 3, 27))).warned == 0  # the opinion's item is due 31 March: four days ahead
    report = sweep_items(at(D(2026, 3, 28)))
    assert (report.warned, report.overdue) == (1, 0)
    assert subjects(u["agency_fuquan"]) == ["【整改销账】整改事项临期"]
    assert sweep_items(at(D(2026, 3, 29))).warned == 0  # told once
    assert subjects(u["agency_fuquan"]) == ["【整改销账】整改事项临期"]
    assert subjects(u["recon_pref"]) == []  # the verifier is not bothered before the due date
    assert "第1项临期提醒" in [e.summary for e in timeline(ledger.opinion)]


def test_an_overdue_item_is_notified_once_to_the_owner_and_the_verifier(ledger: Ledger) -> None:
    u = ledger.world.users
    report = sweep_items(at(D(2026, 4, 2)))
    assert (report.warned, report.overdue) == (0, 1)  # missed the 临期 window entirely: only the 逾期 notice
    assert subjects(u["agency_fuquan"]) == ["【整改销账】整改事项逾期"]
    assert subjects(u["recon_pref"]) == ["【整改销账】整改事项逾期"]
    body = Notification.objects.filter(recipient=u["recon_pref"], subject="【整改销账】整改事项逾期").get().body
    assert "已逾期2天" in body and "福泉市公安局尚未报送整改情况" in body
    assert sweep_items(at(D(2026, 4, 3))).overdue == 0
    assert Notification.objects.filter(subject="【整改销账】整改事项逾期", channel=Channel.IN_APP).count() == 2
    assert "第1项整改逾期，已督办" in [e.summary for e in timeline(ledger.opinion)]


def test_a_reported_item_is_neither_reminded_nor_chased(ledger: Ledger) -> None:
    u = ledger.world.users
    item = ledger.opinion.items.get()
    report_item(item, text="已修订裁量基准", by=u["agency_fuquan"], now=at(D(2026, 3, 20)))
    report = sweep_items(at(D(2026, 4, 2)))
    assert (report.warned, report.overdue) == (0, 0)
    assert subjects(u["agency_fuquan"]) == [] and subjects(u["recon_pref"]) == []


def test_the_worker_sweep_includes_rectification_and_says_so(ledger: Ledger) -> None:
    report = run_sweep(at(D(2026, 4, 2)))
    assert report.rectification.overdue == 1
    assert "整改销账——临期提醒 0 项，逾期督办 1 项" in report.summary()
    again = run_sweep(at(D(2026, 4, 2)))
    assert again.rectification.overdue == 0
    assert Obligation.objects.filter(kind=ITEM, chased_at__isnull=False).count() == 1
