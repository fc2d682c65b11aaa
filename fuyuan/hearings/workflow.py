"""The hearing-appearance workflow (出庭应诉, SPEC §6.1): 双调度, 两提两核一直达, 出庭又出声.

Each transition checks the actor's right, changes the hearing, writes its Event and puts its notifications in
the outbox in one transaction; nothing else writes a Hearing. The sources:

- 行政诉讼法 第3条第3款: the head of the defendant agency appears in court; one who cannot delegates staff.
- 最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》(法释〔2020〕3号): 第2条 who is a head (正职、副职、
  分管副职、其他分管负责人); 第8条 the lawful reasons for not appearing; 第9条 the written explanation;
  第10条 the delegated staff member; 第11条第3款 the head speaks to the substantive resolution (出声).
- Local rule (黔南州 "两提两核一直达", SPEC §5 ``hearing.first_reminder``/``hearing.second_reminder``): notice to the
  agency and the 依法治办 at once, reminders 7 days and 1 day before, escalation to the 依法治办 head and the county
  head when no head is designated the day before.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fuyuan.cases import workflow as case_workflow
from fuyuan.cases.choices import AbsenceReason, CaseKind
from fuyuan.cases.models import Case
from fuyuan.cases.queries import editable_by
from fuyuan.cases.rules import CaseInvalid
from fuyuan.core.models import OrganisationHead, Role, User
from fuyuan.core.timeline import Actor, PendingEvent, record_event, record_events
from fuyuan.deadlines.rules import RULES
from fuyuan.hearings.models import UPCOMING_STATES, Hearing, HearingState
from fuyuan.hearings.queries import visible_to
from fuyuan.notifications.isolation import Rows
from fuyuan.notifications.models import Channel
from fuyuan.notifications.workflow import Address, OutboxRow, outbox_rows, personal_rows, put

SYSTEM = Actor(label="系统定时任务")
# 两提: the days before the hearing of the two reminders, from the rules table (SPEC §5).
FIRST_REMINDER = RULES["hearing.first_reminder"].amount
SECOND_REMINDER = RULES["hearing.second_reminder"].amount


class HearingError(Exception):
    """A transition that cannot be done, with the reason in Chinese for the person who tried."""


class DesignationRefused(HearingError):
    """两核之一: the designated person is not on the agency's heads roster valid on the hearing date."""


# ---------------------------------------------------------------------------------------------------------------
# Who is told


class Recipients:
    """The people a hearing concerns, looked up once per batch of hearings (a sweep touches thousands)."""

    def __init__(self, hearings: Iterable[Hearing]) -> None:
        hearings = list(hearings)
        agencies = {h.agency_id for h in hearings}
        counties = {h.county_id for h in hearings}
        self.agency: dict[int, list[User]] = defaultdict(list)
        self.office: dict[int, list[User]] = defaultdict(list)
        self.leaders: dict[int, list[User]] = defaultdict(list)
        active = User.objects.filter(is_active=True).select_related("organisation")
        for user in active.filter(role=Role.AGENCY_LIAISON, organisation_id__in=agencies):
            self.agency[user.organisation_id].append(user)  # type: ignore[index]
        regional = active.filter(
            Q(region_id__in=counties) | Q(region__isnull=True, organisation__region_id__in=counties),
            role__in=[Role.RULE_OF_LAW_OFFICE, Role.LEADER],
        )
        for user in regional:
            county = user.region_id or user.organisation.region_id  # type: ignore[union-attr]
            (self.office if user.role == Role.RULE_OF_LAW_OFFICE else self.leaders)[county].append(user)

    def dual_dispatch(self, hearing: Hearing) -> list[User]:
        """双调度: the agency's liaisons and the 依法治办 of the case's county."""
        return self.agency[hearing.agency_id] + self.office[hearing.county_id]

    def escalation(self, hearing: Hearing) -> list[User]:
        """一直达: the 依法治办 head and the county head (everyone of the office and the leaders if no head is
        marked, so that an escalation never goes nowhere), and the agency again."""
        office = [u for u in self.office[hearing.county_id] if u.is_head] or self.office[hearing.county_id]
        leaders = [u for u in self.leaders[hearing.county_id] if u.is_head] or self.leaders[hearing.county_id]
        return office + leaders + self.agency[hearing.agency_id]


def link(hearing: Hearing) -> str:
    return f"/hearings/{hearing.pk}/"


