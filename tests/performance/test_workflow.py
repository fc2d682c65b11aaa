"""The performance paths (SPEC §6.9, 行政诉讼法 第96条): a judgment against the agency takes effect and its item opens;
performed on time; performed late with the court's 罚款 and 司法建议 (→ a 销账本 item); overdue and chased once."""

from __future__ import annotations

import pytest

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.models import Event
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Notification
from fuyuan.obligations.models import Obligation, ObligationState
from fuyuan.obligations.workflow import sweep
from fuyuan.performance.models import Duty, ItemState, Measure, MeasureKind, PerformanceItem
from fuyuan.performance.workflow import (
    ITEM,
    PerformanceError,
    confirm_performance,
    open_item,
    record_measure,
    record_non_performance,
    report_performance,
    set_terms,
)
from fuyuan.rectification.models import Item as RectificationItem
from fuyuan.rectification.models import RecommendationKind
from tests.factories import World, make_case
from tests.performance.conftest import EFFECTIVE, D, judge, pdf

pytestmark = pytest.mark.django_db


def actions(item: PerformanceItem) -> list[str]:
    return [e.action for e in timeline(item.case).order_by("at", "pk") if e.action.startswith("performance")]


def obligation(item: PerformanceItem) -> Obligation:
    return Obligation.objects.get(kind=ITEM, subject_id=item.pk)


def test_a_loss_that_takes_effect_opens_its_item_with_the_local_default_due_date(lost: PerformanceItem) -> None:
    # 2026-11-02 + 60 days = 2027-01-01 (元旦): the period ends on the next working day the calendar knows.
    assert (lost.agency.name, lost.court.name, lost.duty) == ("都匀市自然资源局", "都匀市人民法院", Duty.PAY)
    assert lost.effective_on == EFFECTIVE and lost.state == ItemState.OPEN
    assert lost.due_on == work_calendar().end_on_workday(D(2027, 1, 1)) and "本地默认值" in lost.due_rule
    assert obligation(lost).due_on == lost.due_on and obligation(lost).owner_organisation_id == lost.agency_id
    assert actions(lost) == ["performance_opened"]
    assert Notification.objects.filter(
        dedup_key=f"performance:{lost.pk}:opened", recipient__username="agency_duyun"
    ).exists()


def test_no_item_opens_for_a_case_not_lost_or_not_yet_effective_and_only_one_per_case(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 3))
    org, court = world.orgs["都匀自然资源局"], world.orgs["都匀法院"]
    dismissed = judge(make_case(defendant=org, court=court), world, outcome=LitigationOutcome.CLAIM_DISMISSED)
    pending = make_case(defendant=org, court=court)
    from fuyuan.cases.workflow import update_case

    update_case(
        pending, {"concluded_on": D(2026, 10, 10), "outcome": LitigationOutcome.REVOKED}, by=world.users["court_duyun"]
    )
    assert not PerformanceItem.objects.filter(case__in=[dismissed, pending]).exists()
    # The court liaison records the effective date later: the item opens then, once.
    update_case(pending, {"effective_on": EFFECTIVE}, by=world.users["court_duyun"])
    update_case(pending, {"note": "已送达"}, by=world.users["court_duyun"])
    assert PerformanceItem.objects.filter(case=pending).get().duty == Duty.REDO
    with pytest.raises(PerformanceError, match="不是败诉"):
        open_item(dismissed, duty=Duty.OTHER, text="x", by=world.users["court_duyun"])


def test_performed_on_time_settles_the_obligation_and_the_sweep_sends_nothing(
    lost: PerformanceItem, world: World, files, clock
) -> None:  # type: ignore[no-untyped-def]
    court, agency = world.users["court_duyun"], world.users["agency_duyun"]
    set_terms(lost, duty=Duty.PAY, text="支付补偿款 20000 元", due_on=D(2026, 12, 2), by=court)
    clock(D(2026, 11, 20))
    report_performance(lost, text="已于 11 月 19 日转账支付", upload=pdf(), by=agency)
    confirm_performance(lost, performed_on=D(2026, 11, 19), by=court)
    lost.refresh_from_db()
    assert lost.state == ItemState.PERFORMED and not lost.performed_late
    assert obligation(lost).state == ObligationState.MET
    clock(D(2026, 12, 10))
    assert sweep().of(ITEM) == (0, 0, 0)
    assert actions(lost) == ["performance_opened", "performance_terms", "performance_reported", "performance_confirmed"]
    assert "按期履行" in timeline(lost.case).get(action="performance_confirmed").summary
    with pytest.raises(PerformanceError, match="已按期履行"):
        record_measure(lost, kind=MeasureKind.PUBLICATION, taken_on=D(2026, 11, 20), text="公告", by=court)


