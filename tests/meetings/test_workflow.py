"""The joint-meeting workflow through its functions: who may do each step, what bad input is told, and that a
refused step writes nothing; each step is an event on the meeting's (or the office's) timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.core.models import Role
from fuyuan.core.timeline import timeline
from fuyuan.meetings.models import Decision, DecisionState, Meeting, MeetingKind, MemberRole
from fuyuan.meetings.workflow import (
    TASK,
    DecisionDraft,
    MeetingError,
    ParticipantDraft,
    appoint_member,
    confirm_decision,
    end_membership,
    open_office,
    record_meeting,
    report_decision,
    return_decision,
    update_minutes,
)
from fuyuan.obligations.models import Obligation
from tests.factories import World, make_user
from tests.meetings.conftest import NOW, Council, D, at, open_duyun_office

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def meeting_values(world: World, **overrides):  # type: ignore[no-untyped-def]
    o = world.orgs
    values = dict(
        kind=MeetingKind.SPECIAL, title="征地拆迁专题会议", held_on=D(2026, 11, 20), place="会议室", agenda=["议题"],
        participants=[ParticipantDraft("王局长", o["都匀自然资源局"], "局长")], minutes="",
        decisions=[DecisionDraft("开展自查", o["都匀自然资源局"], D(2026, 12, 31))], now=NOW,
    )  # fmt: skip
    values.update(overrides)
    return values


def test_the_office_of_a_region_is_opened_once_by_its_rule_of_law_office(world: World) -> None:
    u, r = world.users, world.regions
    with pytest.raises(MeetingError, match="您无权设立福泉市的府院联席会议办公室"):
        open_office(r["福泉市"], by=u["rol_duyun"])
    office = open_office(r["都匀市"], by=u["rol_duyun"], now=NOW)
    assert office.name == "都匀市府院联席会议办公室"
    with pytest.raises(MeetingError, match="都匀市已设立府院联席会议办公室"):
        open_office(r["都匀市"], by=u["rol_pref"])
    assert [e.summary for e in timeline(office)] == ["设立都匀市府院联席会议办公室"]


def test_members_are_checked_named_on_the_timeline_and_leave_with_their_period_kept(world: World) -> None:
    o, u = world.orgs, world.users
    office = open_duyun_office(world)
    with pytest.raises(MeetingError) as refused:
        appoint_member(office, role=MemberRole.CONVENOR, organisation=o["都匀法院"], liaison=u["agency_duyun"],
                       valid_from=D(2026, 3, 1), valid_to=D(2026, 2, 1), by=u["rol_duyun"])  # fmt: skip
    assert str(refused.value) == (
        "姓名：请填写召集人的姓名；任职截止日：早于起始日，请核对；联络员：agency_duyun不是都匀市人民法院的工作人员"
    )
    with pytest.raises(MeetingError, match="您无权调整联席会议成员"):
        appoint_member(office, role=MemberRole.MEMBER, organisation=o["都匀法院"], valid_from=D(2026, 1, 1),
                       by=u["leader_pref"])  # fmt: skip
    deputy = office.members.get(role=MemberRole.DEPUTY)
    end_membership(deputy, valid_to=D(2026, 6, 30), by=u["rol_duyun"])
    assert not deputy.is_current(D(2026, 7, 1)) and deputy.is_current(D(2026, 6, 30))
    assert office.members.count() == 4
    assert [e.summary for e in timeline(office)][1:] == [
        "召集人：李副市长（都匀市人民政府副市长）",
        "副召集人：赵院长（都匀市人民法院院长）",
        "成员单位：都匀市自然资源局",
        "成员单位：都匀市人民法院",
        "副召集人赵院长任职至2026-06-30",
    ]


def test_only_the_office_of_the_region_records_its_meetings(world: World) -> None:
    office = open_duyun_office(world)
    world.users["rol_fuquan"] = make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=world.regions["福泉市"])
    for persona in ("rol_fuquan", "leader_pref", "agency_duyun", "court_duyun", "recon_pref"):
        with pytest.raises(MeetingError, match="您无权登记该联席办的会议"):
            record_meeting(office, **meeting_values(world), by=world.users[persona])
    assert not Meeting.objects.exists()


def test_bad_input_is_told_field_by_field_and_nothing_is_written(world: World) -> None:
    o, u = world.orgs, world.users
    office = open_duyun_office(world)
    with pytest.raises(MeetingError) as refused:
        record_meeting(
            office,
            **meeting_values(
                world,
                title=" ",
                held_on=D(2026, 11, 21),
                place="",
                participants=[ParticipantDraft("", o["都匀法院"]), ParticipantDraft("张三", None)],
                decisions=[
                    DecisionDraft("开展自查", None, None),
                    DecisionDraft("", o["福泉公安局"], D(2026, 11, 1)),
                ],
            ),
            by=u["rol_duyun"],
        )
    assert str(refused.value).split("；") == [
        "会议名称：请填写",
        "会议日期：2026-11-21 晚于今天，会议召开后再登记",
        "会议地点：请填写",
        "参会人员第1行：请填写姓名",
        "参会人员第2行：请选择代表单位",
        "议定事项第1项：请选择牵头单位",
        "议定事项第1项：请填写办结期限",
        "议定事项第2项：请填写事项内容",
        "议定事项第2项：牵头单位福泉市公安局不在都匀市",
        "议定事项第2项：办结期限早于会议日期",
    ]
    assert not Meeting.objects.exists()
    assert not Obligation.objects.filter(kind=TASK).exists()


def test_a_recorded_meeting_keeps_its_agenda_participants_and_decisions_each_a_due_obligation(
    council: Council,
) -> None:
    m = council.meeting
    assert [a.text for a in m.agenda.all()] == ["通报全年行政诉讼和行政复议数据", "研判征地拆迁领域败诉原因"]
    assert [(p.name, p.organisation.name) for p in m.participants.all()] == [
        ("李副市长", "都匀市人民政府"), ("赵院长", "都匀市人民法院"), ("王局长", "都匀市自然资源局"),
    ]  # fmt: skip
    dues = {ob.subject_id: (ob.due_on, ob.owner_organisation_id) for ob in Obligation.objects.filter(kind=TASK)}
    assert dues == {d.pk: (d.due_on, d.owner_id) for d in m.decisions.all()}
    assert [e.summary for e in timeline(m)] == ["登记年度联席会议“2026年度府院联席会议”，议题 2 项，议定事项 2 项"]


def test_only_the_owners_liaison_reports_and_only_the_office_confirms_or_sends_back(council: Council, clock) -> None:  # type: ignore[no-untyped-def]
    u = council.world.users
    first = council.meeting.decisions.get(position=1)
    for persona in ("court_duyun", "rol_duyun", "agency_fuquan"):
        with pytest.raises(MeetingError, match="您无权报告该事项的办理情况"):
            report_decision(first, text="已办", by=u[persona])
    with pytest.raises(MeetingError, match="办理情况：请填写"):
        report_decision(first, text=" ", by=u["agency_duyun"])
    with pytest.raises(MeetingError, match="第1项议定事项当前状态为“办理中”，不能确认办结"):
        confirm_decision(first, by=u["rol_duyun"])
    bad = SimpleUploadedFile("报告.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(MeetingError, match="办理材料：只接受"):
        report_decision(first, text="已办", upload=bad, by=u["agency_duyun"])
    assert Decision.objects.get(pk=first.pk).state == DecisionState.ASSIGNED

    report_decision(first, text="已办", upload=SimpleUploadedFile("自查报告.pdf", PDF), by=u["agency_duyun"])
    assert first.report_name == "自查报告.pdf" and first.report_file.read() == PDF
    for persona in ("leader_pref", "agency_duyun", "court_duyun"):
        with pytest.raises(MeetingError, match="您无权"):
            confirm_decision(first, by=u[persona])
    with pytest.raises(MeetingError, match="退回意见：请写明"):
        return_decision(first, note="", by=u["rol_duyun"])
    return_decision(first, note="请补充整改台账", by=u["rol_pref"])  # the 州 office covers the county's
    report_decision(first, text="已补充整改台账", by=u["agency_duyun"])
    confirm_decision(first, by=u["rol_duyun"])
    assert first.state == DecisionState.DONE and first.confirmed_by == u["rol_duyun"]
    assert [e.summary for e in timeline(council.meeting)][1:] == [
        "都匀市自然资源局报告第1项议定事项办结",
        "第1项议定事项退回继续办理：请补充整改台账",
        "都匀市自然资源局重新报告第1项议定事项办结",
        "第1项议定事项确认办结",
    ]


def test_a_report_after_the_due_date_says_so_on_the_timeline(council: Council) -> None:
    u = council.world.users
    second = council.meeting.decisions.get(position=2)
    report_decision(second, text="已通报", by=u["court_duyun"], now=at(D(2026, 12, 16)))
    assert timeline(council.meeting).last().summary == "都匀市人民法院报告第2项议定事项办结（已逾期）"


def test_the_minutes_are_written_by_the_office_and_the_change_kept(council: Council) -> None:
    u = council.world.users
    with pytest.raises(MeetingError, match="您无权修改该会议的纪要"):
        update_minutes(council.meeting, minutes="纪要", by=u["leader_pref"])
    with pytest.raises(MeetingError, match="会议纪要：请填写"):
        update_minutes(council.meeting, minutes=" ", by=u["rol_duyun"])
    update_minutes(council.meeting, minutes="会议纪要（定稿）", by=u["rol_duyun"])
    event = timeline(council.meeting).last()
    assert event.summary == "修改会议纪要"
    assert event.changes["会议纪要"][1] == "会议纪要（定稿）"


def test_the_packs_period_defaults_to_the_year_up_to_the_day_before_the_meeting(council: Council) -> None:
    m = council.meeting
    assert (m.period_from, m.period_to) == (datetime.date(2026, 1, 1), datetime.date(2026, 11, 19))
