"""Court-attendance study (旁听庭审, SPEC §6.7 item 4) as transitions, and the yearly reminder of units behind.

``record_session`` (a unit's legal staff): a hearing their unit attended, with the people and their 心得; the case is
linked when its number is registered, else kept as the court's case number. ``add_attendee``: one more person, later.
Each checks the actor's right, validates (``AttendanceError`` naming what and where, nothing written), writes the
records and the Event on the session's timeline, and settles the unit's yearly obligation once it meets the rule, in
one transaction.

The rule (``rules.min_sessions``, at least 2 a year) is a due obligation of each administrative unit behind it (kind
``attendance.yearly``, due on 31 December, ``obligations``): the sweep part ``open_behind`` (order 63) opens it for
each unit found behind in the year (once the deployment records 旁听 at all), and the one obligation sweep reminds the unit's legal staff once a month at most
(a recurring kind: each reminder moves the next to the first of the following month) and chases it, with the county's
依法治办 told, once after the year if it is still behind. A unit that reaches the rule is settled and told no more.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from fuyuan.accountability.losses import liaisons, office_users
from fuyuan.attendance.models import Attendee, Mode, Session, SessionUnit
from fuyuan.attendance.queries import UNIT_KINDS, counts_of
from fuyuan.attendance.rules import min_sessions, rule_source
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

YEARLY = "attendance.yearly"


def year_rule(year: int) -> str:
    """A unit's obligation of one year (one per unit and year: last year's is chased while this year's runs)."""
    return f"attendance.min_sessions:{year}"


SYSTEM = Actor(label="系统定时任务")
MAX_TEXT = 5000


class AttendanceError(Exception):
    """A transition that cannot be done, with the reason in Chinese naming what and where (nothing was written)."""


@dataclass(frozen=True)
class Person:
    name: str
    post: str = ""
    reflection: str = ""


def can_record(user: User) -> bool:
    """A unit's legal staff record their own unit's sessions."""
    return user.is_active and user.role == Role.AGENCY_LIAISON and user.organisation_id is not None


def can_add_to(user: User, session: Session) -> bool:
    org_id = user.organisation_id
    return can_record(user) and org_id is not None and session.units.filter(organisation_id=org_id).exists()


def _text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise AttendanceError(f"请填写“{field}”")
    if len(value) > limit:
        raise AttendanceError(f"“{field}”不能超过{limit}字（现有{len(value)}字）")
    return value


def _people(people: Sequence[Person]) -> list[Person]:
    checked = []
    for n, p in enumerate(people, 1):
        name = _text(p.name, f"第{n}位旁听人员的姓名", limit=50)
        post = _text(p.post, f"第{n}位旁听人员的职务", limit=100)
        reflection = _text(p.reflection, f"第{n}位旁听人员的心得体会")
        if not name:
            if post or reflection:
                raise AttendanceError(f"第{n}位旁听人员填写了职务或心得，请填写姓名")
            continue
        checked.append(Person(name, post, reflection))
    if not checked:
        raise AttendanceError("请至少填写一位旁听人员的姓名")
    return checked


def attended(organisation_id: int, year: int) -> int:
    return counts_of(Organisation.objects.filter(pk=organisation_id), year).values_list("attended", flat=True)[0]


def _settle_if_met(organisation_id: int, year: int) -> None:
    if attended(organisation_id, year) >= min_sessions():
        obligations.settle(YEARLY, organisation_id, year_rule(year))


@transaction.atomic
def record_session(
    *,
    case_number: str,
    court: Organisation,
    held_on: datetime.date,
    mode: str,
    people: Sequence[Person],
    cause: str = "",
    by: User,
) -> Session:
    """A hearing the user's unit attended, with its people; the unit's count for the year goes up by one."""
    if not can_record(by):
        raise AttendanceError("您无权登记旁听庭审（只有单位的机关联络员可以登记本单位的旁听庭审）")
    unit = by.organisation
    assert unit is not None
    case_number = _text(case_number, "案号", required=True, limit=100)
    cause = _text(cause, "案由", limit=200)
    if court.kind != OrganisationKind.COURT:
        raise AttendanceError(f"“审理法院”应为法院，{court.name}是{court.get_kind_display()}")
    if held_on > timezone.localdate():
        raise AttendanceError(f"“庭审日期”{held_on:%Y-%m-%d}晚于今天：旁听庭审在庭审之后登记")
    if mode not in Mode.values:
        raise AttendanceError("请选择“旁听方式”：现场旁听或线上旁听")
    checked = _people(people)
    if SessionUnit.objects.filter(organisation=unit, held_on=held_on, session__case_number=case_number).exists():
        raise AttendanceError(f"本单位已登记过{held_on:%Y-%m-%d}旁听{case_number}的庭审")
    case = Case.objects.filter(number=case_number).first()
    session = Session.objects.create(
        case=case, case_number=case_number, cause=cause, court=court, held_on=held_on, mode=mode, recorded_by=by
    )
    unit_row = SessionUnit.objects.create(session=session, organisation=unit, held_on=held_on)
    Attendee.objects.bulk_create(
        [Attendee(unit=unit_row, name=p.name, post=p.post, reflection=p.reflection) for p in checked]
    )
    record_event(
        session,
        by=by,
        action="recorded",
        summary=f"{unit.name}{session.get_mode_display()}{court.name}{case_number}庭审，{len(checked)}人",
    )
    _settle_if_met(unit.pk, held_on.year)
    return session


