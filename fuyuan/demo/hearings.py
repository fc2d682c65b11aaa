"""The demo's hearings around the day it runs: notices for the next 14 days and attendance of the last 14.

The cases of the demo end the day before it runs (``generator.last_day``), and a hearings page shows the coming
week, so these hearings are placed relative to ``now``, the moment the demo is generated: upcoming ones in every state
of the appearance workflow (SPEC §6.1) and recent ones already attended or missed. Each is consistent with what
``hearings.workflow`` would have written: the same states, moments and Events, and the attendance carried onto
the case (``cases.workflow.record_appearance``) so that the figures count it.

The sources behind the states: 行政诉讼法 第3条第3款 (the head appears; one who cannot delegates staff);
法释〔2020〕3号 第2条 (who is a head: the roster), 第8-10条 (a lawful reason, a written explanation and a delegated
staff member), 第11条第3款 (the head speaks: 出声); the local rule 两提两核一直达 (reminders at T-7 and T-1, escalation
when no head is designated by T-1; SPEC §5 ``hearing.first_reminder``/``hearing.second_reminder``).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from fuyuan.cases.choices import AbsenceReason
from fuyuan.cases.models import Case
from fuyuan.core.models import HeadPost, OrganisationHead, Role, User
from fuyuan.core.timeline import Actor, PendingEvent, record_events
from fuyuan.core.workdays import WorkCalendar
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.hearings.workflow import FIRST_REMINDER, SECOND_REMINDER, SYSTEM, reminder_moment

# With the default 20,000 cases: about 60 notices in the coming 14 days and 20 hearings held in the last 14;
# a smaller demo gets proportionally fewer, but never fewer than it takes to show every state.
DEFAULT_SIZE = 20000  # generator.DEFAULT_CASES
UPCOMING_AT_DEFAULT = 60
PAST_AT_DEFAULT = 20
MIN_UPCOMING = 12
MIN_PAST = 6
WINDOW_DAYS = 14
# Shares of the upcoming states (the rest are DESIGNATED); each state gets at least one hearing.
UPCOMING_SHARES = {
    HearingState.NOTIFIED: 0.30,
    HearingState.EXCUSED: 0.12,
    HearingState.ESCALATED: 0.08,
    HearingState.CANCELLED: 0.04,
}
ABSENT_SHARE = 0.2
SPOKE_SHARE = 0.93  # 出庭又出声: most heads who appear now speak
LATE_DESIGNATION_SHARE = 0.15
# 行政诉讼法 第67条: the defence is due 15 days after service, so the court sets the hearing after that.
DEFENCE_DAYS = 15

START_TIMES = [
    datetime.time(9, 0),
    datetime.time(9, 30),
    datetime.time(10, 0),
    datetime.time(14, 30),
    datetime.time(15, 0),
]
COURTROOMS = ["第一审判庭", "第二审判庭", "第三审判庭", "行政审判庭"]
# 法释〔2020〕3号 第8条: the lawful reasons, weighted as they occur; each with a written explanation (第9条).
ABSENCE_REASONS: dict[str, tuple[float, list[str]]] = {
    AbsenceReason.IRREPLACEABLE_DUTY: (
        6,
        [
            "开庭当日需参加县防汛抗旱指挥部紧急调度会议，该项公务不能由他人代替。",
            "开庭当日需陪同省安全生产督查组开展现场督查，该项公务不能由他人代替。",
            "开庭当日需出席人大常委会会议并作专项工作报告，该项公务不能由他人代替。",
        ],
    ),
    AbsenceReason.OTHER_JUSTIFIED: (2, ["负责人因病住院治疗，附医院诊断证明，无法出庭。"]),
    AbsenceReason.ACCIDENT: (1, ["负责人赴庭途中遭遇交通事故受伤，无法出庭。"]),
    AbsenceReason.FORCE_MAJEURE: (0.5, ["因强降雨引发山体滑坡致道路中断，负责人无法按时到庭。"]),
}
DELEGATE_TITLES = ["政策法规科科长", "法规股股长", "办公室主任", "综合执法大队副大队长"]
# What a head who speaks says (法释〔2020〕3号 第11条第3款: on the substantive resolution of the dispute).
SPEECHES = [
    "介绍作出被诉行政行为的背景和依据，表示尊重法院裁判，愿意在法院主持下与原告协商化解。",
    "认可原告部分诉求的合理性，表示庭后即组织复核，就补偿标准与原告进一步协商。",
    "承认执法程序存在瑕疵，表示将举一反三整改，并就原告的实际困难提出解决方案。",
    "说明已对原告反映的问题开展调查，承诺十五日内书面答复原告并抄送法院。",
]
CANCEL_REASONS = ["原告申请延期开庭，本院准许，开庭日期另行通知", "合议庭成员变更，开庭日期另行通知"]


@dataclass
class DemoPeople:
    """Who acts for a hearing: the court's liaison registers it, the agency's liaison (or the county's 依法治办)
    designates and explains, the 依法治办 supervises."""

    court_liaison: dict[int, User] = field(default_factory=dict)  # court id → user
    agency_liaison: dict[int, User] = field(default_factory=dict)  # agency id → user
    office: dict[int, User] = field(default_factory=dict)  # region id → 依法治办 user
    fallback: User | None = None  # the prefecture's 依法治办

    @classmethod
    def load(cls, prefecture_id: int) -> DemoPeople:
        people = cls()
        for user in User.objects.filter(role__in=[Role.COURT_LIAISON, Role.AGENCY_LIAISON, Role.RULE_OF_LAW_OFFICE]):
            if user.role == Role.COURT_LIAISON and user.organisation_id is not None:
                people.court_liaison.setdefault(user.organisation_id, user)
            elif user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
                people.agency_liaison.setdefault(user.organisation_id, user)
            elif user.role == Role.RULE_OF_LAW_OFFICE and user.region_id is not None:
                people.office.setdefault(user.region_id, user)
        people.fallback = people.office.get(prefecture_id)
        return people

    def office_of(self, case: Case) -> User:
        user = self.office.get(case.county_id) or self.fallback
        assert user is not None, "the demo has a 依法治办 user for the prefecture"
        return user

    def registrar(self, case: Case) -> User:
        """A court liaison of the case's court, else the 依法治办 of its county (both may register, SPEC §6.1)."""
        assert case.court_id is not None
        return self.court_liaison.get(case.court_id) or self.office_of(case)

    def for_agency(self, case: Case) -> User:
        return self.agency_liaison.get(case.defendant_id) or self.office_of(case)


@dataclass
class PlannedHearing:
    hearing: Hearing
    # The hearing's timeline: (when, who, action, summary); written in the order of ``when``.
    events: list[tuple[datetime.datetime, User | Actor, str, str]] = field(default_factory=list)


def valid_heads(heads: Sequence[OrganisationHead], on: datetime.date) -> list[OrganisationHead]:
    return [h for h in heads if h.valid_from <= on and (h.valid_to is None or h.valid_to >= on)]


def fake_mobile(rng: random.Random) -> str:
    """A made-up 139 number for the demo's SMS channel."""
    return "139" + "".join(rng.choices("0123456789", k=8))


class HearingPlanner:
    """Plans the demo's hearings on pending first-instance cases not yet heard; ``save_hearings`` writes them."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime.datetime,
        heads_by_org: dict[int, list[OrganisationHead]],
        people: DemoPeople,
        person: Callable[[], str],
    ) -> None:
        self.rng = rng
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.heads_by_org = heads_by_org
        self.people = people
        self.person = person
        self.absences = 0
        self.calendar = WorkCalendar()

    # --- moments ------------------------------------------------------------------------------------------
    def at(
        self, day: datetime.date, low: tuple[int, int] = (8, 30), high: tuple[int, int] = (17, 30)
    ) -> datetime.datetime:
        """A moment in office hours on ``day``, never after now."""
        minutes = self.rng.randint(low[0] * 60 + low[1], high[0] * 60 + high[1])
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))
        if moment > self.now:
            moment = self.now - datetime.timedelta(minutes=self.rng.randint(5, 90))
        return moment

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # --- what to plan -------------------------------------------------------------------------------------
    def states(self, total_cases: int) -> list[str]:
        """The states to plan, one of each first (so that a small demo still shows every state), then the rest."""
        upcoming = max(MIN_UPCOMING, round(UPCOMING_AT_DEFAULT * total_cases / DEFAULT_SIZE))
        past = max(MIN_PAST, round(PAST_AT_DEFAULT * total_cases / DEFAULT_SIZE))
        counts: dict[str, int] = {state: max(1, round(upcoming * share)) for state, share in UPCOMING_SHARES.items()}
        counts[HearingState.DESIGNATED] = max(1, upcoming - sum(counts.values()))
        counts[HearingState.ABSENT] = max(2, round(past * ABSENT_SHARE))
        counts[HearingState.ATTENDED] = max(1, past - counts[HearingState.ABSENT])
        first: list[str] = [*counts, HearingState.ABSENT]  # two absences: one excused in writing, one not
        rest = [state for state, n in counts.items() for _ in range(n)]
        for state in first:
            rest.remove(state)
        self.rng.shuffle(rest)
        return first + rest

    def held_on(self, state: str) -> datetime.date:
        """A hearing day for ``state``. Courts sit on working days (holidays and 调休 as the calendar knows them),
        save that an escalation is tied to its T-1 moment: tomorrow or today, whatever day that is."""
        today = self.today
        if state == HearingState.ESCALATED:
            # 一直达 happens at the T-1 reminder's moment: a hearing tomorrow is escalated only once it has come.
            tomorrow = today + datetime.timedelta(days=1)
            if self.now >= reminder_moment(tomorrow, SECOND_REMINDER) and self.rng.random() < 0.7:
                return tomorrow
            return today
        if state in (HearingState.ATTENDED, HearingState.ABSENT):
            return self.rng.choice(self.sitting_days(-WINDOW_DAYS, -1))
        if state == HearingState.NOTIFIED:
            # Not designated yet and not escalated: the T-1 moment is still ahead, mostly more than 7 days away.
            days = self.sitting_days(2, WINDOW_DAYS)
            return self.rng.choices(days, weights=[(d - today).days for d in days])[0]
        return self.rng.choice(self.sitting_days(0 if state == HearingState.DESIGNATED else 1, WINDOW_DAYS))

    def sitting_days(self, first: int, last: int) -> list[datetime.date]:
        """The working days from ``first`` to ``last`` days after today (all the days, should none be one)."""
        days = [self.today + datetime.timedelta(days=n) for n in range(first, last + 1)]
        return [d for d in days if self.calendar.is_workday(d)] or days

    def plan(self, candidates: list[Case], total_cases: int) -> list[PlannedHearing]:
        """Hearings on cases drawn from ``candidates`` (pending first-instance cases with no hearing yet);
        a case gets at most one hearing, and only on a day after its defence was due."""
        pool = list(candidates)
        self.rng.shuffle(pool)
        plans = []
        # The agencies and courts with a demo login get an upcoming hearing first, so that their pages have work.
        waiting_agencies, waiting_courts = set(self.people.agency_liaison), set(self.people.court_liaison)
        for state in self.states(total_cases):
            held_on = self.held_on(state)
            case = None
            if state not in (HearingState.ATTENDED, HearingState.ABSENT):
                first = (c for c in pool if c.defendant_id in waiting_agencies or c.court_id in waiting_courts)
                case = next((c for c in first if self.can_be_heard(c, held_on)), None)
            case = case or next((c for c in pool if self.can_be_heard(c, held_on)), None)
            if case is None:
                continue
            pool.remove(case)
            if state not in (HearingState.ATTENDED, HearingState.ABSENT):
                waiting_agencies.discard(case.defendant_id)
                waiting_courts.discard(case.court_id or 0)
            plans.append(self.hearing(case, state, held_on))
        return plans

    def can_be_heard(self, case: Case, held_on: datetime.date) -> bool:
        served = case.complaint_served_on
        if served is None:  # filed in the last days: the court has not served the complaint yet
            return False
        ready = served + datetime.timedelta(days=DEFENCE_DAYS + 1)
        if case.defence_submitted_on is not None:
            ready = max(ready, case.defence_submitted_on + datetime.timedelta(days=1))
        return ready <= held_on and bool(valid_heads(self.heads_by_org[case.defendant_id], held_on))

    # --- one hearing --------------------------------------------------------------------------------------
    def hearing(self, case: Case, state: str, held_on: datetime.date) -> PlannedHearing:
        assert case.court is not None and case.complaint_served_on is not None
        registrar = self.people.registrar(case)
        agency_actor = self.people.for_agency(case)
        hearing = Hearing.of_case(
            case,
            held_on=held_on,
            starts_at=self.rng.choice(START_TIMES),
            courtroom=self.rng.choice(COURTROOMS),
            state=state,
            registered_by=registrar,
        )
        plan = PlannedHearing(hearing)
        # The notice arrives two to four weeks ahead, after the complaint was served.
        earliest = max(case.complaint_served_on + datetime.timedelta(days=1), held_on - datetime.timedelta(days=30))
        latest = min(held_on - datetime.timedelta(days=3), self.today)
        registered = self.at(self.day_between(earliest, max(earliest, latest)))
        plan.events.append(
            (registered, registrar, "registered", f"登记开庭通知：{held_on.isoformat()}，{case.court.name}")
        )

        # Until when the hearing was waiting: now, its cancellation, or the evening of its day.
        ends = self.now
        if state == HearingState.CANCELLED:
            ends = max(registered, self.at(self.day_between(registered.date(), self.today)))
        elif state in (HearingState.ATTENDED, HearingState.ABSENT):
            ends = self.at(held_on, (16, 0), (18, 0))

        absent_how = ""
        if state == HearingState.ABSENT:
            # Absences alternate: excused in writing, designated but not there, never designated (escalated).
            absent_how = ("excused", "designated", "escalated")[self.absences % 3]
            self.absences += 1
        if state == HearingState.EXCUSED or absent_how == "excused":
            self.excuse(plan, agency_actor, registered, ends)
        elif state in (HearingState.DESIGNATED, HearingState.ATTENDED) or absent_how == "designated":
            self.designate(plan, agency_actor, registered, ends)

        for days_before, name in ((FIRST_REMINDER, "reminded_t7_at"), (SECOND_REMINDER, "reminded_t1_at")):
            moment = reminder_moment(held_on, days_before)
            if moment > ends:
                continue
            if moment <= registered:
                # A notice registered after a reminder's moment counts as that reminder (hearings.workflow).
                setattr(hearing, name, registered)
            else:
                setattr(hearing, name, moment)
                plan.events.append(
                    (moment, SYSTEM, f"reminded_t{days_before}", f"发送开庭前{days_before}日提醒（两提）")
                )

        if state == HearingState.ESCALATED or absent_how == "escalated":
            hearing.escalated_at = max(registered, min(reminder_moment(held_on, SECOND_REMINDER), self.now))
            summary = "开庭前1日仍未指定出庭负责人，督办至依法治办负责人和县级政府负责人（一直达）"
            plan.events.append((hearing.escalated_at, SYSTEM, "escalated", summary))
        if state in (HearingState.ATTENDED, HearingState.ABSENT):
            self.attend(plan, registrar, ends)
        if state == HearingState.CANCELLED:
            hearing.cancel_reason = self.rng.choice(CANCEL_REASONS)
            plan.events.append((ends, registrar, "cancelled", f"取消开庭：{hearing.cancel_reason}"))
        plan.events.sort(key=lambda e: e[0])
        return plan

    def before_the_day(
        self, since: datetime.datetime, held_on: datetime.date, ends: datetime.datetime
    ) -> datetime.date:
        """The last day an agency can act on: the day before the hearing, and not after ``ends``."""
        return max(since.date(), min(ends.date(), held_on - datetime.timedelta(days=1)))

    def designate(
        self, plan: PlannedHearing, actor: User, registered: datetime.datetime, ends: datetime.datetime
    ) -> None:
        """两核之一: a head on the roster valid on the hearing day, mostly the deputy in charge (分管副职), designated
        before T-7 as a rule and sometimes late."""
        hearing = plan.hearing
        valid = valid_heads(self.heads_by_org[hearing.agency_id], hearing.held_on)
        head = self.rng.choices(valid, weights=[1 if h.post == HeadPost.PRINCIPAL else 3 for h in valid])[0]
        due = hearing.designation_due()
        last = self.before_the_day(registered, hearing.held_on, ends)
        if self.rng.random() < LATE_DESIGNATION_SHARE and due < last:
            day = self.day_between(due + datetime.timedelta(days=1), last)
        else:
            day = self.day_between(registered.date(), max(registered.date(), min(due, last)))
        hearing.designated_head = head
        hearing.designee_phone = fake_mobile(self.rng)
        hearing.designated_at = min(max(self.at(day), registered + datetime.timedelta(minutes=30)), ends)
        late = hearing.designated_at.date() > due
        summary = f"指定出庭负责人：{head.name}（{head.get_post_display()}）" + ("，晚于开庭前7日" if late else "")
        plan.events.append((hearing.designated_at, actor, "designated", summary))

    def excuse(self, plan: PlannedHearing, actor: User, registered: datetime.datetime, ends: datetime.datetime) -> None:
        """法释〔2020〕3号 第8-10条: a lawful reason, a written explanation and a delegated staff member."""
        hearing = plan.hearing
        reason = self.rng.choices(list(ABSENCE_REASONS), weights=[w for w, _ in ABSENCE_REASONS.values()])[0]
        hearing.absence_reason = reason
        hearing.explanation = self.rng.choice(ABSENCE_REASONS[reason][1])
        hearing.delegate_name = self.person()
        hearing.delegate_title = self.rng.choice(DELEGATE_TITLES)
        day = self.day_between(registered.date(), self.before_the_day(registered, hearing.held_on, ends))
        when = min(max(self.at(day), registered + datetime.timedelta(minutes=30)), ends)
        label = AbsenceReason(reason).label
        summary = f"负责人不能出庭，提交书面说明（{label}），委托{hearing.delegate_name}出庭"
        plan.events.append((when, actor, "excused", summary))

    def attend(self, plan: PlannedHearing, registrar: User, recorded: datetime.datetime) -> None:
        """两核之二 and 出声; the result is carried onto the case as ``cases.workflow.record_appearance`` does."""
        hearing, case = plan.hearing, plan.hearing.case
        hearing.attendance_recorded_at = recorded
        case.hearing_on = hearing.held_on
        if hearing.state == HearingState.ATTENDED:
            assert hearing.designated_head is not None
            hearing.appeared_head_name = hearing.designated_head.name
            hearing.spoke = self.rng.random() < SPOKE_SHARE
            hearing.speech = self.rng.choice(SPEECHES) if hearing.spoke else ""
            case.head_appeared, case.appeared_head, case.head_spoke = True, hearing.appeared_head_name, hearing.spoke
            summary = f"负责人{hearing.appeared_head_name}出庭" + ("并发言（出声）" if hearing.spoke else "，未发言")
        else:
            case.head_appeared, case.head_absence_reason = False, hearing.absence_reason
            label = AbsenceReason(hearing.absence_reason).label if hearing.absence_reason else ""
            summary = "负责人未出庭" + (f"（已提交书面说明：{label}）" if label else "（无书面说明）")
        plan.events.append((recorded, registrar, "attendance", summary))


def save_hearings(plans: Sequence[PlannedHearing]) -> int:
    """Insert the hearings (their cases are saved) and their timelines, each hearing's events in order."""
    Hearing.objects.bulk_create([p.hearing for p in plans])
    rounds = max((len(p.events) for p in plans), default=0)
    for k in range(rounds):
        # Round k holds every hearing's k-th event, so each timeline's events get ids in their own order.
        by_actor: dict[str, tuple[User | Actor, list[PendingEvent]]] = {}
        for p in plans:
            if k < len(p.events):
                _when, actor, action, summary = p.events[k]
                key = f"user:{actor.pk}" if isinstance(actor, User) else f"label:{actor.label}"
                by_actor.setdefault(key, (actor, []))[1].append(PendingEvent(p.hearing, action, summary))
        for key in sorted(by_actor):
            actor, pending = by_actor[key]
            record_events(pending, by=actor)
    return len(plans)
