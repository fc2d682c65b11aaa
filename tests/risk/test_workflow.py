"""The levels through the workflow: set by the sweep only when data changed, each change an Event on the case's
timeline, a red case notified once to its agency and the county's 依法治办, thresholds set by the 州 依法治办."""

from __future__ import annotations

import datetime

import pytest

from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Notification
from fuyuan.notifications.sweep import run_sweep
from fuyuan.risk.models import CaseRisk, Level, RiskModelRun, RiskSettings
from fuyuan.risk.workflow import LEVEL_EVENT, RiskError, refresh_region, set_thresholds
from tests.conftest import Clock
from tests.factories import World
from tests.risk.conftest import D, concluded_history, pending

pytestmark = pytest.mark.django_db


def _red_notices(case: Case) -> list[Notification]:
    return list(Notification.objects.filter(dedup_key=f"risk:{case.pk}:red").select_related("recipient"))


def test_a_red_case_notifies_the_agency_and_the_county_office_once(world: World, clock: Clock) -> None:
    # given
    concluded_history(world)
    red = pending(world, "都匀自然资源局")
    green = pending(world, "福泉公安局")
    pref = world.regions["黔南州"]

    # when the model is trained
    assert refresh_region(pref).trained

    # then
    assert CaseRisk.objects.get(case=red).level == Level.RED
    assert CaseRisk.objects.get(case=green).level == Level.GREEN
    told = {n.recipient.username for n in _red_notices(red)}
    assert told == {"agency_duyun", "rol_duyun"}
    assert not _red_notices(green)
    assert "败诉风险红色预警" in _red_notices(red)[0].subject

    # when the data changes, the model is trained again, and the case stays red (or leaves red and comes back)
    set_thresholds(pref, red=0.9, orange=0.5, yellow=0.2, by=world.users["rol_pref"])
    set_thresholds(pref, red=0.45, orange=0.3, yellow=0.2, by=world.users["rol_pref"])
    pending(world, "福泉公安局")
    assert refresh_region(pref).trained

    # then nobody is told twice
    assert len(_red_notices(red)) == 2


def test_each_level_change_is_an_event_on_the_cases_timeline(world: World, clock: Clock) -> None:
    concluded_history(world)
    case = pending(world, "都匀自然资源局")
    pref = world.regions["黔南州"]
    refresh_region(pref)

    first = list(timeline(case).filter(action=LEVEL_EVENT))
    assert [e.summary.split("（")[0] for e in first] == ["败诉风险预警：无 → 红色"]

    # a threshold change moves the case to orange: one more event, by the office
    set_thresholds(pref, red=0.95, orange=0.3, yellow=0.2, by=world.users["rol_pref"])
    events = list(timeline(case).filter(action=LEVEL_EVENT).order_by("id"))
    assert len(events) == 2 and "红色 → 橙色" in events[1].summary and events[1].actor == world.users["rol_pref"]

    # the case concludes: it leaves the list with an event
    Case.objects.filter(pk=case.pk).update(concluded_on=D(2026, 12, 1), outcome="claim_dismissed", version=2)
    refresh_region(pref)
    assert not CaseRisk.objects.filter(case=case).exists()
    assert "橙色 → 无（已结案）" in timeline(case).filter(action=LEVEL_EVENT).order_by("id").last().summary  # type: ignore[union-attr]


def test_the_sweep_trains_again_only_when_the_data_changed(world: World, clock: Clock) -> None:
    concluded_history(world)
    case = pending(world, "都匀自然资源局")

    first = run_sweep().risk
    assert first.trained == ["黔南州"] and first.changed_levels == 1
    trained_at = RiskModelRun.objects.get(region=world.regions["黔南州"]).trained_at
    events = Event.objects.filter(action=LEVEL_EVENT).count()

    # the next sweep, nothing changed: no training, no event, the same levels
    clock.shift(datetime.timedelta(minutes=5))
    again = run_sweep().risk
    assert again.trained == [] and again.unchanged == 1
    assert RiskModelRun.objects.get(region=world.regions["黔南州"]).trained_at == trained_at
    assert Event.objects.filter(action=LEVEL_EVENT).count() == events

    # a case edited: trained again
    Case.objects.filter(pk=case.pk).update(head_appeared=False, hearing_on=D(2026, 11, 30), version=2)
    clock.shift(datetime.timedelta(minutes=5))
    assert run_sweep().risk.trained == ["黔南州"]


def test_a_region_with_too_little_history_gets_no_levels(world: World, clock: Clock) -> None:
    concluded_history(world, n=8)
    pending(world, "都匀自然资源局")

    done = refresh_region(world.regions["黔南州"])

    assert "历史数据不足" in done.shortfall
    assert not CaseRisk.objects.exists()
    assert "历史数据不足" in RiskModelRun.objects.get().shortfall


def test_only_the_prefectures_office_sets_thresholds_in_order(world: World) -> None:
    pref = world.regions["黔南州"]
    for user in ("rol_duyun", "leader_pref", "agency_duyun"):
        with pytest.raises(RiskError, match="只有州（市）依法治办"):
            set_thresholds(pref, red=0.6, orange=0.4, yellow=0.2, by=world.users[user])
    with pytest.raises(RiskError, match="黄色预警下限 < 橙色预警下限 < 红色预警下限"):
        set_thresholds(pref, red=0.3, orange=0.4, yellow=0.2, by=world.users["rol_pref"])
    with pytest.raises(RiskError, match="“红色预警下限”须在0到1之间"):
        set_thresholds(pref, red=1.2, orange=0.4, yellow=0.2, by=world.users["rol_pref"])
    assert not RiskSettings.objects.exists()

    settings = set_thresholds(pref, red=0.6, orange=0.4, yellow=0.2, by=world.users["rol_pref"])

    assert settings.thresholds.red == 0.6
    assert "红≥45%、橙≥30%、黄≥20% → 红≥60%、橙≥40%、黄≥20%" in timeline(settings).get().summary