@transaction.atomic
def add_attendee(session: Session, person: Person, *, by: User) -> Attendee:
    if not can_add_to(by, session):
        raise AttendanceError("您无权为该旁听庭审增加人员（只有参加旁听的单位的机关联络员可以）")
    (checked,) = _people([person])
    assert by.organisation_id is not None  # ``can_add_to``
    unit = session.units.get(organisation_id=by.organisation_id)
    attendee = Attendee.objects.create(unit=unit, name=checked.name, post=checked.post, reflection=checked.reflection)
    record_event(session, by=by, action="attendee_added", summary=f"增加旁听人员{checked.name}")
    return attendee


# ---------------------------------------------------------------------------------------------------------------
# Units behind, and their reminders (the sweep)


def behind(*, year: int) -> list[tuple[int, int]]:
    """(unit id, sessions attended) of every administrative unit under the rule in ``year`` (one query)."""
    qs = Organisation.objects.filter(kind__in=UNIT_KINDS)
    rows = counts_of(qs, year).filter(attended__lt=min_sessions()).values_list("pk", "attended")
    return list(rows)


@dataclass
class OpenReport:
    opened: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"新纳入提醒的未达标单位 {self.opened} 个"


def open_behind(now: datetime.datetime) -> OpenReport:
    """The sweep part (order 63): each unit behind in the year of ``now`` without its obligation for the year gets one,
    reminded from today; those already there are left as they are (their monthly round runs in the sweep)."""
    if not SessionUnit.objects.exists():
        # A deployment that records no 旁听 at all does not use this part: its units are not reminded of it.
        return OpenReport()
    today = timezone.localtime(now).date()
    due_on = datetime.date(today.year, 12, 31)
    rule_id = year_rule(today.year)
    have = set(Obligation.objects.filter(kind=YEARLY, rule_id=rule_id).values_list("subject_id", flat=True))
    new = [
        obligations.Due(subject_id=pk, due_on=due_on, rule_id=rule_id, warn=today, owner_organisation_id=pk)
        for pk, _ in behind(year=today.year)
        if pk not in have
    ]
    obligations.keep_all(YEARLY, new)
    return OpenReport(opened=len(new))


def _first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _tell_unit(ob: Obligation, now: datetime.datetime, *, chase: bool) -> bool:
    year = ob.due_on.year
    count = attended(ob.subject_id, year)
    rule = min_sessions()
    if count >= rule:
        return False
    unit = Organisation.objects.select_related("region").get(pk=ob.subject_id)
    link = f"/attendance/?organisation={unit.pk}&year={year}"
    if chase:
        users = liaisons(unit.pk, Role.AGENCY_LIAISON) + office_users(unit.region.county())
        subject = "【旁听庭审】上年度旁听庭审未达标"
        body = f"{unit.name}{year}年旁听庭审{count}次，未达到每年不少于{rule}次的要求（{rule_source()}）。"
        key = f"attendance:{unit.pk}:{year}:overdue"
    else:
        users = liaisons(unit.pk, Role.AGENCY_LIAISON)
        subject = "【旁听庭审】本年度旁听庭审尚未达标"
        body = (
            f"{unit.name}{year}年已旁听庭审{count}次，还差{rule - count}次（{rule_source()}）。"
            "请组织国家工作人员旁听庭审，并在平台登记旁听情况和心得体会。"
        )
        key = f"attendance:{unit.pk}:{timezone.localtime(now):%Y-%m}"
    put(personal_rows(users, subject=subject, body=body, link=link, dedup_key=key, now=now))
    return True


def remind_behind(ob: Obligation, now: datetime.datetime) -> bool:
    return _tell_unit(ob, now, chase=False)


def chase_behind(ob: Obligation, now: datetime.datetime) -> bool:
    return _tell_unit(ob, now, chase=True)


def next_round(ob: Obligation, now: datetime.datetime) -> tuple[datetime.date, datetime.date] | None:
    """Reminded this month: the next reminder on the first of next month (at most once a month), or, in December,
    none before the chase after the year (a warn day past the due date)."""
    following = _first_of_next_month(timezone.localtime(now).date())
    if following > ob.due_on:
        return ob.due_on + datetime.timedelta(days=1), ob.due_on
    return following, ob.due_on


YEARLY_KIND = Kind(YEARLY, "旁听庭审未达标", remind_behind, chase_behind, renew=next_round)


@dataclass
class AttendanceSweep:
    reminded: int = 0
    chased: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"未达标单位提醒 {self.reminded} 个，年度未达标督办 {self.chased} 个"


def attendance_sweep(report: obligations.ObligationSweep) -> AttendanceSweep:
    reminded, chased, failed = report.of(YEARLY)
    return AttendanceSweep(reminded=reminded, chased=chased, failed=failed)