def describe(hearing: Hearing) -> str:
    when = hearing.held_on.strftime("%Y年%-m月%-d日")
    if hearing.starts_at:
        when += f" {hearing.starts_at:%H:%M}"
    room = f"{hearing.courtroom}" if hearing.courtroom else ""
    return f"{hearing.case.number}（被告：{hearing.agency.name}）定于{when}在{hearing.court.name}{room}开庭"


def designee_text(hearing: Hearing) -> str:
    head = hearing.designated_head
    if head is None:
        return "尚未指定出庭负责人"
    return f"出庭负责人：{head.name}（{head.get_post_display()}{'，' + head.title if head.title else ''}）"


def _messages(
    hearing: Hearing,
    users: list[User],
    *,
    key: str,
    subject: str,
    body: str,
    now: datetime.datetime,
    to_designee: bool = False,
) -> list[OutboxRow]:
    """Every channel each person can be reached on; the designee (not a user) by SMS at the number given."""
    dedup = f"hearing:{hearing.pk}:{key}"
    rows = personal_rows(users, subject=subject, body=body, link=link(hearing), dedup_key=dedup, now=now)
    if to_designee and hearing.designee_phone:
        rows += outbox_rows(
            [Address(phone=hearing.designee_phone)],
            subject=subject,
            body=body,
            dedup_key=dedup,
            channels=[Channel.SMS],
            now=now,
        )
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Moments


def local_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return timezone.localtime(now or timezone.now())


def reminder_moment(held_on: datetime.date, days_before: int) -> datetime.datetime:
    """SPEC §5 ``hearing.first_reminder``/``hearing.second_reminder``: N calendar days before, at the configured hour."""
    day = held_on - datetime.timedelta(days=days_before)
    naive = datetime.datetime.combine(day, datetime.time(settings.FUYUAN_REMINDER_HOUR))
    return timezone.make_aware(naive)


# ---------------------------------------------------------------------------------------------------------------
# Rights


def can_register(user: User, case: Case) -> bool:
    """The court's liaison registers its notices; the 依法治办 may too for cases it supervises."""
    if case.kind != CaseKind.LITIGATION or case.court_id is None:
        return False
    if user.role == Role.COURT_LIAISON:
        return user.organisation_id == case.court_id
    return user.role == Role.RULE_OF_LAW_OFFICE and editable_by(user).filter(pk=case.pk).exists()


def can_act_for_agency(user: User, hearing: Hearing) -> bool:
    """Designation and written explanations: the agency's liaison, or the supervising 依法治办."""
    if user.role == Role.AGENCY_LIAISON:
        return user.organisation_id == hearing.agency_id
    return user.role == Role.RULE_OF_LAW_OFFICE and visible_to(user).filter(pk=hearing.pk).exists()


def can_record_attendance(user: User, hearing: Hearing) -> bool:
    """两核之二: the court liaison or the agency records who actually appeared; the 依法治办 may correct it."""
    if user.role == Role.COURT_LIAISON:
        return user.organisation_id == hearing.court_id
    return can_act_for_agency(user, hearing)


def can_cancel(user: User, hearing: Hearing) -> bool:
    if user.role == Role.COURT_LIAISON:
        return user.organisation_id == hearing.court_id
    return user.role == Role.RULE_OF_LAW_OFFICE and visible_to(user).filter(pk=hearing.pk).exists()


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise HearingError(f"您无权{action}")


def _require_state(hearing: Hearing, states: Iterable[str], action: str) -> None:
    if hearing.state not in states:
        raise HearingError(f"该开庭当前状态为“{hearing.get_state_display()}”，不能{action}")


def _lock(hearing: Hearing) -> Hearing:
    """Re-read the hearing under a row lock so two people acting at once see each other's change."""
    fresh = Hearing.objects.select_for_update().select_related("case", "court", "agency").get(pk=hearing.pk)
    hearing.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return hearing


# ---------------------------------------------------------------------------------------------------------------
# Transitions


