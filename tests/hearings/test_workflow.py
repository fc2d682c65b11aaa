"""Every path of a hearing (SPEC §6.1), with who was told what, when, and only once."""

from __future__ import annotations

import datetime
from collections import Counter
from unittest import mock

import pytest
from django.utils import timezone

from fuyuan.cases.choices import AbsenceReason
from fuyuan.cases.models import Case
from fuyuan.core.models import HeadPost, Role
from fuyuan.core.timeline import timeline
from fuyuan.hearings import workflow
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.hearings.workflow import DesignationRefused, HearingError
from fuyuan.notifications.models import Channel, Notification
from fuyuan.stats import figures
from tests.factories import World, make_case, make_head, make_user

HEARING_DAY = datetime.date(2026, 12, 10)  # a Thursday


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def before(days: int, hour: int = 10) -> datetime.datetime:
    return at(HEARING_DAY - datetime.timedelta(days=days), hour)


@pytest.fixture
def setup(world: World):
    u, o, r = world.users, world.orgs, world.regions
    u["rol_duyun"].is_head = True
    u["rol_duyun"].email = "fzb@duyun.gov.cn"
    u["rol_duyun"].save()
    u["rol_duyun_staff"] = make_user("rol_duyun_staff", Role.RULE_OF_LAW_OFFICE, region=r["都匀市"])
    u["mayor_duyun"] = make_user("mayor_duyun", Role.LEADER, region=r["都匀市"])
    u["mayor_duyun"].is_head = True
    u["mayor_duyun"].mobile = "13900000001"
    u["mayor_duyun"].save()
    u["deputy_mayor_duyun"] = make_user("deputy_mayor_duyun", Role.LEADER, region=r["都匀市"])
    make_head(o["都匀自然资源局"], "李副局长", HeadPost.DEPUTY_IN_CHARGE)
    make_head(
        o["都匀自然资源局"],
        "赵前局长",
        HeadPost.PRINCIPAL,
        valid_from=datetime.date(2018, 1, 1),
        valid_to=datetime.date(2026, 6, 30),
    )
    case = make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"], number="（2026）黔2701行初88号")
    return world, case


def register(world: World, case, now=None):
    return workflow.register_hearing(
        case,
        held_on=HEARING_DAY,
        starts_at=datetime.time(9, 30),
        courtroom="第一审判庭",
        by=world.users["court_duyun"],
        now=now or before(20),
    )


def told(key_suffix: str, hearing) -> Counter:
    """Who got the message with this key, by (username or phone, channel)."""
    rows = Notification.objects.filter(dedup_key=f"hearing:{hearing.pk}:{key_suffix}")
    return Counter((n.recipient.username if n.recipient else n.phone, n.channel) for n in rows)


def in_app(key_suffix: str, hearing) -> set[str]:
    return {who for (who, channel) in told(key_suffix, hearing) if channel == Channel.IN_APP}


def test_notice_reaches_the_agency_and_the_county_office_at_once(setup):
    world, case = setup
    hearing = register(world, case)
    assert hearing.state == HearingState.NOTIFIED
    # 双调度: the agency's liaison and the 都匀 依法治办, not 福泉's agency nor the prefecture's office.
    assert in_app("notice", hearing) == {"agency_duyun", "rol_duyun", "rol_duyun_staff"}
    assert told("notice", hearing)[("rol_duyun", Channel.EMAIL)] == 1
    notice = Notification.objects.filter(dedup_key=f"hearing:{hearing.pk}:notice").first()
    assert "2026年12月10日 09:30" in notice.body and "2026-12-03 前指定出庭负责人" in notice.body
    assert [e.action for e in timeline(hearing)] == ["registered"]


