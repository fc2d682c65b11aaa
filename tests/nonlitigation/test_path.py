"""The path of a file (SPEC §6.9, 行政强制法 第53-58条): 催告 → applied too early, refused with the date it may apply →
applied in time → accepted → 准予 → executed by the court; and one handed to the government body under 裁执分离.
Every step is an event on the file's timeline, and each period a due obligation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.core.timeline import timeline
from fuyuan.nonlitigation.choices import ExecutionResult, Executor, Ruling, Stage
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.workflow import (
    PERIOD,
    EnforcementError,
    accept_application,
    apply_to_court,
    hand_over,
    record_execution,
    record_reminder,
    register_file,
    rule_on_application,
)
from fuyuan.obligations.models import ObligationState
from fuyuan.obligations.queries import of_subject
from tests.factories import World
from tests.nonlitigation.conftest import D, decision

pytestmark = pytest.mark.django_db


def obligations(file: EnforcementFile) -> list[tuple[str, str, str]]:
    return [(o.rule_id, o.due_on.isoformat(), o.state) for o in of_subject(PERIOD, file.pk)]


def test_the_periods_come_from_the_rules_and_the_application_falls_due_on_the_agency(
    registered: EnforcementFile,
) -> None:
    # 6 months from 5 March end on Saturday 5 September: Monday 7 September (litigation.filing_limit, later than
    # reconsideration.apply's 6 May); three months from there: 7 December (enforcement.application).
    assert (registered.remedy_end_on, registered.application_due_on) == (D(2026, 9, 7), D(2026, 12, 7))
    assert obligations(registered) == [("enforcement.application", "2026-12-07", ObligationState.OPEN)]
    assert [e.action for e in timeline(registered)] == ["registered"]


def test_an_application_before_any_reminder_is_refused_naming_article_54(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 10, 20))
    with pytest.raises(EnforcementError, match=r"尚未催告.*第54条"):
        apply_to_court(
            registered, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 20), by=world.users["agency_duyun"]
        )


def test_reminder_too_early_in_time_accepted_granted_executed_by_the_court(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    clock(D(2026, 9, 28))

    # 催告 served Monday 28 September: ten working days across National Day (1–7 October; Saturday 10 October a
    # working day) end on Friday 16 October; the agency may apply from the 17th.
    f = record_reminder(registered, number="都自然资催〔2026〕3号", served_on=D(2026, 9, 28), by=agency)
    assert (f.stage, f.reminder_wait_ends_on, f.may_apply_from) == (Stage.REMINDED, D(2026, 10, 16), D(2026, 10, 17))

    clock(D(2026, 10, 16))
    with pytest.raises(EnforcementError) as refused:
        apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 16), by=agency)
    assert "2026-10-17 起方可申请人民法院强制执行" in str(refused.value)
    assert "第54条" in str(refused.value)
    f.refresh_from_db()
    assert (f.stage, f.applied_on, f.court_id) == (Stage.REMINDED, None, None)

    clock(D(2026, 10, 19))
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)
    assert (f.stage, f.applied_late, f.acceptance_due_on) == (Stage.APPLIED, False, D(2026, 10, 26))

    clock(D(2026, 10, 21))
    f = accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="（2026）黔2701行审12号", by=court)
    assert (f.stage, f.ruling_due_on) == (Stage.ACCEPTED, D(2026, 10, 30))

    clock(D(2026, 10, 27))
    f = rule_on_application(
        f, ruling=Ruling.GRANTED, ruled_on=D(2026, 10, 27), ruling_number="（2026）黔2701行审12号裁定", by=court
    )
    assert f.stage == Stage.GRANTED

    clock(D(2026, 11, 5))
    f = record_execution(
        f, result=ExecutionResult.EXECUTED, executed_on=D(2026, 11, 5), text="违法建筑已拆除，罚款已缴清", by=court
    )
    assert (f.stage, f.executor, f.execution_result) == (Stage.DONE, Executor.COURT, ExecutionResult.EXECUTED)

    assert obligations(f) == [
        ("enforcement.court_acceptance", "2026-10-26", ObligationState.MET),
        ("enforcement.court_ruling", "2026-10-30", ObligationState.MET),
        ("enforcement.application", "2026-12-07", ObligationState.MET),
    ]
    events = list(timeline(f))
    assert [e.action for e in events] == ["registered", "reminder_recorded", "applied", "accepted", "ruled", "executed"]
    assert "2026-10-17 起可申请" in events[1].summary
    assert [e.who for e in events][2:] == ["agency_duyun", "court_duyun", "court_duyun", "court_duyun"]


def test_a_granted_decision_handed_to_the_government_body_that_executes_it_partly(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    clock(D(2026, 11, 10))
    f = record_reminder(registered, number="催3号", served_on=D(2026, 9, 28), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)
    f = accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="审12号", hears_parties=True, by=court)
    # 第58条: thirty days when the court hears the parties.
    assert f.ruling_due_on == D(2026, 11, 20)
    f = rule_on_application(f, ruling=Ruling.GRANTED, ruled_on=D(2026, 11, 2), ruling_number="裁12号", by=court)

    with pytest.raises(PermissionDenied):
        hand_over(f, executing_body=world.orgs["都匀自然资源局"], handed_over_on=D(2026, 11, 3), by=agency)
    f = hand_over(f, executing_body=world.orgs["都匀自然资源局"], handed_over_on=D(2026, 11, 3), by=court)
    assert (f.stage, f.executor) == (Stage.HANDED_OVER, Executor.GOVERNMENT)
    with pytest.raises(PermissionDenied):
        record_execution(f, result=ExecutionResult.PARTLY, executed_on=D(2026, 11, 9), text="x", by=court)

    f = record_execution(
        f, result=ExecutionResult.PARTLY, executed_on=D(2026, 11, 9), text="已拆除一层，罚款未缴", by=agency
    )
    assert (f.stage, f.execution_result) == (Stage.DONE, ExecutionResult.PARTLY)
    assert [e.action for e in timeline(f)][-2:] == ["handed_over", "executed"]
    assert "裁执分离" in list(timeline(f))[-2].summary


def test_an_application_after_the_three_months_is_recorded_and_flagged_late(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    agency = world.users["agency_duyun"]
    clock(D(2026, 12, 9))
    f = record_reminder(registered, number="催3号", served_on=D(2026, 11, 2), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 12, 8), by=agency)

    assert f.applied_late is True
    assert "已超过申请期限（2026-12-07" in list(timeline(f))[-1].summary


def test_a_refusal_needs_its_causes_and_reasons_and_closes_the_file(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    clock(D(2026, 10, 27))
    f = record_reminder(registered, number="催3号", served_on=D(2026, 9, 28), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)
    f = accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="审12号", by=court)

    with pytest.raises(EnforcementError, match="至少选择一项原因"):
        rule_on_application(f, ruling=Ruling.REFUSED, ruled_on=D(2026, 10, 27), ruling_number="裁", by=court)
    with pytest.raises(EnforcementError, match="不准予执行理由"):
        rule_on_application(
            f, ruling=Ruling.REFUSED, ruled_on=D(2026, 10, 27), ruling_number="裁", causes=["procedure"], by=court
        )
    f = rule_on_application(
        f, ruling=Ruling.REFUSED, ruled_on=D(2026, 10, 27), ruling_number="裁", causes=["facts", "procedure"],
        reasons="未依法送达催告书", by=court,
    )  # fmt: skip

    assert (f.stage, f.refusal_causes, f.is_closed) == (Stage.REFUSED, ["procedure", "facts"], True)
    assert "程序违法、事实不清/证据不足" in list(timeline(f))[-1].summary


def test_only_the_agency_reminds_and_applies_and_only_its_court_rules(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 10, 27))
    u = world.users
    for who in ("court_duyun", "agency_fuquan", "rol_duyun"):
        with pytest.raises(PermissionDenied):
            record_reminder(registered, number="催", served_on=D(2026, 9, 28), by=u[who])
    f = record_reminder(registered, number="催", served_on=D(2026, 9, 28), by=u["agency_duyun"])
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=u["agency_duyun"])
    for who in ("agency_duyun", "rol_duyun"):
        with pytest.raises(PermissionDenied):
            accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="审", by=u[who])


def test_periods_stated_by_the_decision_are_entered_and_counted_from(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 25))
    f = register_file(decision(remedy_end_on=D(2026, 6, 30)), by=world.users["agency_duyun"])

    # Three months from 30 June end on Wednesday 30 September.
    assert (f.remedy_end_on, f.remedy_end_entered, f.application_due_on) == (D(2026, 6, 30), True, D(2026, 9, 30))
    with pytest.raises(EnforcementError, match="复议/诉讼期限届满日（2026-03-01）不能早于行政决定送达日期"):
        register_file(decision(remedy_end_on=D(2026, 3, 1)), by=world.users["agency_duyun"])


def test_an_application_before_the_remedy_periods_end_is_refused_naming_article_53(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    agency = world.users["agency_duyun"]
    clock(D(2026, 7, 20))
    # Served 10 July: six months to sue run to 11 January 2027 (10 January is a Sunday).
    f = register_file(decision(served_on=D(2026, 7, 10)), by=agency)
    f = record_reminder(f, number="催", served_on=D(2026, 7, 15), by=agency)

    assert f.may_apply_from == D(2027, 1, 12)
    clock(D(2026, 8, 3))
    with pytest.raises(EnforcementError, match=r"复议/诉讼期限 2027-01-11 方届满.*第53条.*2027-01-12 起方可申请"):
        apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 8, 3), by=agency)
    with pytest.raises(EnforcementError, match="不能晚于今天"):
        apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2027, 1, 12), by=agency)
