"""The joint-meeting workflow (府院联席会议, SPEC §6.9): the office and its members, a meeting recorded with its
agenda, participants, minutes and decisions (议定事项); each decision is a task of its owner unit: report → confirm
(办结) or send back.

Each transition checks the actor's right (``queries.can_manage`` / ``queries.can_report``), validates, changes the
records, writes its Event on the meeting's (or the office's) timeline and puts its notifications in the outbox, in
one transaction; nothing else writes these records. A decision is a due obligation (``obligations``, kind
``meetings.task``) so the sweep reminds its owner before the date (临期) and chases it once after (逾期); the date
is the one the meeting set (a decision of the meeting, not a statutory period: no rule of ``deadlines`` applies).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fuyuan.core.models import Organisation, Region, Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.meetings.models import (
    AgendaItem,
    Decision,
    DecisionState,
    JointOffice,
    Meeting,
    MeetingKind,
    MemberRole,
    OfficeMember,
    Participant,
)
from fuyuan.meetings.queries import OWNER_ROLES, can_manage, can_report
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

FILE_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")
MAX_BYTES = 20 * 1024 * 1024
# The kind of due obligation a decision is (registered by ``MeetingsConfig``).
TASK = "meetings.task"
SYSTEM = Actor(label="系统定时任务")


class MeetingError(Exception):
    """A transition that cannot be done, with the reason in Chinese for the person who tried."""


@dataclass
class ParticipantDraft:
    name: str
    organisation: Organisation | None
    post: str = ""


@dataclass
class DecisionDraft:
    text: str
    owner: Organisation | None
    due_on: datetime.date | None


def link(meeting: Meeting) -> str:
    return f"/meetings/{meeting.pk}/"


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise MeetingError(f"您无权{action}")


def _in_region(org: Organisation, region: Region) -> bool:
    return org.region.path.startswith(region.path)


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def owner_liaisons(org_ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(is_active=True, role__in=OWNER_ROLES, organisation_id__in=set(org_ids)))


def office_staff(office: JointOffice) -> list[User]:
    """The 依法治办 of the office's region, who run the 府院联席办."""
    region = office.region
    return list(
        User.objects.filter(is_active=True, role=Role.RULE_OF_LAW_OFFICE).filter(
            Q(region=region) | Q(region__isnull=True, organisation__region=region)
        )
    )


def _tell(meeting: Meeting, users: list[User], *, key: str, subject: str, body: str) -> None:
    put(personal_rows(users, subject=subject, body=body, link=link(meeting), dedup_key=f"meetings:{meeting.pk}:{key}"))


# ---------------------------------------------------------------------------------------------------------------
# The office and its members


def open_office(region: Region, *, name: str = "", by: User, now: datetime.datetime | None = None) -> JointOffice:
    """Set up the 府院联席会议办公室 of ``region`` (one per region), run by its 依法治办."""
    now = timezone.localtime(now or timezone.now())
    probe = JointOffice(region=region)
    _require(can_manage(by, probe), f"设立{region.name}的府院联席会议办公室")
    if JointOffice.objects.filter(region=region).exists():
        raise MeetingError(f"{region.name}已设立府院联席会议办公室")
    with transaction.atomic():
        office = JointOffice.objects.create(
            region=region, name=name.strip() or f"{region.name}府院联席会议办公室", created_at=now, created_by=by
        )
        record_event(office, by=by, action="opened", summary=f"设立{office.name}")
    return office