@transaction.atomic
def register_hearing(
    case: Case,
    *,
    held_on: datetime.date,
    starts_at: datetime.time | None = None,
    courtroom: str = "",
    by: User,
    now: datetime.datetime | None = None,
) -> Hearing:
    """The court liaison registers a hearing notice; the agency and the county's 依法治办 are told at once (双调度)."""
    now = local_now(now)
    _require(can_register(by, case), "登记此案件的开庭通知")
    if case.outcome:
        raise HearingError(f"{case.number} 已结案，不能登记开庭")
    if held_on < now.date():
        raise HearingError(f"开庭日期 {held_on.isoformat()} 早于今天，请核对开庭通知")
    if Hearing.objects.filter(case=case, held_on=held_on).exclude(state=HearingState.CANCELLED).exists():
        raise HearingError(f"{case.number} 在 {held_on.isoformat()} 的开庭通知已经登记过")
    hearing = Hearing.of_case(case, held_on=held_on, starts_at=starts_at, courtroom=courtroom, registered_by=by)
    # A notice that arrives after a reminder's moment is itself that reminder: the sweep will not send it again.
    if now >= reminder_moment(held_on, FIRST_REMINDER):
        hearing.reminded_t7_at = now
    if now >= reminder_moment(held_on, SECOND_REMINDER):
        hearing.reminded_t1_at = now
    hearing.save()
    hearing = Hearing.objects.select_related("case", "court", "agency").get(pk=hearing.pk)
    record_event(
        hearing, by=by, action="registered", summary=f"登记开庭通知：{held_on.isoformat()}，{hearing.court.name}"
    )
    people = Recipients([hearing]).dual_dispatch(hearing)
    body = f"{describe(hearing)}。请于 {hearing.designation_due().isoformat()} 前指定出庭负责人。"
    put(_messages(hearing, people, key="notice", subject="【开庭通知】请指定出庭负责人", body=body, now=now))
    return hearing


def roster_match(hearing: Hearing, name: str) -> OrganisationHead | None:
    """The line of the agency's heads roster valid on the hearing date that names this person, if any."""
    return hearing.agency.heads_on(hearing.held_on).filter(name=name.strip()).order_by("post").first()


def designate(
    hearing: Hearing, *, name: str, phone: str = "", by: User, now: datetime.datetime | None = None
) -> Hearing:
    """The agency designates the head who will appear (两核之一: checked against the roster valid on the day).

    A person not on that roster is refused with the reason, and the refusal is kept on the timeline.
    """
    now = local_now(now)
    with transaction.atomic():
        _lock(hearing)
        _require(can_act_for_agency(by, hearing), "为该开庭指定出庭负责人")
        _require_state(hearing, UPCOMING_STATES, "指定出庭负责人")
        head = roster_match(hearing, name)
        if head is None:
            valid = "、".join(f"{h.name}（{h.get_post_display()}）" for h in hearing.agency.heads_on(hearing.held_on))
            reason = (
                f"“{name.strip()}”不在{hearing.agency.name}于{hearing.held_on.isoformat()}有效的负责人名册中"
                f"（法释〔2020〕3号 第2条：正职、副职、分管副职或其他分管负责人）。"
                + (f"名册中的负责人：{valid}" if valid else "该单位尚无有效的负责人名册，请先维护名册")
            )
            record_event(hearing, by=by, action="designation_refused", summary=f"指定出庭负责人被拒绝：{reason}")
    if head is None:
        # The refusal event is committed above; the caller shows the reason.
        raise DesignationRefused(reason)
    with transaction.atomic():
        # Between the check above and this write the hearing may have been cancelled or given its attendance:
        # re-read under the lock and refuse rather than set it back to 已指定.
        _lock(hearing)
        _require_state(hearing, UPCOMING_STATES, "指定出庭负责人")
        late = now.date() > hearing.designation_due()
        changes = {"出庭负责人": [designee_text(hearing), f"{head.name}（{head.get_post_display()}）"]}
        hearing.designated_head = head
        hearing.designee_phone = phone.strip()
        hearing.designated_at = now
        hearing.state = HearingState.DESIGNATED
        hearing.absence_reason = ""
        hearing.explanation = hearing.delegate_name = hearing.delegate_title = ""
        hearing.save()
        summary = f"指定出庭负责人：{head.name}（{head.get_post_display()}）" + ("，晚于开庭前7日" if late else "")
        record_event(hearing, by=by, action="designated", summary=summary, changes=changes)
        people = Recipients([hearing]).dual_dispatch(hearing)
        body = f"{describe(hearing)}。{designee_text(hearing)}。"
        put(
            _messages(
                hearing, people, key=f"designated:{head.pk}", subject="【出庭应诉】已指定出庭负责人", body=body,
                now=now, to_designee=True,
            )
        )  # fmt: skip
    return hearing


