"""The minimum sample (FUYUAN_REPORT_DUTY_MIN_CASES, a local rule, default 10): a county with fewer first-instance
cases concluded in the window gets no written-report duty however high its rate, so one early loss does not open
the year's duty; once it reaches the minimum above the threshold it gets one, and only one for the window."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.accountability.models import ReportDuty
from fuyuan.accountability.workflow import open_report_duties
from fuyuan.notifications.sweep import run_sweep
from tests.accountability.conftest import conclude
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


@pytest.fixture
def rules(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_LOSS_THRESHOLD = "30"
    settings.FUYUAN_LOSS_WINDOW = "year"
    settings.FUYUAN_REPORT_DUTY_MIN_CASES = 10


def duties() -> list[tuple[str, int, int, int]]:
    return [(d.county.name, d.year, d.lost, d.concluded) for d in ReportDuty.objects.select_related("county")]


def test_one_early_loss_of_one_case_does_not_open_the_years_duty(world: World, rules: None) -> None:
    conclude(world.orgs["都匀自然资源局"], lost=1, total=1, day=D(2026, 1, 2))

    assert open_report_duties(at(D(2026, 1, 3))) == []  # 1 of 1, 100%: below the minimum of 10
    assert duties() == []


def test_nine_concluded_get_none_and_the_tenth_opens_the_one_duty_of_the_window(world: World, rules: None) -> None:
    agency = world.orgs["都匀自然资源局"]
    conclude(agency, lost=9, total=9, day=D(2026, 2, 10))
    assert open_report_duties(at(D(2026, 2, 11))) == []  # 9 of 9, 100%: one short of the minimum

    conclude(agency, lost=0, total=1, day=D(2026, 2, 12))
    opened = open_report_duties(at(D(2026, 2, 13)))  # 9 of 10, 90%: at the minimum
    conclude(agency, lost=5, total=5, day=D(2026, 3, 1))
    again = open_report_duties(at(D(2026, 3, 2)))

    assert [d.county.name for d in opened] == ["都匀市"]
    assert again == []
    assert duties() == [("都匀市", 2026, 9, 10)]


def test_the_minimum_is_a_setting(world: World, rules: None, settings) -> None:  # type: ignore[no-untyped-def]
    conclude(world.orgs["都匀自然资源局"], lost=1, total=1, day=D(2026, 1, 2))
    settings.FUYUAN_REPORT_DUTY_MIN_CASES = 1

    opened = open_report_duties(at(D(2026, 1, 3)))

    assert [(d.county.name, d.lost, d.concluded) for d in opened] == [("都匀市", 1, 1)]


def test_the_sweep_applies_the_minimum_and_the_list_page_states_it(client: Client, world: World, rules: None) -> None:
    conclude(world.orgs["都匀自然资源局"], lost=4, total=9, day=D(2026, 2, 10))
    conclude(world.orgs["福泉公安局"], lost=4, total=10, day=D(2026, 2, 10))

    report = run_sweep(at(D(2026, 2, 11)))

    assert [d.county.name for d in report.report_duties.opened] == ["福泉市"]
    assert client.login(username="rol_pref", password=PASSWORD)
    page = client.get("/accountability/").content.decode()
    assert "一审结案不少于 10 件" in page
    assert page.count('data-testid="duty-row"') == 1