def test_designated_in_time_then_two_reminders_once_each_then_attended_and_spoke(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    workflow.designate(hearing, name="王局长", phone="13800001111", by=u["agency_duyun"], now=before(10))
    assert hearing.state == HearingState.DESIGNATED
    assert hearing.designated_head.name == "王局长"
    assert told(f"designated:{hearing.designated_head_id}", hearing)[("13800001111", Channel.SMS)] == 1

    # Before 09:00 on T-7 nothing is due; at 10:00 the first reminder; later sweeps that day send nothing more.
    assert workflow.sweep_hearings(before(7, hour=8)).reminded_t7 == 0
    assert workflow.sweep_hearings(before(7)).reminded_t7 == 1
    assert workflow.sweep_hearings(before(7, hour=15)).reminded_t7 == 0
    assert workflow.sweep_hearings(before(3)).reminded_t7 == 0
    # Designated, so the reminder goes to the agency and the designee, not to the office.
    assert set(told("t7", hearing)) == {("agency_duyun", Channel.IN_APP), ("13800001111", Channel.SMS)}
    sweep = workflow.sweep_hearings(before(1))
    assert (sweep.reminded_t1, sweep.escalated) == (1, 0)
    assert workflow.sweep_hearings(before(0, hour=8)).reminded_t1 == 0
    assert set(told("t1", hearing)) == {("agency_duyun", Channel.IN_APP), ("13800001111", Channel.SMS)}
    assert not told("escalated", hearing)

    with pytest.raises(HearingError, match="开庭当日或之后"):
        workflow.record_attendance(hearing, appeared=True, spoke=True, by=u["court_duyun"], now=before(1))
    workflow.record_attendance(
        hearing, appeared=True, spoke=True, speech="同意协商补偿方案", by=u["court_duyun"], now=before(0, hour=12)
    )
    assert hearing.state == HearingState.ATTENDED and hearing.appeared_head_name == "王局长"
    case.refresh_from_db()
    assert (case.hearing_on, case.head_appeared, case.appeared_head, case.head_spoke) == (
        HEARING_DAY,
        True,
        "王局长",
        True,
    )
    assert [e.action for e in timeline(hearing)] == [
        "registered",
        "designated",
        "reminded_t7",
        "reminded_t1",
        "attendance",
    ]
    assert "appearance" in [e.action for e in timeline(case)]


def test_a_person_not_on_the_roster_valid_that_day_is_refused_with_the_reason(setup):
    world, case = setup
    hearing = register(world, case)
    with pytest.raises(DesignationRefused) as refused:
        workflow.designate(hearing, name="张科员", by=world.users["agency_duyun"], now=before(10))
    assert "“张科员”不在都匀市自然资源局于2026-12-10有效的负责人名册中" in str(refused.value)
    assert "王局长（正职）" in str(refused.value) and "李副局长（分管副职）" in str(refused.value)
    # A head whose term ended before the hearing date is refused too.
    with pytest.raises(DesignationRefused, match="赵前局长"):
        workflow.designate(hearing, name="赵前局长", by=world.users["agency_duyun"], now=before(10))
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED and hearing.designated_head is None
    refusals = [e for e in timeline(hearing) if e.action == "designation_refused"]
    assert len(refusals) == 2 and refusals[0].actor == world.users["agency_duyun"]
    # The deputy in charge is on the roster and is accepted.
    workflow.designate(hearing, name="李副局长", by=world.users["agency_duyun"], now=before(10))
    assert hearing.designated_head.get_post_display() == "分管副职"


def test_no_designee_the_day_before_escalates_to_the_office_head_and_the_county_head_once(setup):
    world, case = setup
    hearing = register(world, case)
    sweep = workflow.sweep_hearings(before(7))
    assert sweep.reminded_t7 == 1
    # Not designated: the T-7 reminder urges the agency and tells the office too.
    assert in_app("t7", hearing) == {"agency_duyun", "rol_duyun", "rol_duyun_staff"}
    assert "请立即指定出庭负责人" in Notification.objects.filter(dedup_key=f"hearing:{hearing.pk}:t7").first().body
    assert workflow.sweep_hearings(before(2)).escalated == 0
    sweep = workflow.sweep_hearings(before(1))
    assert (sweep.reminded_t1, sweep.escalated) == (1, 1)
    hearing.refresh_from_db()
    assert hearing.state == HearingState.ESCALATED and hearing.escalated_at == before(1)
    # 一直达: the heads marked as such (not the office's other staff nor the deputy mayor), and the agency.
    assert in_app("escalated", hearing) == {"rol_duyun", "mayor_duyun", "agency_duyun"}
    assert told("escalated", hearing)[("mayor_duyun", Channel.SMS)] == 1
    again = workflow.sweep_hearings(before(1, hour=16))
    assert (again.reminded_t1, again.escalated) == (0, 0)
    escalations = Notification.objects.filter(dedup_key=f"hearing:{hearing.pk}:escalated")
    assert escalations.count() == 5 and {n.created_at for n in escalations} == {before(1)}
    assert {n.created_at for n in Notification.objects.filter(dedup_key=f"hearing:{hearing.pk}:t7")} == {before(7)}
    # A designation after the escalation is still accepted, and noted as late.
    workflow.designate(hearing, name="王局长", by=world.users["agency_duyun"], now=before(1, hour=17))
    assert hearing.state == HearingState.DESIGNATED
    assert "晚于开庭前7日" in timeline(hearing).last().summary


def test_escalation_without_marked_heads_goes_to_the_whole_office_and_all_leaders(setup):
    world, case = setup
    for user in (world.users["rol_duyun"], world.users["mayor_duyun"]):
        user.is_head = False
        user.save()
    hearing = register(world, case)
    workflow.sweep_hearings(before(1))
    assert in_app("escalated", hearing) == {
        "rol_duyun",
        "rol_duyun_staff",
        "mayor_duyun",
        "deputy_mayor_duyun",
        "agency_duyun",
    }


def test_absent_with_a_lawful_explanation_and_a_delegate(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    with pytest.raises(HearingError) as missing:
        workflow.explain_absence(hearing, reason="出差", explanation="", delegate_name="", by=u["agency_duyun"])
    assert "法定的不能出庭事由" in str(missing.value) and "书面说明" in str(missing.value)
    assert "委托出庭的工作人员" in str(missing.value)
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED
    workflow.explain_absence(
        hearing,
        reason=AbsenceReason.IRREPLACEABLE_DUTY,
        explanation="当日须出席省防汛调度会议",
        delegate_name="陈科长",
        delegate_title="法规科科长",
        by=u["agency_duyun"],
        now=before(9),
    )
    assert hearing.state == HearingState.EXCUSED
    assert in_app("excused", hearing) == {"agency_duyun", "rol_duyun", "rol_duyun_staff"}
    # An excused hearing is not escalated; its reminders go to the agency without urging a designation.
    sweep = workflow.sweep_hearings(before(1))
    assert (sweep.reminded_t1, sweep.escalated) == (1, 0)
    assert in_app("t1", hearing) == {"agency_duyun"}
    workflow.record_attendance(hearing, appeared=False, by=u["court_duyun"], now=before(0, hour=11))
    assert hearing.state == HearingState.ABSENT
    case.refresh_from_db()
    assert (case.head_appeared, case.head_absence_reason) == (False, AbsenceReason.IRREPLACEABLE_DUTY)
    assert "已提交书面说明：需要履行他人不能代替的公务" in timeline(hearing).last().summary
    assert in_app("absent", hearing) == {"rol_duyun", "rol_duyun_staff"}


def test_absent_without_explanation_counts_without_excuse(setup):
    world, case = setup
    hearing = register(world, case)
    workflow.designate(hearing, name="王局长", by=world.users["agency_duyun"], now=before(10))
    workflow.record_attendance(hearing, appeared=False, by=world.users["court_duyun"], now=before(0, hour=11))
    case.refresh_from_db()
    assert (case.head_appeared, case.head_absence_reason) == (False, "")
    assert "无书面说明" in timeline(hearing).last().summary


def test_attended_without_speaking_and_staff_cannot_count_as_a_head(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    workflow.designate(hearing, name="王局长", by=u["agency_duyun"], now=before(10))
    with pytest.raises(HearingError, match="不能计为负责人出庭"):
        workflow.record_attendance(
            hearing, appeared=True, head_name="陈科长", spoke=True, by=u["agency_duyun"], now=before(0)
        )
    with pytest.raises(HearingError, match="出声"):
        workflow.record_attendance(hearing, appeared=True, by=u["agency_duyun"], now=before(0))
    workflow.record_attendance(hearing, appeared=True, spoke=False, by=u["agency_duyun"], now=before(0))
    case.refresh_from_db()
    assert (case.head_appeared, case.head_spoke) == (True, False)


def test_a_notice_registered_late_is_itself_the_reminder(setup):
    world, case = setup
    hearing = register(world, case, now=before(3))
    assert hearing.reminded_t7_at == before(3) and hearing.reminded_t1_at is None
    assert workflow.sweep_hearings(before(3, hour=11)).reminded_t7 == 0
    assert workflow.sweep_hearings(before(1)).reminded_t1 == 1


def test_rights_and_states_are_enforced(setup):
    world, case = setup
    u, o = world.users, world.orgs
    fuquan_court_user = make_user("court_fuquan", Role.COURT_LIAISON, org=o["福泉法院"])
    with pytest.raises(HearingError, match="无权"):
        workflow.register_hearing(case, held_on=HEARING_DAY, by=fuquan_court_user, now=before(20))
    with pytest.raises(HearingError, match="无权"):
        workflow.register_hearing(case, held_on=HEARING_DAY, by=u["agency_duyun"], now=before(20))
    with pytest.raises(HearingError, match="早于今天"):
        workflow.register_hearing(case, held_on=HEARING_DAY, by=u["court_duyun"], now=before(-1))
    hearing = register(world, case)
    with pytest.raises(HearingError, match="已经登记过"):
        register(world, case)
    with pytest.raises(HearingError, match="无权"):
        workflow.designate(hearing, name="王局长", by=u["agency_fuquan"], now=before(10))
    with pytest.raises(HearingError, match="无权"):
        workflow.designate(hearing, name="王局长", by=u["court_duyun"], now=before(10))
    # The supervising 依法治办 (prefecture or county) may act for the agency.
    workflow.designate(hearing, name="王局长", by=u["rol_pref"], now=before(10))
    with pytest.raises(HearingError, match="请填写取消原因"):
        workflow.cancel_hearing(hearing, reason=" ", by=u["court_duyun"], now=before(5))
    workflow.cancel_hearing(hearing, reason="原告申请延期", by=u["court_duyun"], now=before(5))
    assert hearing.state == HearingState.CANCELLED
    assert told("cancelled", hearing)[("agency_duyun", Channel.IN_APP)] == 1
    with pytest.raises(HearingError, match="已取消"):
        workflow.designate(hearing, name="王局长", by=u["agency_duyun"], now=before(4))
    # A cancelled hearing gets no reminders, and the same day can be registered again.
    assert workflow.sweep_hearings(before(1)).reminded_t1 == 0
    again = register(world, case, now=before(4))
    assert again.pk != hearing.pk


def appearance_rates() -> tuple[float | None, float | None, float | None]:
    """负责人出庭应诉率, 应出尽出率 and 出声率 over the hearings of December 2026, as the figures pages show them."""
    rates = figures.table(Case.objects.all(), datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))["rates"]
    return rates["appearance_rate"], rates["due_appearance_rate"], rates["speaking_rate"]


def test_correcting_the_attendance_corrects_the_appearance_figures_both_ways(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    workflow.designate(hearing, name="王局长", by=u["agency_duyun"], now=before(10))
    workflow.record_attendance(hearing, appeared=True, spoke=True, by=u["court_duyun"], now=before(0, hour=12))
    assert appearance_rates() == (100.0, 100.0, 100.0)

    # The 依法治办 corrects it: the head came but did not speak (出声 → 未发言).
    workflow.record_attendance(hearing, appeared=True, spoke=False, by=u["rol_duyun"], now=before(-1))
    assert appearance_rates() == (100.0, 100.0, 0.0)

    # Then: it was a staff member, the head did not come at all (已出庭 → 未出庭, no written explanation).
    workflow.record_attendance(hearing, appeared=False, by=u["rol_duyun"], now=before(-2))
    case.refresh_from_db()
    assert (case.head_appeared, case.appeared_head, case.head_spoke) == (False, "", None)
    assert appearance_rates() == (0.0, 0.0, None)

    # And back (未出庭 → 已出庭 and spoke).
    workflow.record_attendance(
        hearing, appeared=True, head_name="李副局长", spoke=True, by=u["court_duyun"], now=before(-3)
    )
    case.refresh_from_db()
    assert (case.head_appeared, case.appeared_head, case.head_spoke) == (True, "李副局长", True)
    assert appearance_rates() == (100.0, 100.0, 100.0)
    corrections = [e for e in timeline(case) if e.action == "appearance"]
    assert len(corrections) == 4
    assert corrections[2].changes["负责人出庭"] == ["是", "否"]


def test_an_excused_absence_corrected_to_attended_and_back_keeps_the_lawful_reason(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    workflow.explain_absence(
        hearing,
        reason=AbsenceReason.FORCE_MAJEURE,
        explanation="山体滑坡，道路中断",
        delegate_name="陈科长",
        by=u["agency_duyun"],
        now=before(3),
    )
    workflow.record_attendance(hearing, appeared=False, by=u["court_duyun"], now=before(0, hour=12))
    # Excused: not a hearing the head was due at, so 应出尽出率 has nothing to divide.
    assert appearance_rates() == (0.0, None, None)

    workflow.record_attendance(
        hearing, appeared=True, head_name="王局长", spoke=False, by=u["court_duyun"], now=before(-1)
    )
    case.refresh_from_db()
    assert (case.head_appeared, case.head_absence_reason) == (True, "")
    assert appearance_rates() == (100.0, 100.0, 0.0)

    workflow.record_attendance(hearing, appeared=False, by=u["rol_duyun"], now=before(-2))
    case.refresh_from_db()
    assert (case.head_appeared, case.head_absence_reason) == (False, AbsenceReason.FORCE_MAJEURE)
    assert appearance_rates() == (0.0, None, None)


def test_a_case_with_two_hearings_counts_the_head_who_appeared_at_either_until_that_is_corrected(setup):
    world, case = setup
    u = world.users
    first = register(world, case)
    second = workflow.register_hearing(
        case, held_on=HEARING_DAY + datetime.timedelta(days=7), by=u["court_duyun"], now=before(20)
    )
    workflow.record_attendance(first, appeared=False, by=u["court_duyun"], now=before(0, hour=12))
    workflow.record_attendance(
        second, appeared=True, head_name="王局长", spoke=True, by=u["court_duyun"], now=before(-7, hour=12)
    )
    case.refresh_from_db()
    assert (case.hearing_on, case.head_appeared, case.head_spoke) == (HEARING_DAY, True, True)
    assert appearance_rates() == (100.0, 100.0, 100.0)

    # Correcting the first hearing (still absent) leaves the second one's appearance standing.
    workflow.record_attendance(first, appeared=False, by=u["rol_duyun"], now=before(-8))
    assert appearance_rates() == (100.0, 100.0, 100.0)
    # Correcting the second to absent leaves no appearance, and the first was missed without a reason.
    workflow.record_attendance(second, appeared=False, by=u["rol_duyun"], now=before(-8))
    case.refresh_from_db()
    assert (case.head_appeared, case.head_absence_reason, case.head_spoke) == (False, "", None)
    assert appearance_rates() == (0.0, 0.0, None)


def test_a_designation_is_refused_when_the_hearing_was_cancelled_after_the_roster_check(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    real_match = workflow.roster_match

    def cancelled_meanwhile(h, name):  # type: ignore[no-untyped-def]
        # The court withdraws the notice while the agency's designation is between its check and its write.
        workflow.cancel_hearing(Hearing.objects.get(pk=h.pk), reason="原告撤诉", by=u["court_duyun"], now=before(10))
        return real_match(h, name)

    refused = pytest.raises(HearingError, match="当前状态为“已取消”，不能指定出庭负责人")
    with mock.patch.object(workflow, "roster_match", cancelled_meanwhile), refused:
        workflow.designate(hearing, name="王局长", by=u["agency_duyun"], now=before(10))
    hearing.refresh_from_db()
    assert (hearing.state, hearing.designated_head, hearing.cancel_reason) == (HearingState.CANCELLED, None, "原告撤诉")
    assert [e.action for e in timeline(hearing)] == ["registered", "cancelled"]
    assert not Notification.objects.filter(dedup_key__startswith=f"hearing:{hearing.pk}:designated").exists()


def test_a_designation_does_not_overwrite_an_attendance_recorded_after_the_roster_check(setup):
    world, case = setup
    u = world.users
    hearing = register(world, case)
    real_match = workflow.roster_match
    meanwhile = [True]

    def attended_meanwhile(h, name):  # type: ignore[no-untyped-def]
        # The court records the attendance (itself a roster check, hence once only) while the designation is
        # between its check and its write.
        if meanwhile:
            meanwhile.clear()
            workflow.record_attendance(
                Hearing.objects.get(pk=h.pk),
                appeared=True,
                head_name="李副局长",
                spoke=True,
                by=u["court_duyun"],
                now=before(0, hour=12),
            )
        return real_match(h, name)

    refused = pytest.raises(HearingError, match="当前状态为“负责人已出庭”，不能指定出庭负责人")
    with mock.patch.object(workflow, "roster_match", attended_meanwhile), refused:
        workflow.designate(hearing, name="王局长", by=u["agency_duyun"], now=before(0, hour=12))
    hearing.refresh_from_db()
    assert (hearing.state, hearing.appeared_head_name, hearing.designated_head) == (
        HearingState.ATTENDED,
        "李副局长",
        None,
    )
    case.refresh_from_db()
    assert (case.head_appeared, case.appeared_head) == (True, "李副局长")