@transaction.atomic
def explain_absence(
    hearing: Hearing,
    *,
    reason: str,
    explanation: str,
    delegate_name: str,
    delegate_title: str = "",
    by: User,
    now: datetime.datetime | None = None,
) -> Hearing:
    """A head who cannot appear files a written explanation with a lawful reason and delegates a staff member
    (行政诉讼法 第3条第3款; 法释〔2020〕3号 第8、9、10条)."""
    now = local_now(now)
    _lock(hearing)
    _require(can_act_for_agency(by, hearing), "为该开庭提交书面说明")
    _require_state(hearing, UPCOMING_STATES, "提交书面说明")
    errors = []
    if reason not in AbsenceReason.values:
        errors.append("请选择法定的不能出庭事由（不可抗力、意外事件、需要履行他人不能代替的公务、其他正当事由）")
    if not explanation.strip():
        errors.append("请填写书面说明")
    if not delegate_name.strip():
        errors.append("请填写委托出庭的工作人员")
    if errors:
        raise HearingError("；".join(errors))
    hearing.state = HearingState.EXCUSED
    hearing.absence_reason = reason
    hearing.explanation = explanation.strip()
    hearing.delegate_name = delegate_name.strip()
    hearing.delegate_title = delegate_title.strip()
    hearing.save()
    label = AbsenceReason(reason).label
    record_event(
        hearing,
        by=by,
        action="excused",
        summary=f"负责人不能出庭，提交书面说明（{label}），委托{hearing.delegate_name}出庭",
        changes={"不能出庭事由": ["", label], "委托出庭工作人员": ["", hearing.delegate_name]},
    )
    people = Recipients([hearing]).dual_dispatch(hearing)
    body = f"{describe(hearing)}。负责人不能出庭，事由：{label}；委托{hearing.delegate_name}出庭。说明：{hearing.explanation}"
    put(_messages(hearing, people, key="excused", subject="【出庭应诉】负责人不能出庭的书面说明", body=body, now=now))
    return hearing


def case_appearance(case: Case) -> dict[str, Any]:
    """The case's appearance as its recorded hearings say it now, for ``cases.workflow.record_appearance``.

    A head who appeared at any hearing of the case counts as appeared, and as having spoken if they spoke at any
    (出庭又出声). Where no head appeared, the case is excused (not 应出庭) only if every such hearing has a lawful
    reason on file (法释〔2020〕3号 第8条); one hearing missed without a reason makes it a hearing the head was due at.
    """
    recorded = list(
        Hearing.objects.filter(case=case, state__in=(HearingState.ATTENDED, HearingState.ABSENT)).order_by(
            "held_on", "id"
        )
    )
    attended = [h for h in recorded if h.state == HearingState.ATTENDED]
    if attended:
        return {
            "appeared": True,
            "head_name": attended[0].appeared_head_name,
            "spoke": any(h.spoke for h in attended),
        }
    reasons = [h.absence_reason for h in recorded]
    return {"appeared": False, "absence_reason": reasons[0] if reasons and all(reasons) else ""}