def test_performed_late_with_the_courts_fine_and_judicial_advice_which_opens_a_rectification_item(
    lost: PerformanceItem, world: World, government, files, clock
) -> None:  # type: ignore[no-untyped-def]
    court, agency = world.users["court_duyun"], world.users["agency_duyun"]
    # given the judgment's own period
    set_terms(lost, duty=Duty.PAY, text="支付补偿款 20000 元", due_on=D(2026, 11, 20), by=court)
    clock(D(2026, 11, 25))
    # when the court records it unperformed and fines the head, and the agency then performs and reports
    record_non_performance(lost, note="期满未支付", by=court)
    fine = record_measure(lost, kind=MeasureKind.FINE, taken_on=D(2026, 11, 25), daily_fine=80,
                          text="自期满之日起对局长按日处八十元罚款", by=court)  # fmt: skip
    clock(D(2026, 11, 27))
    report_performance(lost, text="已于 11 月 26 日支付", upload=pdf(), by=agency)
    confirm_performance(lost, performed_on=D(2026, 11, 26), by=court)
    advice = record_measure(
        lost, kind=MeasureKind.JUDICIAL_ADVICE, taken_on=D(2026, 11, 27), recipient=government, number="（2026）黔2701司建3号",
        document=pdf("司法建议书.pdf"), text="建议对逾期履行问题督促整改", by=court,
    )  # fmt: skip
    # then the item is performed late by 6 days, with both measures
    lost.refresh_from_db()
    assert lost.state == ItemState.PERFORMED and lost.performed_late and lost.days_late(D(2026, 12, 1)) == 6
    assert fine.daily_fine == 80
    assert [m.kind for m in Measure.objects.filter(item=lost)] == [MeasureKind.FINE, MeasureKind.JUDICIAL_ADVICE]
    rec = advice.recommendation
    assert rec is not None and rec.kind == RecommendationKind.JUDICIAL and rec.case_id == lost.case_id
    assert (rec.issuer.name, rec.recipient.name) == ("都匀市人民法院", "都匀市人民政府")
    owed = RectificationItem.objects.get(recommendation=rec)
    assert owed.owner == government and "督促都匀市自然资源局履行生效裁判" in owed.text
    assert Obligation.objects.filter(kind="rectification.item", subject_id=owed.pk, state="open").exists()
    assert actions(lost) == [
        "performance_opened", "performance_terms", "performance_refused", "performance_measure",
        "performance_reported", "performance_confirmed", "performance_measure",
    ]  # fmt: skip
    confirmed = timeline(lost.case).get(action="performance_confirmed").summary
    assert "逾期履行（超过期限 6 日）" in confirmed
    assert "已列入销账本" in timeline(lost.case).filter(action="performance_measure").last().summary  # type: ignore[union-attr]


def test_overdue_is_chased_once_by_the_sweep(lost: PerformanceItem, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    set_terms(lost, duty=Duty.REDO, text="重新作出行政行为", due_on=D(2026, 11, 20), by=world.users["court_duyun"])
    clock(D(2026, 11, 18))
    first = sweep()
    assert first.of(ITEM) == (1, 0, 0)  # 临期: three days before
    clock(D(2026, 11, 21))
    assert sweep().of(ITEM) == (0, 1, 0)
    clock(D(2026, 11, 28))
    assert sweep().of(ITEM) == (0, 0, 0)
    assert actions(lost).count("performance_overdue") == 1
    told = set(
        Notification.objects.filter(dedup_key=f"performance:{lost.pk}:overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"agency_duyun", "court_duyun"}
    assert lost.is_overdue(D(2026, 11, 28))


def test_refusals_name_the_problem_and_write_nothing(lost: PerformanceItem, world: World, files, clock) -> None:  # type: ignore[no-untyped-def]
    court, agency = world.users["court_duyun"], world.users["agency_duyun"]
    events = Event.objects.count()
    with pytest.raises(PerformanceError, match="无权"):
        confirm_performance(lost, performed_on=D(2026, 11, 3), by=agency)
    with pytest.raises(PerformanceError, match="无权"):
        report_performance(lost, text="已履行", upload=pdf(), by=world.users["agency_fuquan"])
    with pytest.raises(PerformanceError, match="请上传履行证明材料"):
        report_performance(lost, text="已履行", upload=None, by=agency)
    with pytest.raises(PerformanceError, match="早于裁判生效日期"):
        set_terms(lost, duty=Duty.PAY, text="支付", due_on=D(2026, 10, 1), by=court)
    with pytest.raises(PerformanceError, match="尚未届满"):
        record_non_performance(lost, note="未支付", by=court)
    clock(lost.due_on.replace(year=2027, month=2, day=1))
    with pytest.raises(PerformanceError, match="50 元至 100 元"):
        record_measure(lost, kind=MeasureKind.FINE, taken_on=D(2027, 2, 1), daily_fine=120, text="罚款", by=court)
    with pytest.raises(PerformanceError, match="接受司法建议的机关"):
        record_measure(lost, kind=MeasureKind.JUDICIAL_ADVICE, taken_on=D(2027, 2, 1), text="建议", by=court)
    with pytest.raises(PerformanceError, match="届满后"):
        record_measure(lost, kind=MeasureKind.PUBLICATION, taken_on=lost.due_on, text="公告", by=court)
    assert Event.objects.count() == events and not Measure.objects.exists()
    lost.refresh_from_db()
    assert lost.state == ItemState.OPEN