def appoint_member(
    office: JointOffice,
    *,
    role: str,
    organisation: Organisation | None,
    person: str = "",
    post: str = "",
    liaison: User | None = None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None = None,
    by: User,
) -> OfficeMember:
    """Add a convenor, deputy (a person) or member unit (with its liaison person) for a period."""
    _require(can_manage(by, office), "调整联席会议成员")
    errors = []
    if role not in MemberRole.values:
        errors.append("身份：请选择召集人、副召集人或成员单位")
    if organisation is None:
        errors.append("单位：请选择单位")
    if role in (MemberRole.CONVENOR, MemberRole.DEPUTY) and not person.strip():
        errors.append(f"姓名：请填写{MemberRole(role).label}的姓名")
    if valid_from is None:
        errors.append("任职起始日：请填写")
    elif valid_to is not None and valid_to < valid_from:
        errors.append("任职截止日：早于起始日，请核对")
    if liaison is not None and organisation is not None and liaison.organisation_id != organisation.pk:
        errors.append(f"联络员：{liaison.display_name}不是{organisation.name}的工作人员")
    if errors:
        raise MeetingError("；".join(errors))
    assert organisation is not None and valid_from is not None
    with transaction.atomic():
        member = OfficeMember.objects.create(
            office=office,
            role=role,
            organisation=organisation,
            person=person.strip(),
            post=post.strip(),
            liaison=liaison,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        who = f"{member.person}（{organisation.name}{member.post}）" if member.person else organisation.name
        record_event(office, by=by, action="member_appointed", summary=f"{member.get_role_display()}：{who}")
    return member


def end_membership(member: OfficeMember, *, valid_to: datetime.date, by: User) -> OfficeMember:
    """A member leaves on ``valid_to`` (the record stays, with its period)."""
    _require(can_manage(by, member.office), "调整联席会议成员")
    if valid_to < member.valid_from:
        raise MeetingError("任职截止日：早于起始日，请核对")
    with transaction.atomic():
        member.valid_to = valid_to
        member.save(update_fields=["valid_to"])
        record_event(
            member.office,
            by=by,
            action="member_ended",
            summary=f"{member.get_role_display()}{member.person or member.organisation.name}任职至{valid_to:%Y-%m-%d}",
        )
    return member


# ---------------------------------------------------------------------------------------------------------------
# Meetings


def record_meeting(
    office: JointOffice,
    *,
    kind: str,
    title: str,
    held_on: datetime.date | None,
    place: str,
    agenda: Sequence[str],
    participants: Sequence[ParticipantDraft],
    minutes: str,
    decisions: Sequence[DecisionDraft],
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record a meeting held, with its decisions; each decision becomes a task of its owner unit, due on its date,
    and the owners' liaisons are told at once. Everything is checked before anything is written.

    The figures pack covers ``period_from``..``period_to``: by default from 1 January of the meeting's year to the
    day before the meeting."""
    now = timezone.localtime(now or timezone.now())
    _require(can_manage(by, office), "登记该联席办的会议")
    errors = []
    if kind not in MeetingKind.values:
        errors.append("会议类别：请选择")
    if not title.strip():
        errors.append("会议名称：请填写")
    if held_on is None:
        errors.append("会议日期：请填写")
    elif held_on > now.date():
        errors.append(f"会议日期：{held_on.isoformat()} 晚于今天，会议召开后再登记")
    if not place.strip():
        errors.append("会议地点：请填写")
    if held_on is not None:
        period_from = period_from or datetime.date(held_on.year, 1, 1)
        period_to = period_to or max(period_from, held_on - datetime.timedelta(days=1))
        if period_to < period_from:
            errors.append("材料统计期间：截止日早于起始日")
    people = [p for p in participants if p.name.strip() or p.organisation is not None]
    for i, p in enumerate(people, 1):
        if not p.name.strip():
            errors.append(f"参会人员第{i}行：请填写姓名")
        if p.organisation is None:
            errors.append(f"参会人员第{i}行：请选择代表单位")
    drafts = [d for d in decisions if d.text.strip() or d.owner is not None or d.due_on is not None]
    for i, d in enumerate(drafts, 1):
        if not d.text.strip():
            errors.append(f"议定事项第{i}项：请填写事项内容")
        if d.owner is None:
            errors.append(f"议定事项第{i}项：请选择牵头单位")
        elif not _in_region(d.owner, office.region):
            errors.append(f"议定事项第{i}项：牵头单位{d.owner.name}不在{office.region.name}")
        if d.due_on is None:
            errors.append(f"议定事项第{i}项：请填写办结期限")
        elif held_on is not None and d.due_on < held_on:
            errors.append(f"议定事项第{i}项：办结期限早于会议日期")
    if errors:
        raise MeetingError("；".join(errors))
    assert held_on is not None and period_from is not None and period_to is not None
    with transaction.atomic():
        meeting = Meeting.objects.create(
            office=office,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            place=place.strip(),
            minutes=minutes.strip(),
            period_from=period_from,
            period_to=period_to,
            recorded_at=now,
            recorded_by=by,
        )
        items = [t.strip() for t in agenda if t.strip()]
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=n, text=text) for n, text in enumerate(items, 1)
        )
        Participant.objects.bulk_create(
            Participant(meeting=meeting, name=p.name.strip(), post=p.post.strip(), organisation=p.organisation)
            for p in people
            if p.organisation is not None
        )
        made = [
            Decision(meeting=meeting, position=n, text=d.text.strip(), owner=d.owner, due_on=d.due_on)
            for n, d in enumerate(drafts, 1)
            if d.owner is not None and d.due_on is not None
        ]
        Decision.objects.bulk_create(made)
        made = list(meeting.decisions.all())
        for decision in made:
            obligations.keep(TASK, decision.pk, due_on=decision.due_on, owner_organisation=decision.owner_id)
        record_event(
            meeting,
            by=by,
            action="recorded",
            summary=f"登记{meeting.get_kind_display()}“{meeting.title}”，议题 {len(items)} 项，议定事项 {len(made)} 项",
        )
        for decision in made:
            _tell(
                meeting,
                owner_liaisons([decision.owner_id]),
                key=f"assigned:{decision.pk}",
                subject="【府院联席会议】议定事项请按期办理",
                body=(
                    f"{meeting.held_on:%Y-%m-%d}{meeting.title}议定：{decision.text}"
                    f"（牵头单位：{decision.owner.name}，办结期限 {decision.due_on:%Y-%m-%d}）。办结后请报告办理情况。"
                ),
            )
    return meeting


def update_minutes(meeting: Meeting, *, minutes: str, by: User) -> Meeting:
    """The office writes (or corrects) the minutes (会议纪要) after the meeting; the change is on the timeline."""
    _require(can_manage(by, meeting.office), "修改该会议的纪要")
    if not minutes.strip():
        raise MeetingError("会议纪要：请填写")
    with transaction.atomic():
        before = meeting.minutes
        meeting.minutes = minutes.strip()
        meeting.save(update_fields=["minutes"])
        record_event(
            meeting, by=by, action="minutes", summary="修改会议纪要" if before else "填写会议纪要",
            changes={"会议纪要": [before, meeting.minutes]},
        )  # fmt: skip
    return meeting


# ---------------------------------------------------------------------------------------------------------------
# Decisions: report → confirm or send back


def _lock(decision: Decision) -> Decision:
    fresh = Decision.objects.select_for_update().get(pk=decision.pk)
    decision.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return decision


def _require_state(decision: Decision, state: str, action: str) -> None:
    if decision.state != state:
        raise MeetingError(f"第{decision.position}项议定事项当前状态为“{decision.get_state_display()}”，不能{action}")


def check_file(upload: UploadedFile | None) -> str:
    if upload is None:
        return ""
    return check_upload(
        upload,
        accepted=FILE_TYPES,
        not_accepted="办理材料：只接受 .pdf、.doc、.docx、.jpg、.png",
        error=MeetingError,
        max_bytes=MAX_BYTES,
    )


def report_decision(
    decision: Decision,
    *,
    text: str,
    upload: UploadedFile | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> Decision:
    """The owner unit's liaison reports the decision done (text, and a file if there is one); the office is told.
    Nothing more is reminded or chased while the report waits."""
    now = timezone.localtime(now or timezone.now())
    _require(can_report(by, decision), "报告该事项的办理情况")
    if not text.strip():
        raise MeetingError("办理情况：请填写")
    suffix = check_file(upload)
    with transaction.atomic():
        _lock(decision)
        _require_state(decision, DecisionState.ASSIGNED, "报告办结")
        meeting = decision.meeting
        again = bool(decision.return_note)
        decision.state = DecisionState.REPORTED
        decision.report_text = text.strip()
        if upload is not None:
            decision.report_file.save(f"第{decision.position}项办理材料{suffix}", upload, save=False)
            decision.report_name = PurePath(upload.name or "").name
        decision.reported_at, decision.reported_by = now, by
        decision.save()
        obligations.settle(TASK, decision.pk)
        late = "（已逾期）" if decision.due_on < now.date() else ""
        record_event(
            meeting,
            by=by,
            action="decision_reported",
            summary=f"{decision.owner.name}{'重新' if again else ''}报告第{decision.position}项议定事项办结{late}",
            changes={"状态": [DecisionState.ASSIGNED.label, DecisionState.REPORTED.label]},
        )
        _tell(
            meeting,
            office_staff(meeting.office),
            key=f"reported:{decision.pk}:{now:%Y%m%d%H%M%S%f}",
            subject="【府院联席会议】议定事项办理情况待确认",
            body=f"{decision.owner.name}报告{meeting.title}第{decision.position}项议定事项已办结，请确认。",
        )
    return decision


def confirm_decision(decision: Decision, *, by: User, now: datetime.datetime | None = None) -> Decision:
    """The office confirms the decision done (办结); the owner is told."""
    now = timezone.localtime(now or timezone.now())
    meeting = decision.meeting
    _require(can_manage(by, meeting.office), "确认该事项办结")
    with transaction.atomic():
        _lock(decision)
        _require_state(decision, DecisionState.REPORTED, "确认办结")
        decision.state = DecisionState.DONE
        decision.confirmed_at, decision.confirmed_by = now, by
        decision.save()
        record_event(
            meeting,
            by=by,
            action="decision_done",
            summary=f"第{decision.position}项议定事项确认办结",
            changes={"状态": [DecisionState.REPORTED.label, DecisionState.DONE.label]},
        )
        _tell(
            meeting,
            owner_liaisons([decision.owner_id]),
            key=f"done:{decision.pk}",
            subject="【府院联席会议】议定事项已确认办结",
            body=f"{meeting.title}第{decision.position}项议定事项（{decision.text}）已确认办结。",
        )
    return decision


def return_decision(decision: Decision, *, note: str, by: User, now: datetime.datetime | None = None) -> Decision:
    """The office sends the report back with what is missing: the task is open again under its due date (a notice
    already sent for that date is not sent again); the owner is told."""
    now = timezone.localtime(now or timezone.now())
    meeting = decision.meeting
    _require(can_manage(by, meeting.office), "退回该事项")
    if not note.strip():
        raise MeetingError("退回意见：请写明需要继续办理或补充的内容")
    with transaction.atomic():
        _lock(decision)
        _require_state(decision, DecisionState.REPORTED, "退回")
        decision.state = DecisionState.ASSIGNED
        decision.return_note = note.strip()
        decision.save()
        obligations.keep(TASK, decision.pk, due_on=decision.due_on, owner_organisation=decision.owner_id)
        record_event(
            meeting,
            by=by,
            action="decision_returned",
            summary=f"第{decision.position}项议定事项退回继续办理：{decision.return_note}",
            changes={"状态": [DecisionState.REPORTED.label, DecisionState.ASSIGNED.label]},
        )
        _tell(
            meeting,
            owner_liaisons([decision.owner_id]),
            key=f"returned:{decision.pk}:{now:%Y%m%d%H%M%S%f}",
            subject="【府院联席会议】议定事项办理情况被退回",
            body=f"{meeting.title}第{decision.position}项议定事项的办理情况被退回：{decision.return_note}",
        )
    return decision


# ---------------------------------------------------------------------------------------------------------------
# The sweep: 临期 reminders and 逾期 chases


@dataclass
class TaskSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"临期提醒 {self.warned} 项，逾期督办 {self.overdue} 项"


def task_sweep(report: obligations.ObligationSweep) -> TaskSweep:
    warned, overdue, failed = report.of(TASK)
    return TaskSweep(warned=warned, overdue=overdue, failed=failed)


def _open_decision(ob: Obligation) -> Decision | None:
    """The decision of an obligation, if it is still being worked on (a reported or done one is not chased)."""
    return (
        Decision.objects.filter(pk=ob.subject_id, state=DecisionState.ASSIGNED)
        .select_related("meeting__office__region", "owner")
        .first()
    )


def chase_task(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the owner's liaisons and the office are told, once (the obligation is chased once)."""
    decision = _open_decision(ob)
    if decision is None:
        return False
    meeting = decision.meeting
    days = (now.date() - decision.due_on).days
    put(
        personal_rows(
            [*owner_liaisons([decision.owner_id]), *office_staff(meeting.office)],
            subject="【府院联席会议】议定事项逾期",
            body=(
                f"{meeting.title}第{decision.position}项议定事项（{decision.text}）已于 {decision.due_on:%Y-%m-%d} "
                f"到期，已逾期{days}天，{decision.owner.name}尚未报告办结。"
            ),
            link=link(meeting),
            dedup_key=f"meetings:task:{decision.pk}:overdue",
            now=now,
        )
    )
    record_event(meeting, by=SYSTEM, action="decision_overdue", summary=f"第{decision.position}项议定事项逾期，已督办")
    return True


def warn_task(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the owner's liaisons are told, once."""
    decision = _open_decision(ob)
    if decision is None:
        return False
    meeting = decision.meeting
    put(
        personal_rows(
            owner_liaisons([decision.owner_id]),
            subject="【府院联席会议】议定事项临期",
            body=(
                f"{meeting.title}第{decision.position}项议定事项（{decision.text}）将于 {decision.due_on:%Y-%m-%d} "
                "到期，请按期办结并报告办理情况。"
            ),
            link=link(meeting),
            dedup_key=f"meetings:task:{decision.pk}:warned",
            now=now,
        )
    )
    record_event(meeting, by=SYSTEM, action="decision_warned", summary=f"第{decision.position}项议定事项临期提醒")
    return True


TASK_KIND = Kind(name=TASK, label="联席会议议定事项", remind=warn_task, chase=chase_task)
