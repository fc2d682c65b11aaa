"""A certificate lapsing is warned once before its last day (临期) and once after it, to the body's legal staff and the
supervision staff, and its officer is listed under 证件预警 with the reason; a renewed certificate is not warned."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.core.timeline import timeline
from fuyuan.enforcement.workflow import CERTIFICATE
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.sweep import run_sweep
from tests.enforcement.conftest import D, add_officer
from tests.factories import World

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, channel=Channel.IN_APP)
        .order_by("id")
        .values_list("subject", flat=True)
    )


def test_a_lapsing_certificate_is_warned_once_and_its_officer_listed(people: World, clock) -> None:  # type: ignore[no-untyped-def]
    # given: 王强's certificate ends on 2026-12-20, within the 30 days' warning; 李明's in 2027-06
    wang = add_officer(people, "都匀自然资源局", "王强", "52270100001", valid_to=D(2026, 12, 20))
    add_officer(people, "都匀自然资源局", "李明", "52270100002", valid_to=D(2027, 6, 30))
    # when: the sweep runs, and again the next days
    report = run_sweep(at(D(2026, 12, 2)))
    run_sweep(at(D(2026, 12, 3)))
    run_sweep(at(D(2026, 12, 10)))
    # then: one warning each to the body's legal staff and the 州 supervision staff, none to another body's
    assert report.obligations.of(CERTIFICATE) == (1, 0, 0)
    assert "执法监督——执法证临期提醒 1 人，过期提醒 0 人" in report.summary()
    assert told("agency_duyun") == ["【执法监督】执法证临期"]
    assert told("zfjd_pref") == ["【执法监督】执法证临期"]
    assert told("agency_fuquan") == [] and told("zfjd_anyang") == []
    body = Notification.objects.get(recipient__username="agency_duyun", channel=Channel.IN_APP).body
    assert "王强" in body and "52270100001" in body and "2026-12-20" in body
    assert [e.action for e in timeline(wang)] == ["certificate_warned"]
    # and the officer is listed under 证件预警 with the reason, the other not
    client = Client()
    client.force_login(people.users["zfjd_pref"])
    page = client.get(reverse("enforcement:alerts")).content.decode()
    assert "王强" in page and "临期：18天后到期" in page and "李明" not in page
    # once lapsed, told once more, and listed as lapsed
    run_sweep(at(D(2026, 12, 21)))
    run_sweep(at(D(2026, 12, 22)))
    assert told("agency_duyun") == ["【执法监督】执法证临期", "【执法监督】执法证已过期"]
    clock(D(2026, 12, 22))
    client.force_login(people.users["zfjd_pref"])  # the session of three weeks ago has ended
    page = client.get(reverse("enforcement:alerts") + "?kind=lapsed").content.decode()
    assert "王强" in page and "已过期（2026-12-20 到期）" in page


def test_a_renewed_certificate_and_an_officer_who_left_are_not_warned(people: World) -> None:
    renewed = add_officer(people, "都匀自然资源局", "赵刚", "52270100003", valid_to=D(2026, 12, 20))
    renewed.certificates.create(number="52270100099", kind="enforcement", issued_on=D(2026, 11, 1),
                                valid_to=D(2032, 10, 31), review_due_on=D(2028, 11, 1))  # fmt: skip
    add_officer(people, "都匀自然资源局", "钱进", "52270100004", valid_to=D(2026, 12, 20), left_on=D(2026, 11, 1))
    report = run_sweep(at(D(2026, 12, 2)))
    assert report.obligations.of(CERTIFICATE) == (0, 0, 0)
    assert told("agency_duyun") == []


def test_an_overdue_review_is_listed_with_its_reason(people: World, clock) -> None:  # type: ignore[no-untyped-def]
    add_officer(people, "福泉公安局", "孙丽", "52270200001", valid_to=D(2028, 1, 9), issued_on=D(2022, 1, 10),
                reviewed_on=D(2024, 1, 10))  # fmt: skip
    client = Client()
    client.force_login(people.users["agency_fuquan"])
    page = client.get(reverse("enforcement:alerts") + "?kind=review").content.decode()
    assert "孙丽" in page and "审验逾期（应于 2026-01-10 前审验）" in page