@transaction.atomic
def record_attendance(
    hearing: Hearing,
    *,
    appeared: bool,
    head_name: str = "",
    spoke: bool | None = None,
    speech: str = "",
    by: User,
    now: datetime.datetime | None = None,
) -> Hearing:
    """On or after the day, who appeared (两核之二) and whether the head spoke (出声, 法释〔2020〕3号 第11条第3款).

    The result is carried onto the case, where the figures count it; a case that would break the case rules with it
    (a hearing before the case's 立案日期) refuses the whole record with the rules' reason (``HearingError``).
    """
    now = local_now(now)
    _lock(hearing)
    _require(can_record_attendance(by, hearing), "登记该开庭的出庭情况")
    _require_state(hearing, (*UPCOMING_STATES, HearingState.ATTENDED, HearingState.ABSENT), "登记出庭情况")
    if now.date() < hearing.held_on:
        raise HearingError(f"开庭日期为 {hearing.held_on.isoformat()}，开庭当日或之后才能登记出庭情况")
    before = hearing.get_state_display()
    if appeared:
        name = head_name.strip() or (hearing.designated_head.name if hearing.designated_head else "")
        if not name:
            raise HearingError("请填写实际出庭的负责人")
        if roster_match(hearing, name) is None:
            raise HearingError(
                f"“{name}”不在{hearing.agency.name}于{hearing.held_on.isoformat()}有效的负责人名册中，"
                "不能计为负责人出庭（法释〔2020〕3号 第2条）；如由工作人员出庭，请登记为负责人未出庭"
            )
        if spoke is None:
            raise HearingError("请选择负责人是否就实质性化解争议发言（出声）")
        hearing.state = HearingState.ATTENDED
        hearing.appeared_head_name = name
        hearing.spoke = spoke
        hearing.speech = speech.strip()
        summary = f"负责人{name}出庭" + ("并发言（出声）" if spoke else "，未发言")
    else:
        hearing.state = HearingState.ABSENT
        hearing.appeared_head_name = ""
        hearing.spoke = None
        hearing.speech = speech.strip()
        excuse = (
            f"（已提交书面说明：{hearing.get_absence_reason_display()}）"
            if hearing.absence_reason
            else "（无书面说明）"
        )
        summary = "负责人未出庭" + excuse
    hearing.attendance_recorded_at = now
    hearing.save()
    record_event(
        hearing, by=by, action="attendance", summary=summary, changes={"状态": [before, hearing.get_state_display()]}
    )
    # The case's row lock orders two hearings of one case recorded at once: the second sees the first's record.
    hearing.case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    try:
        case_workflow.record_appearance(hearing.case, held_on=hearing.held_on, **case_appearance(hearing.case), by=by)
    except CaseInvalid as invalid:
        # The case rules' reason, as the case form shows it; the transaction is undone, so nothing is recorded.
        raise HearingError(f"出庭情况不能记入案件 {hearing.case.number}：{invalid}。请先核对案件信息") from None
    if not appeared:
        people = Recipients([hearing]).office[hearing.county_id]
        body = f"{describe(hearing)}。负责人未出庭{excuse}。"
        put(_messages(hearing, people, key="absent", subject="【出庭应诉】负责人未出庭", body=body, now=now))
    return hearing


@transaction.atomic
def cancel_hearing(hearing: Hearing, *, reason: str, by: User, now: datetime.datetime | None = None) -> Hearing:
    """The court withdraws a notice (延期、撤诉); everyone told of it is told it is off."""
    now = local_now(now)
    _lock(hearing)
    _require(can_cancel(by, hearing), "取消该开庭")
    _require_state(hearing, UPCOMING_STATES, "取消")
    if not reason.strip():
        raise HearingError("请填写取消原因")
    hearing.state = HearingState.CANCELLED
    hearing.cancel_reason = reason.strip()
    hearing.save()
    record_event(hearing, by=by, action="cancelled", summary=f"取消开庭：{hearing.cancel_reason}")
    people = Recipients([hearing]).dual_dispatch(hearing)
    body = f"{describe(hearing)}的通知已取消。原因：{hearing.cancel_reason}"
    put(_messages(hearing, people, key="cancelled", subject="【开庭取消】", body=body, now=now, to_designee=True))
    return hearing


# ---------------------------------------------------------------------------------------------------------------
# The sweep: 两提 and 一直达


@dataclass
class HearingSweep:
    reminded_t7: int = 0
    reminded_t1: int = 0
    escalated: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"开庭前7日提醒 {self.reminded_t7} 件，开庭前1日提醒 {self.reminded_t1} 件，未指定负责人督办 {self.escalated} 件"


def sweep_hearings(now: datetime.datetime | None = None) -> HearingSweep:
    """Send the reminders and escalations that are due at ``now``; running it again, or twice at once, sends
    nothing more (each step is claimed under ``select_for_update(skip_locked=True)`` and keyed in the outbox)."""
    now = local_now(now)
    report = HearingSweep()
    if not anything_due(now):
        return report
    rows = Rows("hearings.hearing", now)
    report.reminded_t7 = _remind(now, rows, days_before=FIRST_REMINDER)
    report.reminded_t1 = _remind(now, rows, days_before=SECOND_REMINDER)
    report.escalated = _escalate(now, rows)
    report.failed = rows.failed
    return report


def anything_due(now: datetime.datetime) -> bool:
    """Is any reminder or escalation due? (The idle sweep, almost every minute, stops here.) One index range per
    reminder, not one query with OR, which PostgreSQL answers by scanning the whole table (``bench/bench_sweep.py``)."""
    upcoming = Hearing.objects.filter(state__in=UPCOMING_STATES)
    for days, pending in (
        (FIRST_REMINDER, Q(reminded_t7_at__isnull=True)),
        (SECOND_REMINDER, Q(reminded_t1_at__isnull=True) | Q(state=HearingState.NOTIFIED)),
    ):
        first, last = _due_days(now, days)
        if first <= last and upcoming.filter(pending, held_on__range=(first, last)).exists():
            return True
    return False


