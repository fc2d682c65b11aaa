"""The dispute procedure (SPEC §6.2) through ``disputes.workflow``: every path, its time limits on the working-day
calendar, who may do what, and the trace each step leaves."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to as cases_visible_to
from fuyuan.core.models import Role
from fuyuan.core.timeline import timeline
from fuyuan.disputes.choices import AssignmentRole, DisputeOutcome, DisputeState, Source, Urgency
from fuyuan.disputes.models import Conflict, Coordinator, Dispute
from fuyuan.disputes.workflow import (
    Attendee,
    Choice,
    Consent,
    DisputeError,
    NewCase,
    accept_dispute,
    apply_online,
    assign_coordinators,
    classify_dispute,
    conclude_mediated,
    conclude_withdrawn,
    duplicates_of,
    hand_over,
    link_case,
    merge_duplicate,
    record_meeting,
    record_plan,
    record_review,
    register_dispute,
    reject_dispute,
    release_coordinator,
)
from fuyuan.notifications.models import Notification
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_case, make_coordinator, make_dispute, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def forestry_expert(world: World) -> Coordinator:
    return make_coordinator("林专家", org=world.orgs["州司法局"], domains=["forestry"], user=world.users["coordinator"])


def summaries(record: object) -> list[str]:
    return [e.summary for e in timeline(record)]  # type: ignore[arg-type]


def walk_to_planned(world: World, dispute: Dispute, expert: Coordinator) -> Dispute:
    staff, coordinator = world.users["centre"], world.users["coordinator"]
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)
    dispute = assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=staff)
    dispute = record_review(dispute, opinion="补偿标准适用有误", by=coordinator)
    return record_plan(dispute, plan="重新核定补偿，组织四方会谈", by=coordinator)


def test_a_window_application_is_numbered_placed_and_carries_the_suggested_classification(world: World) -> None:
    dispute = register_dispute(
        world.orgs["州中心"],
        {
            "source": Source.WINDOW,
            "received_on": D(2026, 3, 2),
            "applicants": "张三、李四",
            "agency": world.orgs["都匀自然资源局"],
            "matter": "林地被征收后补偿款未足额发放，涉及12户村民",
        },
        by=world.users["centre"],
    )
    second = make_dispute(world.orgs["州中心"], agency=world.orgs["福泉公安局"], received_on=D(2026, 3, 3))

    assert (dispute.number, second.number) == ("黔南州争调〔2026〕1号", "黔南州争调〔2026〕2号")
    assert (dispute.region, dispute.county) == (world.regions["都匀市"], world.regions["都匀市"])
    assert dispute.state == DisputeState.RECEIVED and dispute.registered_by == world.users["centre"]
    assert dispute.group_size == 12 and dispute.is_group
    assert dispute.suggestion["domain"] == dispute.domain != ""
    assert any("12" in reason for reason in dispute.suggestion["reasons"])
    assert summaries(dispute) == ["登记争议 黔南州争调〔2026〕1号（窗口受理）"]


def test_staff_confirm_or_change_the_classification_and_the_change_is_on_the_timeline(world: World) -> None:
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], matter="林木采伐许可被拒")

    classify_dispute(
        dispute, domain="forestry", act_type="licensing", urgency=Urgency.URGENT, group_size=1, by=world.users["centre"]
    )

    dispute.refresh_from_db()
    assert (dispute.domain, dispute.urgency) == ("forestry", Urgency.URGENT) and dispute.classified_at is not None
    event = timeline(dispute).last()
    assert event is not None and event.summary == "确认分类" and event.changes["紧急程度"] == ["一般", "紧急"]
    with pytest.raises(PermissionDenied):
        classify_dispute(
            dispute, domain="", act_type="", urgency="normal", group_size=1, by=world.users["centre_duyun"]
        )


def test_the_full_path_runs_to_its_time_limits_across_national_day_and_ends_mediated(
    world: World, clock: Callable[[datetime.datetime], None]
) -> None:
    staff, coordinator = world.users["centre"], world.users["coordinator"]
    expert = forestry_expert(world)
    clock(at(D(2026, 9, 28)))
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 9, 28))

    clock(at(D(2026, 9, 29)))
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)
    # 30 calendar days (local rule of 黔南州: 诉前30天), from the day after acceptance.
    assert dispute.mediation_due_on == D(2026, 10, 29)

    clock(at(D(2026, 9, 30)))
    dispute = assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD, "擅长林业")], by=staff)
    # 3 working days: 1–7 October are National Day, then 8, 9 and Saturday 10 October (调休, a working day).
    assert (dispute.state, dispute.review_due_on) == (DisputeState.ASSIGNED, D(2026, 10, 10))

    clock(at(D(2026, 10, 10)))
    dispute = record_review(dispute, opinion="补偿标准适用有误", by=coordinator)
    # 5 working days from Saturday 10 October: 12–16 October.
    assert (dispute.state, dispute.plan_due_on) == (DisputeState.REVIEWED, D(2026, 10, 16))

    clock(at(D(2026, 10, 19)))
    dispute = record_plan(dispute, plan="重新核定补偿", by=coordinator)
    record_meeting(
        dispute,
        kind="four_party",
        held_at=at(D(2026, 10, 19), 9),
        place="州协调化解中心",
        participants=[
            Attendee("judge", "王法官", "都匀市人民法院"),
            Attendee("justice_expert", "李处长", "黔南州司法局"),
            Attendee("agency_head", "王局长", "都匀市自然资源局"),
            Attendee("party", "张三"),
        ],
        minutes="双方同意按新标准补偿",
        next_steps="三日内签订协议",
        by=coordinator,
    )
    dispute = conclude_mediated(dispute, terms="一、补偿12万元\n二、于30日内支付", judicial_confirmation=True, by=staff)

    assert (dispute.state, dispute.outcome, dispute.concluded_on) == (
        DisputeState.CLOSED, DisputeOutcome.MEDIATED, D(2026, 10, 19)
    )  # fmt: skip
    assert dispute.judicial_confirmation and dispute.agreement_terms.startswith("一、补偿12万元")
    assert summaries(dispute)[1:] == [
        "受理，化解期限至 2026-10-29；同意调解：申请人（2020-01-01，书面签字同意）",
        "指派协调员：林专家（牵头协调员）；专家评审期限至 2026-10-10",
        "完成专家评审；化解方案期限至 2026-10-16",
        "确定化解方案（逾期）",
        "四方会谈（2026-10-19 09:00，司法局专家、当事人、法官、行政机关负责人参加）",
        "办结：调解成功",
    ]
    assert dispute.meetings.get().participants.count() == 4


def test_the_assigned_coordinator_is_told_once_in_the_inbox(world: World) -> None:
    expert = forestry_expert(world)
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]),
        by=world.users["centre"],
        consent=WRITTEN,
    )

    assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=world.users["centre"])

    notices = Notification.objects.filter(recipient=world.users["coordinator"])
    assert [n.subject for n in notices] == [f"【协调化解】您已被指派办理 {dispute.number}"]


def test_a_coordinator_with_a_declared_conflict_is_refused_with_the_reason(world: World) -> None:
    expert = forestry_expert(world)
    Conflict.objects.create(coordinator=expert, organisation=world.orgs["都匀自然资源局"], reason="近亲属在该局任职")
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]),
        by=world.users["centre"],
        consent=WRITTEN,
    )

    with pytest.raises(DisputeError, match="林专家 已申报回避（近亲属在该局任职），不能指派"):
        assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=world.users["centre"])

    assert not dispute.assignments.exists()


def test_one_lead_per_team_and_no_one_twice(world: World) -> None:
    staff = world.users["centre"]
    expert = forestry_expert(world)
    other = make_coordinator("赵律师", org=world.orgs["州司法局"])
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]), by=staff, consent=WRITTEN
    )
    assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=staff)

    with pytest.raises(DisputeError, match="只能有一名牵头协调员"):
        assign_coordinators(dispute, [Choice(other, AssignmentRole.LEAD)], by=staff)
    with pytest.raises(DisputeError, match="林专家 已在本件专班中"):
        assign_coordinators(dispute, [Choice(expert)], by=staff)
    assign_coordinators(dispute, [Choice(other)], by=staff)
    assert dispute.assignments.count() == 2


def test_only_the_centre_and_the_assigned_coordinators_work_on_a_dispute_and_a_released_one_stops(
    world: World,
) -> None:
    staff, coordinator = world.users["centre"], world.users["coordinator"]
    expert = forestry_expert(world)
    outsider = make_user("coordinator2", Role.COORDINATOR, region=world.regions["黔南州"])
    make_coordinator("钱专家", org=world.orgs["州司法局"], user=outsider)
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]), by=staff, consent=WRITTEN
    )
    assignment_dispute = assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=staff)

    for user in (outsider, world.users["agency_duyun"], world.users["rol_pref"], world.users["centre_duyun"]):
        with pytest.raises(PermissionDenied):
            record_review(assignment_dispute, opinion="意见", by=user)
    with pytest.raises(PermissionDenied):
        accept_dispute(dispute, by=coordinator, consent=WRITTEN)

    release_coordinator(dispute.assignments.get(), by=staff)
    with pytest.raises(PermissionDenied):
        record_review(dispute, opinion="意见", by=coordinator)
    assert dispute.assignments.get().released_at is not None
    assert "林专家 退出专班" in summaries(dispute)


def test_steps_out_of_order_are_refused_with_the_state_named(world: World) -> None:
    staff = world.users["centre"]
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"])

    with pytest.raises(DisputeError, match="当前状态为“待受理”，不能登记专家评审意见"):
        record_review(dispute, opinion="意见", by=staff)
    with pytest.raises(DisputeError, match="不能登记会谈"):
        record_meeting(
            dispute, kind="four_party", held_at=timezone.now(), place="", participants=[Attendee("party", "张三")],
            minutes="纪要", by=staff,
        )  # fmt: skip
    accept_dispute(dispute, by=staff, consent=WRITTEN)
    with pytest.raises(DisputeError, match="不能受理"):
        accept_dispute(dispute, by=staff, consent=WRITTEN)


def test_a_meeting_needs_participants_and_minutes_and_cannot_be_in_the_future(world: World) -> None:
    dispute = walk_to_planned(
        world, make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]), forestry_expert(world)
    )
    coordinator = world.users["coordinator"]
    earlier = timezone.now() - datetime.timedelta(hours=2)

    with pytest.raises(DisputeError, match="请至少填写一名参会人员"):
        record_meeting(
            dispute, kind="four_party", held_at=earlier, place="", participants=[], minutes="纪要", by=coordinator
        )
    with pytest.raises(DisputeError, match="请填写会谈纪要"):
        record_meeting(
            dispute, kind="four_party", held_at=earlier, place="", participants=[Attendee("party", "张三")],
            minutes=" ", by=coordinator,
        )  # fmt: skip
    with pytest.raises(DisputeError, match="会谈时间不能晚于现在"):
        record_meeting(
            dispute, kind="four_party", held_at=timezone.now() + datetime.timedelta(days=1), place="",
            participants=[Attendee("party", "张三")], minutes="纪要", by=coordinator,
        )  # fmt: skip
    assert not dispute.meetings.exists()


def test_rejected_at_intake_with_a_reason(world: World) -> None:
    staff = world.users["centre"]
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"])

    with pytest.raises(DisputeError, match="请填写不予受理的理由"):
        reject_dispute(dispute, reason=" ", by=staff)
    dispute = reject_dispute(dispute, reason="已进入诉讼程序且已判决", by=staff)

    assert (dispute.state, dispute.outcome, dispute.rejection_reason) == (
        DisputeState.CLOSED, DisputeOutcome.REJECTED, "已进入诉讼程序且已判决"
    )  # fmt: skip
    assert summaries(dispute)[-1] == "办结：不予受理"


def test_withdrawn_after_the_agency_corrected_its_act(world: World) -> None:
    staff = world.users["centre"]
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]), by=staff, consent=WRITTEN
    )

    dispute = conclude_withdrawn(dispute, reason="agency_corrected", note="该局已撤销原处罚决定", by=staff)

    assert (dispute.outcome, dispute.withdrawal_reason) == (DisputeOutcome.WITHDRAWN, "agency_corrected")
    with pytest.raises(DisputeError, match="已办结"):
        classify_dispute(dispute, domain="", act_type="", urgency="normal", group_size=1, by=staff)


def test_a_failed_mediation_hands_over_to_a_new_lawsuit_registered_from_the_dispute(world: World) -> None:
    staff = world.users["centre"]
    filed = timezone.localdate() - datetime.timedelta(days=30)  # a month ago, whichever day the suite runs on
    dispute = make_dispute(
        world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="张三、李四", matter="林地补偿争议"
    )
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)

    dispute = hand_over(
        dispute,
        to=CaseKind.LITIGATION,
        new_case=NewCase("（2026）黔2701行初88号", world.orgs["都匀法院"], filed),
        note="原告坚持诉讼",
        by=staff,
    )

    case = Case.objects.get(number="（2026）黔2701行初88号")
    assert (dispute.outcome, dispute.case) == (DisputeOutcome.TO_LITIGATION, case)
    assert (case.court, case.defendant, case.plaintiffs, case.filed_on) == (
        world.orgs["都匀法院"], world.orgs["都匀自然资源局"], "张三、李四", filed
    )  # fmt: skip
    assert case in cases_visible_to(world.users["court_duyun"])
    assert summaries(case) == [
        "登记案件 （2026）黔2701行初88号",
        f"协调化解中心争议 {dispute.number} 调解不成，移交本案",
    ]


def test_a_failed_mediation_links_the_reconsideration_on_file_and_refuses_another_agencys(world: World) -> None:
    staff = world.users["centre"]
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]), by=staff, consent=WRITTEN
    )
    own = make_case(CaseKind.RECONSIDERATION, defendant=world.orgs["都匀自然资源局"], plaintiffs="张三")
    foreign = make_case(CaseKind.RECONSIDERATION, defendant=world.orgs["福泉公安局"])

    with pytest.raises(DisputeError, match="被告/被申请人不是都匀市自然资源局"):
        hand_over(dispute, to=CaseKind.RECONSIDERATION, case=foreign, by=staff)
    with pytest.raises(DisputeError, match="与所选去向不符"):
        hand_over(dispute, to=CaseKind.LITIGATION, case=own, by=staff)
    dispute = hand_over(dispute, to=CaseKind.RECONSIDERATION, case=own, by=staff)

    assert (dispute.outcome, dispute.case) == (DisputeOutcome.TO_RECONSIDERATION, own)


def test_a_repeated_application_is_recorded_on_the_dispute_on_file_instead_of_a_new_one(world: World) -> None:
    first = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="张三")

    again = register_dispute(
        world.orgs["州中心"],
        {"source": Source.HOTLINE, "received_on": D(2026, 3, 9), "applicants": "张三",
         "agency": world.orgs["都匀自然资源局"], "matter": "不服罚款决定"},
        by=world.users["centre"],
        duplicate_of=first,
    )  # fmt: skip

    assert again == first and Dispute.objects.count() == 1
    assert summaries(first)[-1] == "收到重复申请（12345热线，张三），并入本件办理"


def test_an_online_application_waits_for_the_centre_as_received(world: World) -> None:
    dispute = apply_online(
        world.orgs["都匀中心"],
        {"applicants": "王五", "applicant_phone": "13912345678", "agency": world.orgs["都匀自然资源局"],
         "matter": "宅基地审批长期未答复"},
    )  # fmt: skip

    assert (dispute.source, dispute.state, dispute.registered_by) == (Source.ONLINE, DisputeState.RECEIVED, None)
    assert dispute.received_on == timezone.localdate() and dispute.number.startswith("都匀市争调〔")
    event = timeline(dispute).get()
    assert event.actor is None and event.actor_label == "当事人（线上申请）"


def test_only_the_centres_own_staff_register_there(world: World) -> None:
    with pytest.raises(PermissionDenied):
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], by=world.users["centre_duyun"])
    with pytest.raises(PermissionDenied):
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], by=world.users["rol_pref"])
    assert not Dispute.objects.exists()


# --- the applicants' own cases only (a linked case opens to the centre's staff) ----------------------------------


def test_a_failed_mediation_hands_over_to_a_new_reconsideration_case_registered_by_the_staff_member(
    world: World,
) -> None:
    staff = world.users["centre"]
    received = timezone.localdate() - datetime.timedelta(days=30)
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="张三")
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)

    dispute = hand_over(
        dispute,
        to=CaseKind.RECONSIDERATION,
        new_case=NewCase("黔南复〔2026〕41号", world.orgs["州司法局"], received),
        by=staff,
    )

    case = Case.objects.get(number="黔南复〔2026〕41号")
    assert (dispute.outcome, dispute.case) == (DisputeOutcome.TO_RECONSIDERATION, case)
    assert (case.kind, case.reconsideration_body, case.received_on, case.acceptance, case.plaintiffs) == (
        CaseKind.RECONSIDERATION, world.orgs["州司法局"], received, "pending", "张三"
    )  # fmt: skip
    assert case in cases_visible_to(world.users["recon_pref"])
    registered = timeline(case).get(action="registered")
    assert (registered.summary, registered.actor) == ("登记案件 黔南复〔2026〕41号", staff)


def test_a_hand_over_to_a_case_number_already_on_file_is_refused(world: World) -> None:
    staff = world.users["centre"]
    make_case(CaseKind.LITIGATION, defendant=world.orgs["福泉公安局"], number="（2026）黔2701行初88号")
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"]), by=staff, consent=WRITTEN
    )

    with pytest.raises(DisputeError, match="案号 （2026）黔2701行初88号 已登记，请选择该案件关联"):
        hand_over(
            dispute,
            to=CaseKind.LITIGATION,
            new_case=NewCase("（2026）黔2701行初88号", world.orgs["都匀法院"], D(2026, 11, 2)),
            by=staff,
        )

    assert Dispute.objects.get(pk=dispute.pk).state == DisputeState.ACCEPTED
    assert Case.objects.filter(number="（2026）黔2701行初88号").count() == 1


def test_a_case_someone_else_brought_against_the_agency_is_neither_linked_nor_handed_over(world: World) -> None:
    staff = world.users["centre"]
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="张三"),
        by=staff,
        consent=WRITTEN,
    )
    unrelated = make_case(
        CaseKind.LITIGATION,
        defendant=world.orgs["都匀自然资源局"],
        plaintiffs="无关的人",
        number="（2026）黔2701行初500号",
    )
    assert unrelated not in cases_visible_to(staff)

    with pytest.raises(DisputeError, match="原告/申请人不是本件申请人（张三），不能关联"):
        link_case(dispute, unrelated, by=staff)
    with pytest.raises(DisputeError, match="原告/申请人不是本件申请人（张三），不能移交"):
        hand_over(dispute, to=CaseKind.LITIGATION, case=unrelated, by=staff)

    dispute.refresh_from_db()
    assert (dispute.case, dispute.state) == (None, DisputeState.ACCEPTED)
    assert unrelated not in cases_visible_to(staff)
    assert summaries(unrelated) == []


def test_linking_refuses_another_agencys_case_and_leaves_an_event_on_the_case(world: World) -> None:
    staff = world.users["centre"]
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="张三、李四")
    foreign = make_case(CaseKind.LITIGATION, defendant=world.orgs["福泉公安局"], plaintiffs="张三")
    own = make_case(CaseKind.LITIGATION, defendant=world.orgs["都匀自然资源局"], plaintiffs="李四等3人")

    with pytest.raises(DisputeError, match="被告/被申请人不是都匀市自然资源局，不能关联"):
        link_case(dispute, foreign, by=staff)
    with pytest.raises(PermissionDenied):
        link_case(dispute, own, by=world.users["centre_duyun"])
    dispute = link_case(dispute, own, by=staff)

    assert dispute.case == own
    event = timeline(own).get()
    assert (event.summary, event.actor) == (f"关联协调化解中心争议 {dispute.number}", staff)
    assert summaries(dispute)[-1] == f"关联案件 {own.number}"
    assert own in cases_visible_to(staff) and foreign not in cases_visible_to(staff)


# --- duplicates (every source, every centre) and merging ----------------------------------------------------------


def test_an_online_duplicate_is_registered_and_finds_the_dispute_at_another_centre(world: World) -> None:
    values = {"applicants": "王五", "applicant_phone": "13912345678", "agency": world.orgs["都匀自然资源局"],
              "matter": "宅基地审批申请三个月未答复"}  # fmt: skip
    at_prefecture = make_dispute(world.orgs["州中心"], **values, by=world.users["centre"])
    first = apply_online(world.orgs["都匀中心"], values)
    second = apply_online(world.orgs["都匀中心"], values)

    assert first.pk != second.pk and second.state == DisputeState.RECEIVED
    assert {d.pk for d in duplicates_of(second)} == {first.pk, at_prefecture.pk}


def test_a_new_application_is_merged_into_an_open_dispute_and_closed_as_a_repeat(world: World) -> None:
    staff = world.users["centre_duyun"]
    values = {"applicants": "王五", "agency": world.orgs["都匀自然资源局"], "matter": "宅基地审批申请三个月未答复"}
    first = accept_dispute(apply_online(world.orgs["都匀中心"], values), by=staff, consent=WRITTEN)
    again = apply_online(world.orgs["都匀中心"], values)

    into = merge_duplicate(again, first, by=staff)

    again.refresh_from_db()
    assert into == first and into.state == DisputeState.ACCEPTED
    assert (again.outcome, again.rejection_reason) == (DisputeOutcome.REJECTED, f"重复申请，已并入 {first.number} 办理")
    assert summaries(first)[-1] == f"收到重复申请 {again.number}（线上申请，王五），并入本件办理"


def test_nothing_is_merged_into_a_closed_dispute_or_another_centres(world: World) -> None:
    values = {"applicants": "孙七", "agency": world.orgs["都匀自然资源局"], "matter": "不服林木采伐罚款决定"}
    closed = accept_dispute(
        make_dispute(world.orgs["州中心"], **values, by=world.users["centre"]),
        by=world.users["centre"],
        consent=WRITTEN,
    )
    conclude_withdrawn(closed, reason="other", by=world.users["centre"])
    elsewhere = make_dispute(world.orgs["都匀中心"], **values, by=world.users["centre_duyun"])
    again = make_dispute(world.orgs["州中心"], **values, by=world.users["centre"])

    with pytest.raises(DisputeError, match="已办结，不能并入"):
        merge_duplicate(again, closed, by=world.users["centre"])
    with pytest.raises(DisputeError, match="由都匀市行政争议协调化解中心办理，不能并入"):
        merge_duplicate(again, elsewhere, by=world.users["centre"])
    with pytest.raises(DisputeError, match="已办结，不能并入"):
        register_dispute(
            world.orgs["州中心"], {**values, "source": Source.WINDOW, "received_on": D(2026, 3, 9)},
            by=world.users["centre"], duplicate_of=closed,
        )  # fmt: skip

    assert Dispute.objects.get(pk=again.pk).state == DisputeState.RECEIVED
    assert summaries(closed)[-1] == "办结：撤回"


# --- consent to mediation (行政诉讼法 第60条) -------------------------------------------------------------------


def test_the_online_consent_to_mediation_is_kept_and_lets_the_centre_accept(world: World) -> None:
    values = {"applicants": "王五", "agency": world.orgs["都匀自然资源局"], "matter": "宅基地审批申请三个月未答复"}
    dispute = apply_online(world.orgs["都匀中心"], values, consents_to_mediation=True)

    assert (dispute.consent_by, dispute.consent_on, dispute.consent_way) == ("王五", timezone.localdate(), "online")
    dispute = accept_dispute(dispute, by=world.users["centre_duyun"])
    assert dispute.state == DisputeState.ACCEPTED


def test_without_consent_a_dispute_is_not_accepted(world: World) -> None:
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"])

    with pytest.raises(DisputeError, match="未记录当事人同意调解，不能受理"):
        accept_dispute(dispute, by=world.users["centre"])
    with pytest.raises(DisputeError, match="请填写同意调解的当事人"):
        accept_dispute(dispute, by=world.users["centre"], consent=Consent(by=" ", on=D(2026, 3, 1), way="written"))

    assert Dispute.objects.get(pk=dispute.pk).state == DisputeState.RECEIVED


# --- the 专班: availability and load are enforced, not only left out of the proposal ------------------------------


def test_an_unavailable_or_fully_loaded_coordinator_is_refused_with_the_reason(world: World) -> None:
    staff = world.users["centre"]
    away = make_coordinator("休假专家", org=world.orgs["州司法局"], unavailable_until=timezone.localdate())
    withdrawn = make_coordinator("暂停专家", org=world.orgs["州司法局"], available=False)
    full = make_coordinator("满员专家", org=world.orgs["州司法局"], max_load=1)
    busy = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="甲")
    assign_coordinators(accept_dispute(busy, by=staff, consent=WRITTEN), [Choice(full)], by=staff)
    dispute = accept_dispute(
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], applicants="乙"),
        by=staff,
        consent=WRITTEN,
    )

    with pytest.raises(
        DisputeError, match=f"休假专家 目前不可接受指派（暂不可指派至 {timezone.localdate().isoformat()}）"
    ):
        assign_coordinators(dispute, [Choice(away)], by=staff)
    with pytest.raises(DisputeError, match="暂停专家 目前不可接受指派，不能指派"):
        assign_coordinators(dispute, [Choice(withdrawn)], by=staff)
    with pytest.raises(DisputeError, match="满员专家 在办 1 件，已达同时承办上限 1 件，不能指派"):
        assign_coordinators(dispute, [Choice(full)], by=staff)

    assert not dispute.assignments.exists()
    assert Dispute.objects.get(pk=dispute.pk).state == DisputeState.ACCEPTED


# --- dates that cannot be true ------------------------------------------------------------------------------------


def four_party(dispute: Dispute, held_at: datetime.datetime, by: object, kind: str = "four_party") -> object:
    return record_meeting(
        dispute, kind=kind, held_at=held_at, place="州协调化解中心", participants=[Attendee("party", "张三")],
        minutes="纪要", by=by,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_meeting_with_the_parties_dated_before_the_review_is_refused(
    world: World, clock: Callable[[datetime.datetime], None]
) -> None:
    # given a dispute whose expert review was recorded on 10 June
    clock(at(D(2026, 6, 1)))
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 6, 1))
    staff, coordinator = world.users["centre"], world.users["coordinator"]
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)
    clock(at(D(2026, 6, 3)))
    dispute = assign_coordinators(dispute, [Choice(forestry_expert(world), AssignmentRole.LEAD)], by=staff)
    clock(at(D(2026, 6, 10)))
    dispute = record_review(dispute, opinion="补偿标准适用有误", by=coordinator)
    clock(at(D(2026, 6, 12)))

    # then a 四方会谈 dated 9 June is refused, the expert review meeting of 9 June is not
    with pytest.raises(
        DisputeError,
        match=r"四方会谈时间（2026-06-09）不能早于专家评审完成日期（2026-06-10）：四方会谈在专家评审之后举行",
    ):
        four_party(dispute, at(D(2026, 6, 9)), coordinator)
    four_party(dispute, at(D(2026, 6, 9)), coordinator, kind="expert_review")
    four_party(dispute, at(D(2026, 6, 11)), coordinator)
    assert [m.kind for m in dispute.meetings.order_by("held_at")] == ["expert_review", "four_party"]


def test_a_meeting_dated_before_the_team_was_formed_is_refused(
    world: World, clock: Callable[[datetime.datetime], None]
) -> None:
    clock(at(D(2026, 6, 1)))
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 6, 1))
    staff = world.users["centre"]
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)
    clock(at(D(2026, 6, 3)))
    dispute = assign_coordinators(dispute, [Choice(forestry_expert(world), AssignmentRole.LEAD)], by=staff)

    with pytest.raises(DisputeError, match=r"会谈时间（2026-06-02）不能早于指派协调员组成专班的日期（2026-06-03）"):
        four_party(dispute, at(D(2026, 6, 2)), world.users["coordinator"], kind="expert_review")
    assert not dispute.meetings.exists()


def test_acceptance_cannot_precede_receipt_nor_be_after_today(
    world: World, clock: Callable[[datetime.datetime], None]
) -> None:
    clock(at(D(2026, 6, 10)))
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 6, 5))
    staff = world.users["centre"]

    with pytest.raises(DisputeError, match=r"受理日期（2026-06-04）不能早于收件日期（2026-06-05）"):
        accept_dispute(dispute, by=staff, on=D(2026, 6, 4), consent=WRITTEN)
    with pytest.raises(DisputeError, match=r"受理日期（2026-06-11）不能晚于今天（2026-06-10）"):
        accept_dispute(dispute, by=staff, on=D(2026, 6, 11), consent=WRITTEN)
    assert Dispute.objects.get(pk=dispute.pk).state == DisputeState.RECEIVED


def test_a_dispute_received_tomorrow_is_refused_by_the_workflow(
    world: World, clock: Callable[[datetime.datetime], None]
) -> None:
    clock(at(D(2026, 6, 10)))

    with pytest.raises(DisputeError, match=r"收件日期（2026-06-11）不能晚于今天（2026-06-10）"):
        make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 6, 11))
    assert not Dispute.objects.exists()


def test_a_hand_over_registering_a_case_filed_in_the_future_is_refused_by_the_case_rules(
    world: World, clock: Callable[[datetime.datetime], None]
) -> None:
    clock(at(D(2026, 6, 10)))
    staff = world.users["centre"]
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 6, 1))
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)

    with pytest.raises(DisputeError, match=r"新案件不能登记：立案日期（2027-06-10）不能晚于今天（2026-06-10）"):
        hand_over(
            dispute,
            to=CaseKind.LITIGATION,
            new_case=NewCase("（2026）黔2701行初99号", world.orgs["都匀法院"], D(2027, 6, 10)),
            by=staff,
        )

    assert Dispute.objects.get(pk=dispute.pk).state == DisputeState.ACCEPTED
    assert not Case.objects.filter(number="（2026）黔2701行初99号").exists()
