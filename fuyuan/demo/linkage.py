"""The demo's government–court linkage (府院联动, SPEC §6.9), replayed through the four apps' own transitions.

``build_linkage`` runs inside ``generate_demo`` once the cases exist. As in ``fuyuan.demo.supervision``, every record
is made by the transition functions the pages call, each run "at" the day it happened (``replayed_at``), so that each
has its timeline, its notices and the state its steps lead to; nothing is written directly. It is what a prefecture
has a few months into its linkage work, relative to the day the demo runs, and kept small (a few dozen transitions):

- 联席会议 (``meetings.workflow``): the 州 and 石门县 each run a 府院联席会议办公室 with its convenor, deputies and member
  units; the 州 held its annual meeting and a 败诉分析研判会, 石门县 (whose loss rate is the highest) a 专题会议. Their
  decisions are tasks of the member units: some reported and confirmed done, one sent back, some still open, one past
  its date and unreported (the sweep chases it).
- 败诉风险提示 (``consultation.workflow``): courts warn defendant agencies on pending first-instance cases; answered
  自行纠正 (and the suit then withdrawn after the act was changed: 化解), 协调和解 (with a 判前会商 minuted),
  坚持应诉; one awaits its answer, another is past its answer date.
- 裁判履行 (``performance.workflow``): the courts open performance items on recent losses with an effective judgment;
  performed on time, performed late after the court's measure (行政诉讼法 第96条), past the date and unperformed,
  and not yet due.
- 非诉执行 (``nonlitigation.workflow``): agencies' files in each step: 催告 served and its wait running, applied and
  awaiting acceptance, granted and executed by the court, granted and handed over under 裁执分离, refused with its
  causes.

Only agencies with a demo login can answer, report or apply (their liaisons do it), so the records are placed on
them and on the courts. Determinism: drawn from ``random.Random(f"{seed}:linkage")``; the dates depend on the day
the demo runs.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from fuyuan.cases import workflow as cases
from fuyuan.cases.choices import CaseKind, Instance, LitigationOutcome, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.consultation import workflow as consultation
from fuyuan.consultation.choices import Answer, Concern
from fuyuan.core.models import Organisation, Region, RegionLevel, Role, User
from fuyuan.core.timeline import timeline
from fuyuan.demo.supervision import replayed_at, word_file
from fuyuan.hearings import workflow as hearings
from fuyuan.hearings.models import UPCOMING_STATES, Hearing
from fuyuan.meetings import workflow as meetings
from fuyuan.meetings.models import JointOffice, MeetingKind, MemberRole
from fuyuan.nonlitigation import workflow as nonlitigation
from fuyuan.nonlitigation.choices import ExecutionResult, Ruling
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.performance import workflow as performance
from fuyuan.performance.models import MeasureKind, PerformanceItem
from fuyuan.performance.rules import duty_of

T = TypeVar("T")

RISK_TEXTS = {
    Concern.PROCEDURE: "被诉行政行为作出前未依法告知当事人陈述、申辩权利，未按规定组织听证，程序存在明显瑕疵。",
    Concern.FACTS: "现场勘验笔录缺少当事人签名，认定事实的主要证据不足以形成完整证据链。",
    Concern.LAW: "被诉决定援引的规范性文件与上位法不一致，适用法律依据存在错误风险。",
}
ANSWER_TEXTS = {
    Answer.CORRECT: "经复查，原行政行为程序确有瑕疵，我局已撤销原决定，将依法重新调查处理，并与原告沟通撤诉事宜。",
    Answer.SETTLE: "我局拟在法院主持下与原告协商补偿方案，争取协调和解、实质性化解争议。",
    Answer.DEFEND: "经复查，被诉行为认定事实清楚、程序合法，我局将补充提交证据，坚持依法应诉。",
}
DUTY_TEXTS = {
    "pay": "按判决支付补偿款及利息",
    "redo": "撤销原行政行为，在判决确定的期限内重新作出行政行为",
    "compensate": "按判决赔偿原告经济损失",
    "perform_duty": "在判决确定的期限内对原告的申请作出处理",
    "other": "按生效判决履行",
}

# The days since the judgment took effect that each performance story needs (the default period is 60 days): a late
# one is past its date, refused, fined and then performed; an overdue one past its date and refused.
BANDS = {"late": (110, 300), "overdue": (70, 200), "on_time": (45, 250)}


class _Linkage:
    def __init__(self, *, seed: int, now: datetime.datetime) -> None:
        self.rng = random.Random(f"{seed}:linkage")
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.users = {u.username: u for u in User.objects.select_related("region", "organisation")}
        self.prefecture = Region.objects.get(level=RegionLevel.PREFECTURE)
        self.orgs = {o.name: o for o in Organisation.objects.select_related("region")}
        liaisons = sorted((u for u in self.users.values() if u.role == Role.AGENCY_LIAISON), key=lambda u: u.pk)
        self.liaison_of_org: dict[int, User] = {}
        for u in liaisons:
            if u.organisation_id is not None:
                self.liaison_of_org.setdefault(u.organisation_id, u)
        self.court_liaison: dict[int, User] = {
            u.organisation_id: u
            for u in sorted(self.users.values(), key=lambda u: -u.pk)
            if u.role == Role.COURT_LIAISON and u.organisation_id is not None
        }
        self.counts: dict[str, int] = {}

    # --- moments ------------------------------------------------------------------------------------------------
    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment in office hours on ``day``, before now."""
        minutes = self.rng.randint(9 * 60, 17 * 60 + 30)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))
        return min(moment, self.now - datetime.timedelta(minutes=self.rng.randint(5, 60)))

    def happened(self, day: datetime.date) -> bool:
        """A step on ``day`` has happened by the time the demo runs (today's work is still to be done)."""
        return day < self.today

    def run(self, day: datetime.date, transition: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``transition`` as if it were a moment of ``day`` (the clock it reads) and return what it returns."""
        with replayed_at(self.at(day)):
            return transition(*args, **kwargs)

    def run_at(self, day: datetime.date, transition: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``run`` for the transitions that also take the moment as ``now``."""
        moment = self.at(day)
        with replayed_at(moment):
            return transition(*args, now=moment, **kwargs)

    def org(self, name: str) -> Organisation:
        return self.orgs[name]

    # --- 联席会议 -----------------------------------------------------------------------------------------------
    def joint_meetings(self) -> None:
        prefecture_office = self.office("zfb_zhou", "ld_zhou", days_ago=420, place="云岭州")
        county_office = self.office("zfb_shimen", "ld_shimen", days_ago=200, place="石门县")
        pref = "云岭州"
        self.meeting(
            prefecture_office,
            "zfb_zhou",
            kind=MeetingKind.ANNUAL,
            title=f"{self.today.year if self.today.month > 3 else self.today.year - 1}年度云岭州府院联席会议",
            days_ago=150,
            agenda=[
                "通报上年度全州行政诉讼、行政复议案件情况",
                "研究部署府院联动工作要点",
                "审议府院联席会议成员单位职责",
            ],
            minutes=(
                "会议听取了州中级人民法院、州司法局关于上年度行政案件审理和复议办理情况的通报，分析了征收补偿、"
                "行政处罚领域败诉集中的原因。会议要求各成员单位落实负责人出庭应诉制度，建立诉前沟通、判前会商机制，"
                "对议定事项按期办结并报告。"
            ),
            decisions=[
                (f"{pref}自然资源局", "建立征收补偿类案件败诉风险排查台账，逐案明确责任科室", 90, "done"),
                (f"{pref}中级人民法院", "会同州司法局制定诉前沟通、判前会商工作办法", 60, "done"),
                (f"{pref}住房和城乡建设局", "清理违法建设强制拆除类案件的执法程序，形成整改清单", 20, "overdue"),
            ],
        )
        self.meeting(
            prefecture_office,
            "zfb_zhou",
            kind=MeetingKind.LOSS_ANALYSIS,
            title="云岭州行政诉讼败诉案件分析研判会",
            days_ago=45,
            agenda=["逐案分析本年度一审败诉案件", "听取败诉较多单位的情况说明", "研究败诉案件倒查和整改措施"],
            minutes=(
                "会议逐案分析了本年度一审败诉案件，败诉原因主要集中在程序违法、证据不足和适用法律错误。"
                "会议要求败诉较多的单位对败诉案件开展倒查，法院对败诉率偏高的领域发出司法建议并跟踪回访。"
            ),
            decisions=[
                (f"{pref}自然资源局", "对本年度败诉的征收类案件逐案倒查，形成分析报告报州依法治办", -25, "open"),
                (f"{pref}中级人民法院", "对败诉率偏高的领域开展司法建议回访，形成回访报告", -40, "reported"),
                (f"{pref}自然资源局", "组织本系统执法人员开展征收程序规范专题培训", -10, "returned"),
                (f"{pref}公安局", "梳理治安处罚类败诉案件，完善现场执法记录制度", -30, "open"),
            ],
        )
        self.meeting(
            county_office,
            "zfb_shimen",
            kind=MeetingKind.SPECIAL,
            title="石门县行政诉讼败诉率偏高问题专题会议",
            days_ago=35,
            agenda=["分析本县败诉率超过百分之三十的原因", "研究负责人出庭应诉和败诉整改措施"],
            minutes=(
                "会议分析了本县行政诉讼败诉率偏高的原因，要求县人力资源和社会保障局等败诉较多的单位限期整改，"
                "县人民法院对涉诉行政机关开展诉前风险提示。"
            ),
            decisions=[
                ("石门县人力资源和社会保障局", "梳理工伤认定类败诉案件，完善调查取证程序", -20, "open"),
                ("石门县人民法院", "对涉诉行政机关开展败诉风险提示，每季度通报一次", 10, "done"),
            ],
        )

    def office(self, office_user: str, leader_user: str, *, days_ago: int, place: str) -> JointOffice:
        by = self.users[office_user]
        leader = self.users[leader_user]
        region = by.scope_region
        assert region is not None
        opened = self.day(days_ago)
        office = self.run_at(opened, meetings.open_office, region, by=by)
        court = f"{place}中级人民法院" if place == "云岭州" else f"{place}人民法院"
        government = self.org(f"{place}人民政府")
        members: list[tuple[str, Organisation, str, str, User | None]] = [
            (MemberRole.CONVENOR, government, leader.full_name, "州长" if place == "云岭州" else "县长", None),
            (MemberRole.DEPUTY, self.org(court), self.person(), "院长", None),
            (MemberRole.DEPUTY, government, self.person(), "常务副州长" if place == "云岭州" else "常务副县长", None),
        ]
        units = [court, f"{place}司法局", f"{place}自然资源局", f"{place}公安局", f"{place}住房和城乡建设局",
                 f"{place}人力资源和社会保障局", f"{place}行政争议协调化解中心"]  # fmt: skip
        for name in units:
            org = self.org(name)
            liaison = self.court_liaison.get(org.pk) or self.liaison_of_org.get(org.pk)
            members.append((MemberRole.MEMBER, org, "", "", liaison))
        for role, org, person, post, liaison in members:
            self.run(
                opened, meetings.appoint_member, office, role=role, organisation=org, person=person, post=post,
                liaison=liaison, valid_from=opened, by=by,
            )  # fmt: skip
        return office

    def person(self) -> str:
        return self.rng.choice("王李张刘陈杨黄赵吴周") + "".join(self.rng.choices("建国明华志伟秀英丽军", k=2))

    def meeting(
        self,
        office: JointOffice,
        office_user: str,
        *,
        kind: str,
        title: str,
        days_ago: int,
        agenda: list[str],
        minutes: str,
        decisions: list[tuple[str, str, int, str]],
    ) -> None:
        """A meeting held ``days_ago`` and recorded the next working day; each decision (owner, text, days before
        today it is due — negative: still to come —, how it goes) is then reported, confirmed or sent back."""
        by = self.users[office_user]
        held = self.day(days_ago)
        recorded = held + datetime.timedelta(days=1)
        participants = [
            meetings.ParticipantDraft(m.person or f"{m.organisation.name}负责人", m.organisation, m.post)
            for m in office.members.select_related("organisation").order_by("pk")
        ]
        drafts = [meetings.DecisionDraft(text, self.org(owner), self.day(due)) for owner, text, due, _how in decisions]
        meeting = self.run_at(
            recorded, meetings.record_meeting, office, kind=kind, title=title, held_on=held,
            place=f"{office.region.name}人民政府第一会议室", agenda=agenda, participants=participants, minutes=minutes,
            decisions=drafts, by=by,
        )  # fmt: skip
        for decision, (_owner, _text, due_days_ago, how) in zip(
            meeting.decisions.order_by("position"), decisions, strict=True
        ):
            reporter = self.court_liaison.get(decision.owner_id) or self.liaison_of_org.get(decision.owner_id)
            if how in ("open", "overdue") or reporter is None:
                continue
            due = self.day(due_days_ago)
            reported = min(due - datetime.timedelta(days=self.rng.randint(3, 12)), self.day(2))
            reported = max(reported, recorded + datetime.timedelta(days=3))
            upload = word_file(
                f"第{decision.position}项办理情况.docx", "议定事项办理情况报告", decision.text + "，已办结。"
            )
            text = f"已按会议要求{decision.text}，相关材料见附件。"
            self.run_at(reported, meetings.report_decision, decision, text=text, upload=upload, by=reporter)
            if how == "reported":
                continue
            checked = min(reported + datetime.timedelta(days=self.rng.randint(2, 6)), self.day(1))
            if how == "returned":
                note = "培训覆盖面不全，请补充各县市区执法人员参训情况后再报。"
                self.run_at(checked, meetings.return_decision, decision, note=note, by=by)
            else:
                self.run_at(checked, meetings.confirm_decision, decision, by=by)
        self.counts["联席会议"] = self.counts.get("联席会议", 0) + 1

    # --- 败诉风险提示 -------------------------------------------------------------------------------------------
    def pending_first_instance(self, *, filed_before: datetime.date) -> QuerySet[Case]:
        """Pending first-instance cases that no package or earlier notice concerns, newest first."""
        return (
            Case.objects.filter(
                kind=CaseKind.LITIGATION,
                instance=Instance.FIRST,
                concluded_on__isnull=True,
                filed_on__lt=filed_before,
                court_id__in=list(self.court_liaison),
            )
            .exclude(packages__isnull=False)
            .exclude(risk_notices__isnull=False)
            .select_related("court", "defendant")
            .order_by("-filed_on", "-pk")
        )

    @staticmethod
    def free_from(case: Case) -> datetime.date:
        """The first day a suit can be withdrawn: the day after its hearing, if it was heard."""
        return (case.hearing_on or datetime.date.min) + datetime.timedelta(days=1)

    def risk_notices(self) -> None:
        """Notices sent ``days_ago`` with their answer: an answered one on a case of an agency with a liaison (spread
        over those agencies; where none is pending the notice still awaits its answer), one from the 中院."""
        plan: list[tuple[str | None, int, list[str], bool]] = [
            (Answer.CORRECT, 45, [Concern.PROCEDURE], False),
            (Answer.SETTLE, 35, [Concern.FACTS, Concern.LAW], False),
            (Answer.DEFEND, 28, [Concern.FACTS], False),
            (None, 30, [Concern.LAW], True),  # unanswered past its date
            (Answer.SETTLE, 20, [Concern.PROCEDURE], True),
            (None, 3, [Concern.PROCEDURE, Concern.FACTS], False),
        ]
        answering = list(self.liaison_of_org)
        prefecture_court = self.org("云岭州中级人民法院").pk
        used: set[int] = set()
        per_agency: Counter[int] = Counter()
        for answer, days_ago, concerns, from_prefecture_court in plan:
            sent = self.day(days_ago)
            candidates = self.pending_first_instance(filed_before=sent - datetime.timedelta(days=10)).exclude(
                pk__in=used
            )
            pool = list(candidates.filter(defendant_id__in=answering)[:60])
            free = {c.pk: self.free_from(c) for c in pool} if answer == Answer.CORRECT else {}
            pool.sort(
                key=lambda c: (
                    free.get(c.pk, datetime.date.min),  # a suit to be withdrawn: the one its hearings let go first
                    from_prefecture_court and c.court_id != prefecture_court,
                    per_agency[c.defendant_id],
                    answering.index(c.defendant_id),
                )
            )
            if not pool and answer != Answer.CORRECT:
                answer = None
                pool = list(candidates.order_by("court_id" if from_prefecture_court else "-filed_on")[:1])
                pool.sort(key=lambda c: c.court_id != prefecture_court)
            if not pool:
                continue
            case = pool[0]
            used.add(case.pk)
            per_agency[case.defendant_id] += 1
            self.risk_notice(case, answer, sent, concerns)

    def risk_notice(self, case: Case, answer: str | None, sent: datetime.date, concerns: Iterable[str]) -> None:
        assert case.court_id is not None
        court = self.court_liaison[case.court_id]
        text = "".join(RISK_TEXTS.get(Concern(c), "") for c in concerns) + "请贵单位认真研判，依法自行纠正或协调化解。"
        notice = self.run(sent, consultation.send_notice, case, concerns=concerns, text=text, by=court)
        self.counts["风险提示"] = self.counts.get("风险提示", 0) + 1
        if answer is None:
            return
        agency = self.liaison_of_org[notice.agency_id]
        answered = sent + datetime.timedelta(days=self.rng.randint(3, 7))
        self.run(
            answered, consultation.answer_notice, notice, answer=answer, text=ANSWER_TEXTS[Answer(answer)], by=agency
        )
        if answer == Answer.SETTLE:
            held = answered + datetime.timedelta(days=self.rng.randint(4, 9))
            if self.happened(held):
                self.run(
                    held, consultation.record_meeting, notice, held_on=held, place=f"{notice.court.name}调解室",
                    participants=f"{notice.court.name}行政庭承办法官、{notice.agency.name}分管负责人、原告及其代理人",
                    minutes="各方就争议焦点和补偿方案充分交换意见，行政机关同意在十五日内提出书面和解方案。",
                    by=court,
                )  # fmt: skip
        if answer == Answer.CORRECT:
            self.withdraw(notice.case_id, court, answered + datetime.timedelta(days=self.rng.randint(10, 20)))

    def withdraw(self, case_id: int, court: User, earliest: datetime.date) -> None:
        """The agency withdrew its act; the plaintiff withdraws the suit (行政诉讼法 第62条) and the court rules so: its
        hearing notices still to come are cancelled and the case concludes 行政机关改变行为后撤诉."""
        case = Case.objects.get(pk=case_id)
        withdrawn = max(earliest, self.free_from(case))
        if not self.happened(withdrawn):
            return
        for hearing in Hearing.objects.filter(case=case, state__in=UPCOMING_STATES):
            # Cancelled after whatever its notice saw (a designation, a reminder) before the court got to it.
            last = timeline(hearing).order_by("-at").values_list("at", flat=True).first()
            moment = min(max(self.at(withdrawn), last or self.now), self.now)
            reason = "被告自行纠正被诉行政行为，原告申请撤诉，取消开庭"
            with replayed_at(moment):
                hearings.cancel_hearing(hearing, reason=reason, by=court, now=moment)
        values = {
            "concluded_on": withdrawn,
            "outcome": LitigationOutcome.WITHDRAWN_AFTER_CHANGE,
            "note": "被告自行撤销被诉行政行为，原告申请撤诉，法院裁定准许",
        }
        self.run(withdrawn, cases.update_case, case, values, by=court)

    # --- 裁判履行 -----------------------------------------------------------------------------------------------
    def performance_items(self) -> None:
        """Items on recent losses with an effective judgment: one case of each agency with a login and of the 中院,
        and the most recent others; each goes as its age allows."""
        losses = (
            Case.objects.filter(
                kind=CaseKind.LITIGATION,
                outcome__in=loss_outcomes(),
                effective_on__isnull=False,
                effective_on__gte=self.day(420),
                court_id__in=list(self.court_liaison),
            )
            .exclude(performance_items__isnull=False)
            .select_related("court", "defendant")
            .order_by("-effective_on", "-pk")
        )
        chosen: list[Case] = []
        for org_id in [*self.liaison_of_org, self.org("云岭州中级人民法院").pk]:
            field = "court_id" if org_id not in self.liaison_of_org else "defendant_id"
            case = losses.filter(**{field: org_id}).first()
            if case is not None and case not in chosen:
                chosen.append(case)
        # Each story on a judgment old enough for it: the agencies' own if they fit, else the most recent that does.
        stories: dict[int, str] = {}
        for how in ("late", "overdue", "on_time", "on_time"):
            fitting = [c for c in chosen if c.pk not in stories and self.fits(how, self.age(c))]
            if not fitting:
                low, high = BANDS[how]
                extra = losses.filter(effective_on__range=(self.day(high), self.day(low))).exclude(
                    pk__in=[c.pk for c in chosen]
                )
                found = extra.filter(defendant_id__in=list(self.liaison_of_org)).first() or extra.first()
                if found is None:
                    continue
                chosen.append(found)
                fitting = [found]
            stories[fitting[0].pk] = how
        for case in sorted(chosen, key=lambda c: (c.effective_on, c.pk)):
            self.performance_item(case, stories.get(case.pk) or ("on_time" if self.age(case) >= 45 else "open"))

    def age(self, case: Case) -> int:
        assert case.effective_on is not None
        return (self.today - case.effective_on).days

    @staticmethod
    def fits(how: str, age: int) -> bool:
        low, high = BANDS[how]
        return low <= age <= high

    def performance_item(self, case: Case, how: str) -> None:
        assert case.court_id is not None and case.effective_on is not None
        court = self.court_liaison[case.court_id]
        opened = min(case.effective_on + datetime.timedelta(days=self.rng.randint(1, 5)), self.day(1))
        duty = duty_of(case.outcome)
        item = self.run_at(opened, performance.open_item, case, duty=duty, text=DUTY_TEXTS[duty], by=court)
        self.counts["裁判履行"] = self.counts.get("裁判履行", 0) + 1
        agency = self.liaison_of_org.get(item.agency_id)
        if how == "open":
            return
        if how == "on_time":
            performed = item.due_on - datetime.timedelta(days=self.rng.randint(5, 25))
            performed = max(performed, opened + datetime.timedelta(days=2))
            self.perform(item, agency, court, performed)
            return
        # Past the date: the court records the failure; a late one is then made to perform by the court's measure.
        refused = item.due_on + datetime.timedelta(days=self.rng.randint(3, 8))
        if not self.happened(refused):
            return
        note = f"履行期限届满，{item.agency.name}未报告履行，经电话催告仍未履行。"
        item = self.run_at(refused, performance.record_non_performance, item, note=note, by=court)
        if how != "late":
            return
        taken = refused + datetime.timedelta(days=self.rng.randint(5, 10))
        if not self.happened(taken):
            return
        self.run_at(
            taken, performance.record_measure, item, kind=MeasureKind.FINE, taken_on=taken, daily_fine=80,
            text=f"自期满之日起对{item.agency.name}负责人按日处八十元罚款，直至履行完毕（行政诉讼法 第96条第(二)项）",
            by=court,
        )  # fmt: skip
        self.perform(item, agency, court, taken + datetime.timedelta(days=self.rng.randint(8, 20)))

    def perform(self, item: PerformanceItem, agency: User | None, court: User, performed: datetime.date) -> None:
        """The agency reports with proof (where it has a login) and the court confirms a few days later."""
        if not self.happened(performed):
            return
        if agency is not None:
            proof = word_file("履行证明.docx", "履行情况说明", f"{item.agency.name}已{item.text}。")
            text = f"已{item.text}，附履行证明材料。"
            self.run_at(performed, performance.report_performance, item, text=text, upload=proof, by=agency)
        confirmed = min(performed + datetime.timedelta(days=self.rng.randint(2, 6)), self.day(1))
        self.run_at(confirmed, performance.confirm_performance, item, performed_on=performed, by=court)

    # --- 非诉执行 -----------------------------------------------------------------------------------------------
    # (agency, court, decision number, party, what the decision orders, days ago served, how far it goes)
    FILES = [
        ("云岭州自然资源局", "云城区人民法院", "云州自然资罚〔{y}〕{n}号", "云岭州鑫源建材有限公司",
         "责令退还非法占用的集体土地4.6亩，拆除在非法占用的土地上新建的建筑物，并处罚款13.8万元", 205, "reminded"),
        ("云岭州自然资源局", "云城区人民法院", "云州自然资罚〔{y}〕{n}号", "云岭州宏达房地产开发有限公司",
         "责令限期拆除非法占地建设的厂房，恢复土地原状", 330, "executed"),
        ("云城区住房和城乡建设局", "云城区人民法院", "云城住建罚〔{y}〕{n}号", "云岭州长兴商贸有限公司",
         "责令限期拆除未取得建设工程规划许可证建设的两层临街商铺", 250, "applied"),
        ("云城区住房和城乡建设局", "云城区人民法院", "云城住建罚〔{y}〕{n}号", "杨德明",
         "责令限期拆除违法建设的砖混结构房屋约120平方米", 300, "handed_over"),
        ("青山县自然资源局", "青山县人民法院", "青自然资罚〔{y}〕{n}号", "青山县瑞丰农业开发有限公司",
         "责令退还非法占用的耕地2.3亩，并处罚款6.9万元", 290, "refused"),
        ("青山县自然资源局", "青山县人民法院", "青自然资罚〔{y}〕{n}号", "赵国平",
         "处罚款2万元", 40, "registered"),
    ]  # fmt: skip

    def enforcement_files(self) -> None:
        for n, (agency_name, court_name, number, party, summary, days_ago, goes) in enumerate(self.FILES, 7):
            agency = self.org(agency_name)
            liaison = self.liaison_of_org.get(agency.pk)
            court = self.org(court_name)
            court_user = self.court_liaison.get(court.pk)
            if liaison is None or court_user is None:
                continue
            served = self.day(days_ago)
            decided = served - datetime.timedelta(days=self.rng.randint(2, 6))
            values = {
                "decision_number": number.format(y=decided.year, n=n + self.rng.randint(0, 30)),
                "decision_date": decided,
                "decision_summary": summary,
                "party_name": party,
                "served_on": served,
            }
            file = self.run(served + datetime.timedelta(days=2), nonlitigation.register_file, values, by=liaison)
            self.counts["非诉执行"] = self.counts.get("非诉执行", 0) + 1
            if goes == "registered":
                continue
            self.enforcement_file(file, liaison, court, court_user, goes)

    def enforcement_file(
        self, file: EnforcementFile, liaison: User, court: Organisation, court_user: User, goes: str
    ) -> None:
        """From the 催告 (served a few days after the remedy periods ended) as far as ``goes`` and the days allow."""
        reminded = file.remedy_end_on + datetime.timedelta(days=self.rng.randint(2, 6))
        if goes == "reminded":  # served a few days ago: its 10 working days still run
            reminded = max(file.remedy_end_on + datetime.timedelta(days=1), self.day(self.rng.randint(3, 6)))
        if not self.happened(reminded):
            return
        number = f"{file.decision_number.split('〔')[0]}催〔{reminded.year}〕{self.rng.randint(3, 40)}号"
        file = self.run(reminded, nonlitigation.record_reminder, file, number=number, served_on=reminded, by=liaison)
        if goes == "reminded" or file.may_apply_from is None:
            return
        applied = file.may_apply_from + datetime.timedelta(days=self.rng.randint(1, 10))
        if goes == "applied":  # applied in the last days: the court's 5 working days still run
            applied = max(file.may_apply_from, self.day(self.rng.randint(1, 3)))
        if not self.happened(applied):
            return
        file = self.run(applied, nonlitigation.apply_to_court, file, court=court, applied_on=applied, by=liaison)
        if goes == "applied":
            return
        accepted = applied + datetime.timedelta(days=self.rng.randint(1, 4))
        if not self.happened(accepted):
            return
        court_number = (
            f"（{accepted.year}）{'云2701' if '云城' in court.name else '云2702'}行审{self.rng.randint(10, 90)}号"
        )
        file = self.run(
            accepted, nonlitigation.accept_application, file, accepted_on=accepted, court_case_number=court_number,
            by=court_user,
        )  # fmt: skip
        ruled = accepted + datetime.timedelta(days=self.rng.randint(3, 8))
        if not self.happened(ruled):
            return
        ruling_number = court_number.replace("行审", "行审裁")
        if goes == "refused":
            self.run(
                ruled, nonlitigation.rule_on_application, file, ruling=Ruling.REFUSED, ruled_on=ruled,
                ruling_number=ruling_number, causes=["procedure", "facts"],
                reasons="被申请执行的行政处罚决定作出前未告知当事人听证权利，且占地面积的认定缺少测绘依据，明显缺乏事实根据。",
                by=court_user,
            )  # fmt: skip
            return
        file = self.run(
            ruled, nonlitigation.rule_on_application, file, ruling=Ruling.GRANTED, ruled_on=ruled,
            ruling_number=ruling_number, by=court_user,
        )  # fmt: skip
        if goes == "handed_over":
            # 裁执分离: the ruling names the district government, which organises the demolition.
            body = self.org(f"{court.region.name}人民政府")
            handed = ruled + datetime.timedelta(days=self.rng.randint(2, 5))
            if self.happened(handed):
                self.run(
                    handed, nonlitigation.hand_over, file, executing_body=body, handed_over_on=handed, by=court_user
                )
            return
        executed = ruled + datetime.timedelta(days=self.rng.randint(15, 30))
        if self.happened(executed):
            self.run(
                executed, nonlitigation.record_execution, file, result=ExecutionResult.EXECUTED, executed_on=executed,
                text="法院组织强制执行，违法建筑已拆除，土地已恢复原状。", by=court_user,
            )  # fmt: skip


def build_linkage(*, seed: int, now: datetime.datetime) -> dict[str, int]:
    """Replay the linkage work of the demo prefecture (see the module docstring); how many records of each app."""
    demo = _Linkage(seed=seed, now=now)
    demo.joint_meetings()
    demo.risk_notices()
    demo.performance_items()
    demo.enforcement_files()
    return demo.counts