def _due_days(now: datetime.datetime, days_before: int) -> tuple[datetime.date, datetime.date]:
    """The hearing days whose reminder is due at ``now``: its moment has come and the next step's has not."""
    today = now.date()
    last = today + datetime.timedelta(days=days_before)
    if now < reminder_moment(last, days_before):
        last -= datetime.timedelta(days=1)
    # The T-7 reminder is superseded by the T-1 one; the T-1 reminder stands until the day itself.
    first = today + datetime.timedelta(days=SECOND_REMINDER + 1) if days_before > SECOND_REMINDER else today
    return first, last


def _claim(rows: Rows, extra: Q, first: datetime.date, last: datetime.date) -> list[Hearing]:
    if first > last:
        return []
    return list(
        rows.exclude(Hearing.objects.select_for_update(skip_locked=True, of=("self",)))
        .filter(extra, state__in=UPCOMING_STATES, held_on__range=(first, last))
        .select_related("case", "court", "agency", "designated_head")
        .order_by("held_on", "id")
    )


@transaction.atomic
def _remind(now: datetime.datetime, rows: Rows, *, days_before: int) -> int:
    """The T-7 or T-1 reminder (两提) of the hearings it is due for; a hearing whose messages cannot be written is
    left for later and held back (``notifications.isolation``), the others are reminded."""
    field = f"reminded_t{days_before}_at"
    first, last = _due_days(now, days_before)
    hearings = _claim(rows, Q(**{f"{field}__isnull": True}), first, last)
    if not hearings:
        return 0
    people = Recipients(hearings)
    messages: list[OutboxRow] = []
    events, done = [], []
    label = f"开庭前{days_before}日提醒"
    for h in hearings:
        made = rows.guard(h.pk, partial(_reminder, h, people, days_before, label, now))
        if made is not None:
            messages += made
            events.append(PendingEvent(h, f"reminded_t{days_before}", f"发送{label}（两提）"))
            done.append(h.pk)
    Hearing.objects.filter(pk__in=done).update(**{field: now})
    put(messages)
    record_events(events, by=SYSTEM)
    return len(done)


def _reminder(h: Hearing, people: Recipients, days_before: int, label: str, now: datetime.datetime) -> list[OutboxRow]:
    urge = "" if h.designated_head_id or h.state == HearingState.EXCUSED else "请立即指定出庭负责人。"
    body = f"{describe(h)}。{designee_text(h)}。{urge}"
    users = people.agency[h.agency_id] + (people.office[h.county_id] if urge else [])
    return _messages(
        h, users, key=f"t{days_before}", subject=f"【{label}】{h.case.number}", body=body, now=now, to_designee=True
    )


@transaction.atomic
def _escalate(now: datetime.datetime, rows: Rows) -> int:
    """一直达: no valid designee when the T-1 reminder is due escalates to the 依法治办 head and the county head."""
    first, last = _due_days(now, SECOND_REMINDER)
    hearings = _claim(rows, Q(state=HearingState.NOTIFIED), first, last)
    if not hearings:
        return 0
    people = Recipients(hearings)
    messages: list[OutboxRow] = []
    events, done = [], []
    for h in hearings:
        made = rows.guard(h.pk, partial(_escalation, h, people, now))
        if made is None:
            continue
        messages += made
        events.append(
            PendingEvent(h, "escalated", "开庭前1日仍未指定出庭负责人，督办至依法治办负责人和县级政府负责人（一直达）",
                         {"状态": [HearingState.NOTIFIED.label, HearingState.ESCALATED.label]})
        )  # fmt: skip
        done.append(h.pk)
    Hearing.objects.filter(pk__in=done).update(state=HearingState.ESCALATED, escalated_at=now)
    put(messages)
    record_events(events, by=SYSTEM)
    return len(done)


def _escalation(h: Hearing, people: Recipients, now: datetime.datetime) -> list[OutboxRow]:
    body = f"{describe(h)}，开庭前1日仍未指定出庭负责人，请督促{h.agency.name}负责人出庭应诉。"
    return _messages(
        h,
        people.escalation(h),
        key="escalated",
        subject=f"【督办】{h.case.number} 未指定出庭负责人",
        body=body,
        now=now,
    )
