"""The demo's coordination centres (SPEC §6.2): a coordinator pool and the disputes of 2024 up to the day it runs.

What ``build_disputes`` adds to the demo prefecture (``generator.py`` has made the centres, agencies, courts and
司法局 of 云岭州 and its 8 counties, the heads rosters, the users and the cases):

- A pool of about 40 coordinators (专业协调员库): a judge of every court and one more of the 中院, an expert of every
  司法局 (three at the prefecture's), lawyers of three law firms and retired officials of the 人民调解员协会 (two
  organisations of kind "其他" for each). Each has one to three domains; four are not available today (two
  withdrawn from assignment, two away until a day after today); a few declared conflicts of interest, with an
  agency or with an applicant by name. Six of them log in (``generator.DEMO_USERS``: ``xty_*``).
- About 1,500 disputes (``DISPUTES_AT_DEFAULT`` with 20,000 cases, proportionally fewer for a smaller demo but
  never fewer than ``MIN_DISPUTES``) received from 2024-01-01 to the day the demo runs, at the nine centres:
  法院诉前委派 and 窗口 the most common sources, 征地拆迁, 林业, 自然资源 and 劳动社保 the most common domains,
  now and then a group dispute. Each dispute went through the procedure of ``disputes.workflow`` as far as its
  dates reach: accepted, a 专班 assigned (never a coordinator in conflict), reviewed, planned, 四方会谈 with
  their minutes, and closed — about 60 % of those closed after acceptance mediated (安阳: 61.8 %), the rest
  withdrawn (about half after the agency corrected its act), or handed over to litigation or reconsideration,
  linked to a demo case of the same agency filed after it where there is one; a few rejected at intake. The
  dates that reach past the day the demo runs are cut there, so the recent disputes are open in every state,
  with their time limits computed as the workflow does (``deadlines.rules.compute_due`` on
  ``core.queries.work_calendar()``: ``centre.expert_review``, ``centre.plan``, ``centre.pre_litigation``).
- Every step is an Event on the dispute's timeline, at the moment it happened; a hand-over also on the case's.
- The figures' story: 石门县, whose loss rate broke 30 % in 2025, strengthened its centre: its 调解成功率 climbs
  from under 50 % in 2024 to about three quarters in 2026.

Determinism: everything is drawn from ``random.Random(f"{seed}:disputes")``, after the cases and hearings, so
those stay as they were; the disputes also depend on the day the demo runs (``now``).
Speed: every row is written in bulk (``bulk_create`` and ``core.bulk.insert_rows`` for the events).
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from fuyuan.cases.choices import ActType, CaseKind, Domain, Instance
from fuyuan.cases.models import Case
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Event, Organisation, OrganisationHead, OrganisationKind, Region, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.workdays import WorkCalendar
from fuyuan.deadlines.rules import compute_due
from fuyuan.disputes import classify
from fuyuan.disputes import obligations as periods
from fuyuan.disputes.choices import (
    AssignmentRole,
    ConsentWay,
    DisputeOutcome,
    DisputeState,
    MeetingKind,
    ParticipantRole,
    Source,
    WithdrawalReason,
)
from fuyuan.disputes.models import Assignment, Conflict, Coordinator, Dispute, Meeting, Participant

if TYPE_CHECKING:
    from fuyuan.demo.generator import Place

K = TypeVar("K")
# Who did a step: a user, or a label for a step with no user (an online application).
Who = User | str

DISPUTES_AT_DEFAULT = 1500
DEFAULT_CASES = 20000  # generator.DEFAULT_CASES
MIN_DISPUTES = 400
FIRST_DAY = datetime.date(2024, 1, 1)

SOURCE_WEIGHTS: dict[str, float] = {
    Source.COURT_REFERRAL: 34,
    Source.WINDOW: 30,
    Source.RECONSIDERATION: 10,
    Source.PETITION: 10,
    Source.HOTLINE: 9,
    Source.ONLINE: 7,
}
DOMAIN_WEIGHTS: dict[str, float] = {
    Domain.LAND_EXPROPRIATION: 24,
    Domain.NATURAL_RESOURCES: 18,
    Domain.LABOUR: 15,
    Domain.FORESTRY: 14,
    Domain.HOUSING: 9,
    Domain.PUBLIC_SECURITY: 5,
    Domain.MARKET: 4,
    Domain.TRANSPORT: 4,
    Domain.ENVIRONMENT: 3,
    Domain.EDUCATION: 2,
    Domain.HEALTH: 2,
}
# The prefecture's centre takes the prefecture's own agencies and, for about a third of its disputes, a county
# agency's major or group dispute.
PREFECTURE_CENTRE_VOLUME = 1.5
PREFECTURE_TAKES_COUNTY_SHARE = 0.3
GROUP_SHARE = 0.03
GROUP_MATTER_WEIGHT = 0.3  # a matter about a number of households is chosen less often than the others
REJECTED_SHARE = 0.03
# 调解成功率 of the disputes closed after acceptance, by place and year of the dispute (安阳: 61.8 %).
MEDIATION_RATE = {"云岭州": 0.62, "云城区": 0.60, "青山县": 0.63, "白水县": 0.58, "龙溪县": 0.61,
                  "松林县": 0.57, "梅岭县": 0.62, "安澜市": 0.60}  # fmt: skip
MEDIATION_YEAR_SHIFT = {2024: -0.02, 2025: 0.0, 2026: 0.02}
MEDIATION_OVERRIDE = {("石门县", 2024): 0.46, ("石门县", 2025): 0.66, ("石门县", 2026): 0.76}
# How the others end: withdrawn (half of them after the agency corrected its act) or handed over.
FAILED_WEIGHTS: dict[str, float] = {
    DisputeOutcome.WITHDRAWN: 50,
    DisputeOutcome.TO_LITIGATION: 33,
    DisputeOutcome.TO_RECONSIDERATION: 17,
}
AGENCY_CORRECTED_SHARE = 0.55
# The number of steps (accepted, assigned, reviewed, planned) a dispute went through before it ended, by outcome.
CLOSING_STAGE_WEIGHTS: dict[str, dict[int, float]] = {
    DisputeOutcome.MEDIATED: {4: 90, 3: 10},
    DisputeOutcome.WITHDRAWN: {1: 25, 2: 25, 3: 15, 4: 35},
    DisputeOutcome.TO_LITIGATION: {4: 80, 3: 20},
    DisputeOutcome.TO_RECONSIDERATION: {4: 80, 3: 20},
}
OPEN_STATES_BY_STEPS = [
    DisputeState.RECEIVED,
    DisputeState.ACCEPTED,
    DisputeState.ASSIGNED,
    DisputeState.REVIEWED,
    DisputeState.PLANNED,
]

# The matters, by domain: (act type, text). ``{agency}`` is the agency's name, ``{n}`` the number of people.
MATTERS: dict[str, list[tuple[str, str]]] = {
    Domain.LAND_EXPROPRIATION: [
        (ActType.INDEMNITY, "{n}户村民对{agency}作出的集体土地征收补偿安置方案不服，认为补偿标准偏低，要求提高补偿"),
        (ActType.LEVY, "申请人房屋被列入棚户区改造征收范围，对{agency}作出的房屋征收补偿决定不服，要求重新评估"),
        (ActType.COERCION, "申请人称{agency}组织实施的强制拆除行为未依法告知，要求确认违法并赔偿损失"),
        (ActType.AGREEMENT, "申请人与{agency}签订的征收补偿安置协议约定的安置房至今未交付，要求继续履行协议"),
        (ActType.INDEMNITY, "申请人要求{agency}支付拖欠的征地补偿款及利息"),
        (ActType.INFORMATION, "申请人向{agency}申请公开征收补偿资金使用情况的政府信息，对答复不服"),
    ],
    Domain.FORESTRY: [
        (ActType.INDEMNITY, "申请人承包的林地被划入生态公益林，对{agency}核定的补偿不服，要求提高补偿标准"),
        (ActType.PENALTY, "申请人因无证采伐林木被{agency}处以罚款并没收林木，认为采伐的系自家退耕还林地林木"),
        (ActType.CONFIRMATION, "申请人与邻村就林权归属发生争议，不服{agency}作出的林权确权决定"),
        (ActType.COMPENSATION, "苗木推广服务中心的苗圃林木因修建道路被毁损，要求{agency}行政赔偿"),
        (ActType.LICENSING, "申请人申请林木采伐许可，{agency}逾期未作出审批决定"),
    ],
    Domain.NATURAL_RESOURCES: [
        (ActType.REGISTRATION, "申请人对{agency}颁发给他人的不动产登记证书不服，认为侵占其宅基地，要求撤销登记"),
        (ActType.PENALTY, "申请人因未批先建被{agency}处以罚款并责令退还非法占用的土地，认为处罚过重"),
        (ActType.NONPERFORMANCE, "申请人申请宅基地审批，{agency}逾期未答复"),
        (ActType.CONFIRMATION, "申请人与村民小组就土地权属发生争议，不服{agency}作出的确权处理决定"),
    ],
    Domain.LABOUR: [
        (ActType.CONFIRMATION, "申请人在工地作业时受伤，{agency}作出不予认定工伤决定，申请人不服"),
        (ActType.NONPERFORMANCE, "{n}名农民工被拖欠工资，要求{agency}依法履行劳动保障监察职责"),
        (ActType.CONFIRMATION, "申请人对{agency}核定的养老保险待遇不服，要求重新核定"),
        (ActType.CONFIRMATION, "用人单位不服{agency}作出的工伤认定决定"),
    ],
    Domain.HOUSING: [
        (ActType.COERCION, "申请人房屋被认定为违法建筑，{agency}作出限期拆除决定，申请人认为该房屋系合法建设"),
        (ActType.NONPERFORMANCE, "小区{n}户业主反映物业维修资金使用问题，要求{agency}依法监管"),
        (ActType.LICENSING, "申请人对{agency}作出的建设工程规划许可不服，认为影响其房屋采光通风"),
    ],
    Domain.PUBLIC_SECURITY: [
        (ActType.PENALTY, "申请人因邻里纠纷被{agency}行政拘留五日并处罚款，认为事实不清"),
        (ActType.NONPERFORMANCE, "申请人申请户口迁移，{agency}不予办理"),
    ],
    Domain.MARKET: [
        (ActType.PENALTY, "申请人因销售过期食品被{agency}罚款，认为处罚过重"),
        (ActType.REGISTRATION, "申请人申请变更营业执照登记事项，{agency}不予登记"),
    ],
    Domain.TRANSPORT: [
        (ActType.COERCION, "申请人驾驶车辆从事道路运输经营被{agency}罚款并扣押车辆，要求返还车辆"),
    ],
    Domain.ENVIRONMENT: [
        (ActType.PENALTY, "申请人经营的养殖场被{agency}以超标排污为由罚款并责令停产整治"),
    ],
    Domain.EDUCATION: [
        (ActType.NONPERFORMANCE, "申请人子女入学申请被{agency}拒绝，要求依法安排就近入学"),
    ],
    Domain.HEALTH: [
        (ActType.PENALTY, "申请人诊所因超范围执业被{agency}罚款，认为处罚过重"),
    ],
}
MONEY_ACTS = frozenset({ActType.LEVY, ActType.INDEMNITY, ActType.COMPENSATION, ActType.AGREEMENT})
CLAIMS: dict[str, str] = {
    ActType.INDEMNITY: "请求依法提高补偿标准并足额支付补偿款",
    ActType.LEVY: "请求撤销征收补偿决定，重新评估补偿",
    ActType.COMPENSATION: "请求赔偿经济损失",
    ActType.AGREEMENT: "请求继续履行协议并赔偿逾期损失",
    ActType.PENALTY: "请求撤销或变更处罚决定",
    ActType.COERCION: "请求确认强制行为违法并赔偿损失",
    ActType.NONPERFORMANCE: "请求依法履行法定职责",
    ActType.REGISTRATION: "请求撤销登记并重新办理",
    ActType.CONFIRMATION: "请求撤销认定结论并重新作出",
    ActType.LICENSING: "请求依法作出许可决定",
    ActType.INFORMATION: "请求重新作出政府信息公开答复",
}
REVIEW_OPINIONS = [
    "经专家评审：{agency}作出的行为程序上存在瑕疵（未充分听取申请人陈述申辩），实体处理基本适当，建议以补正程序、"
    "释法说理为重点开展协调。",
    "经专家评审：补偿标准适用有误，应按本年度公布的区片综合地价重新核定，建议{agency}重新测算后与申请人协商。",
    "经专家评审：{agency}认定事实清楚，申请人的诉求部分缺乏依据，建议做好释法明理，对其实际困难依政策予以帮扶。",
    "经专家评审：争议焦点在于权属来源，建议调取原始登记档案，组织双方现场核实后再行协调。",
]
PLANS = [
    "由牵头协调员组织四方会谈：{agency}负责人说明依据，司法局专家释明政策，法官释明诉讼风险，争取在期限内达成调解协议。",
    "{agency}先行复核并重新测算补偿，协调员与申请人逐户沟通，复核结果出来后召开四方会谈。",
    "分两步化解：先由{agency}补正程序，再组织四方会谈就实际困难的解决方案进行协商。",
]
FOUR_PARTY_MINUTES = [
    "法官释明诉讼风险，司法局专家说明政策依据，{agency}负责人表示愿意重新核定，申请人同意在新方案基础上协商。",
    "{agency}负责人就作出行为的依据作了说明并承认程序存在瑕疵；申请人坚持原诉求，双方同意七日后再次会谈。",
    "各方就补偿数额基本达成一致，约定由{agency}起草协议文本，申请人回去征求家庭成员意见。",
]
NEXT_STEPS = [
    "{agency}于7日内提交重新核定的方案；协调员跟踪落实。",
    "协调员与申请人保持沟通，下次会谈前完成现场核实。",
    "起草调解协议文本，报中心审核后组织签署。",
]
EXPERT_MINUTES = "专家组审阅了卷宗材料，听取了{agency}的情况说明，形成评审意见。"
MEDIATION_MINUTES = "双方在协调员主持下签署调解协议，{agency}负责人当场承诺按期履行。"
AGREEMENTS = [
    "一、{agency}于30日内重新核定并支付补偿款；二、申请人撤回相关申请，不再就同一事项申请复议或者提起诉讼。",
    "一、{agency}撤销原决定并于15日内重新作出；二、申请人对重新作出的决定予以认可。",
    "一、{agency}协助申请人依政策申请救助并解决实际困难；二、申请人认可原行政行为，不再就此事项主张权利。",
]
CORRECTED_NOTES = [
    "{agency}已自行撤销原行政行为并重新作出，申请人撤回申请。",
    "{agency}已依法补正程序并重新答复，申请人撤回申请。",
]
OTHER_WITHDRAWAL_NOTES = ["申请人表示已理解有关政策，撤回申请。", "申请人外出务工，书面撤回申请。"]
HAND_OVER_NOTES = ["申请人坚持原诉求，调解不成，告知其依法提起诉讼。", "双方分歧较大，调解不成，移交依法处理。"]
REJECTION_REASONS = [
    "不属于行政争议协调化解范围（系民事纠纷，已告知向人民调解委员会申请调解）",
    "同一事项已经人民法院作出生效裁判",
    "申请人未提供基本证明材料，经告知后仍未补正",
]
RELEASE_REASON = "工作调动"

LAW_FIRMS = [("云岭州", "云岭州明理律师事务所"), ("云城区", "云城区正衡律师事务所"), ("安澜市", "安澜市公信律师事务所")]
MEDIATORS = "云岭州人民调解员协会"
# Retired officials of the 人民调解员协会: (county, former post, domains).
RETIRED: list[tuple[str, str, list[str]]] = [
    ("青山县", "原青山县自然资源局局长", [Domain.NATURAL_RESOURCES, Domain.LAND_EXPROPRIATION]),
    ("石门县", "原石门县人民政府副县长", [Domain.LAND_EXPROPRIATION, Domain.FORESTRY]),
    ("白水县", "原白水县林业局局长", [Domain.FORESTRY]),
    ("龙溪县", "原龙溪县人力资源和社会保障局副局长", [Domain.LABOUR]),
    ("松林县", "原松林县林业局副局长", [Domain.FORESTRY, Domain.NATURAL_RESOURCES]),
    ("梅岭县", "原梅岭县住房和城乡建设局局长", [Domain.HOUSING, Domain.LAND_EXPROPRIATION]),
]
# The pool entries of the coordinators who log in: username → (place, kind of member).
LOGINS = {
    "xty_zhou": ("云岭州", "justice"),
    "xty_qingshan": ("青山县", "justice"),
    "xty_shimen": ("石门县", "judge"),
    "xty_yuncheng": ("云城区", "lawyer"),
    "xty_anlan": ("安澜市", "lawyer"),
    "xty_longxi": ("龙溪县", "retired"),
}


@dataclass
class DisputeCounts:
    organisations: int = 0  # the law firms and the 人民调解员协会 of the pool
    coordinators: int = 0
    disputes: int = 0
    open: int = 0
    closed: int = 0
    mediated: int = 0
    meetings: int = 0


@dataclass
class Member:
    """A pool entry and what the planner needs to know of it."""

    coordinator: Coordinator
    region: Region
    kind: str  # judge, justice, lawyer, retired
    user: User | None = None
    load: int = 0  # open disputes in hand today


@dataclass
class Plan:
    """One dispute's story before it is written: its dates, people and outcome."""

    index: int
    centre: Place
    place: Place  # of the agency
    agency: Organisation
    domain: str
    act_type: str
    source: str
    received: datetime.date
    steps: list[datetime.date]  # accepted, assigned, reviewed, planned: as many as were taken
    outcome: str = ""  # how it ends, if it ends by today
    concluded: datetime.date | None = None
    withdrawal_reason: str = ""
    case_id: int | None = None
    case_number: str = ""
    applicants: str = ""
    group_size: int = 1
    matter: str = ""  # the template of ``MATTERS``, then the text
    team: list[tuple[Member, str]] = field(default_factory=list)
    released: Member | None = None
    dispute: Dispute | None = None

    @property
    def state(self) -> str:
        return DisputeState.CLOSED if self.outcome else OPEN_STATES_BY_STEPS[len(self.steps)]


def mediation_rate(place: str, year: int) -> float:
    base = MEDIATION_RATE.get(place, 0.6) + MEDIATION_YEAR_SHIFT.get(year, 0.02)
    return MEDIATION_OVERRIDE.get((place, year), base)


def weighted(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _DisputeDemo:
    def __init__(
        self,
        *,
        seed: int,
        now: datetime.datetime,
        places: Sequence[Place],
        heads_by_org: dict[int, list[OrganisationHead]],
        person: Callable[[random.Random], str],
        cases: int,
    ) -> None:
        self.rng = random.Random(f"{seed}:disputes")
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.places = list(places)
        self.prefecture = self.places[0]
        self.heads_by_org = heads_by_org
        self.person = lambda: person(self.rng)
        self.size = max(MIN_DISPUTES, round(DISPUTES_AT_DEFAULT * cases / DEFAULT_CASES))
        self.calendar: WorkCalendar = work_calendar()
        self.pool: list[Member] = []
        self.conflicts: list[Conflict] = []
        self.staff: dict[int, User] = {}  # centre id → its staff user
        self.centres: dict[int, Organisation] = {}  # place region id → centre
        self.counts = DisputeCounts()

    # --- the pool -----------------------------------------------------------------------------------------
    def build_pool(self) -> None:
        regions = {p.name: p.region for p in self.places}
        extra = [
            Organisation(name=name, kind=OrganisationKind.OTHER, region=regions[place]) for place, name in LAW_FIRMS
        ]
        extra.append(Organisation(name=MEDIATORS, kind=OrganisationKind.OTHER, region=self.prefecture.region))
        Organisation.objects.bulk_create(extra)
        self.counts.organisations = len(extra)
        firms, mediators = extra[:-1], extra[-1]
        users = {u.username: u for u in User.objects.filter(username__in=LOGINS)}
        logins = {(place, kind): users.get(username) for username, (place, kind) in LOGINS.items()}

        def add(kind: str, org: Organisation, region: Region, title: str, domains: list[str]) -> None:
            user = logins.pop((next(p.name for p in self.places if p.region == region), kind), None)
            c = Coordinator(
                name=user.full_name if user else self.person(),
                user=user,
                title=title,
                organisation=org,
                region=region,
                domains=domains,
                expertise=f"{title}，擅长{'、'.join(str(Domain(d).label) for d in domains)}领域行政争议的协调化解",
                phone="139" + "".join(self.rng.choices("0123456789", k=8)),
                max_load=self.rng.choice((4, 5, 5, 6, 8)),
            )
            self.pool.append(Member(c, region, kind, user))

        for place in self.places:
            is_pref = place is self.prefecture
            add("judge", place.court, place.region, "行政审判庭庭长" if is_pref else "行政审判庭法官", self.domains(2))
            add("justice", place.justice_bureau, place.region, "行政复议与应诉科科长", self.domains(2))
            if is_pref:
                add("judge", place.court, place.region, "行政审判庭副庭长", self.domains(2))
                add("justice", place.justice_bureau, place.region, "法律顾问室主任", self.domains(3))
                add("justice", place.justice_bureau, place.region, "公职律师", self.domains(2))
        for firm in firms:
            for n in range(4):
                add(
                    "lawyer",
                    firm,
                    firm.region,
                    "律师事务所主任" if n == 0 else "执业律师",
                    self.domains(self.rng.randint(1, 3)),
                )
        for county, post, domains in RETIRED:
            add("retired", mediators, regions[county], f"退休干部（{post}）", list(domains))
        Coordinator.objects.bulk_create([m.coordinator for m in self.pool])
        self.counts.coordinators = len(self.pool)

        # Four not available today: two withdrawn from assignment, two away until a day after today.
        idle = [m for m in self.pool if m.user is None]
        for k, member in enumerate(self.rng.sample(idle, 4)):
            c = member.coordinator
            if k < 2:
                c.available = False
                c.expertise += "（借调省级部门，暂停指派）"
            else:
                c.unavailable_until = self.today + datetime.timedelta(days=self.rng.randint(5, 40))
            c.save(update_fields=["available", "unavailable_until", "expertise"])
        # Declared conflicts with an agency: a retired official and the body he led, a lawyer and the agency he
        # advises, a 司法局 expert whose spouse works at an agency.
        retired = {m.coordinator.title: m for m in self.pool if m.kind == "retired"}
        stone = retired["退休干部（原石门县人民政府副县长）"]
        self.conflict(stone, self.agency_named("石门县人民政府"), reason="曾在该单位任职，离任未满三年")
        lawyer = next(m for m in self.pool if m.kind == "lawyer" and m.region == regions["云城区"])
        self.conflict(lawyer, self.agency_named("云城区住房和城乡建设局"), reason="担任该局常年法律顾问")
        expert = next(m for m in self.pool if m.kind == "justice" and m.region == regions["青山县"])
        self.conflict(expert, self.agency_named("青山县自然资源局"), reason="配偶在该局任职")

    def domains(self, n: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < n:
            d = str(weighted(self.rng, DOMAIN_WEIGHTS))
            if d not in chosen:
                chosen.append(d)
        return chosen

    def agency_named(self, name: str) -> Organisation:
        return next(org for p in self.places for org, *_ in p.agencies if org.name == name)

    def conflict(self, member: Member, org: Organisation | None = None, *, person: str = "", reason: str) -> None:
        self.conflicts.append(
            Conflict(
                coordinator=member.coordinator,
                organisation=org,
                person_name=person,
                reason=reason,
                declared_on=self.rng.choice([FIRST_DAY, datetime.date(2025, 1, 6)]),
            )
        )

    def pool_of(self, centre: Place) -> list[Member]:
        """``disputes.queries.pool_for``: the centre's region subtree and the regions above it."""
        path = centre.region.path
        return [m for m in self.pool if m.region.path.startswith(path) or path.startswith(m.region.path)]

    # --- the stories ----------------------------------------------------------------------------------------
    def received_day(self) -> datetime.date:
        """A day from 2024-01-01 to today, the volume growing about 15 % a year."""
        span = (self.today - FIRST_DAY).days
        while True:
            offset = self.rng.randrange(span + 1)
            if self.rng.random() < 0.8 + 0.2 * offset / max(span, 1):
                return FIRST_DAY + datetime.timedelta(days=offset)

    def plan(self, index: int) -> Plan:
        rng = self.rng
        volumes = [PREFECTURE_CENTRE_VOLUME if p is self.prefecture else p.volume for p in self.places]
        centre = rng.choices(self.places, weights=volumes)[0]
        place = centre
        if centre is self.prefecture and rng.random() < PREFECTURE_TAKES_COUNTY_SHARE:
            counties = self.places[1:]
            place = rng.choices(counties, weights=[p.volume for p in counties])[0]
        domain = str(weighted(rng, DOMAIN_WEIGHTS))
        agency = next(org for org, _s, d, *_ in place.agencies if d == domain)
        matters = MATTERS[domain]
        act_type, template = rng.choices(
            matters, weights=[GROUP_MATTER_WEIGHT if "{n}" in t else 1 for _a, t in matters]
        )[0]
        received = self.received_day()
        plan = Plan(index, centre, place, agency, domain, act_type, str(weighted(rng, SOURCE_WEIGHTS)), received, [])
        plan.matter = template
        if rng.random() < REJECTED_SHARE:
            plan.outcome, plan.concluded = DisputeOutcome.REJECTED, received + datetime.timedelta(rng.randint(1, 5))
        else:
            year = (received + datetime.timedelta(days=25)).year
            if rng.random() < mediation_rate(place.name, year):
                plan.outcome = DisputeOutcome.MEDIATED
            else:
                plan.outcome = str(weighted(rng, FAILED_WEIGHTS))
            steps = weighted(rng, CLOSING_STAGE_WEIGHTS[plan.outcome])
            plan.steps = self.schedule(received)[:steps]
            gap = rng.randint(5, 50) if steps == 4 else rng.randint(2, 12)
            plan.concluded = plan.steps[-1] + datetime.timedelta(days=gap)
            if plan.outcome == DisputeOutcome.WITHDRAWN:
                corrected = rng.random() < AGENCY_CORRECTED_SHARE
                plan.withdrawal_reason = WithdrawalReason.AGENCY_CORRECTED if corrected else WithdrawalReason.OTHER
        self.cut(plan)
        return plan

    def schedule(self, received: datetime.date) -> list[datetime.date]:
        """Accepted, assigned, reviewed and planned, mostly within the centre's limits and sometimes late."""
        rng, cal = self.rng, self.calendar
        accepted = received + datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        assigned = accepted + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 3)))
        reviewed = cal.add_working_days(assigned, rng.randint(1, 3) if rng.random() < 0.88 else rng.randint(4, 6))
        planned = cal.add_working_days(reviewed, rng.randint(1, 5) if rng.random() < 0.9 else rng.randint(6, 9))
        return [accepted, assigned, reviewed, planned]

    def cut(self, plan: Plan) -> None:
        """What has happened by today: a story that ends later is open in the last step it has reached."""
        if plan.concluded is not None and plan.concluded <= self.today:
            return
        plan.outcome, plan.concluded, plan.withdrawal_reason = "", None, ""
        plan.steps = [d for d in plan.steps if d <= self.today]
        if plan.received > self.today:
            plan.received = self.today

    def ensure_every_state(self, plans: list[Plan]) -> None:
        """A small demo still shows every state: a recent dispute is moved to each state no dispute is in."""
        back = {  # days before today of received, accepted, assigned, reviewed, planned
            DisputeState.RECEIVED: [0],
            DisputeState.ACCEPTED: [2, 1],
            DisputeState.ASSIGNED: [4, 3, 2],
            DisputeState.REVIEWED: [7, 6, 5, 2],
            DisputeState.PLANNED: [12, 11, 10, 7, 3],
        }
        for state, days in back.items():
            counts = Counter(p.state for p in plans)
            if counts[state]:
                continue
            donor = next(
                p
                for p in sorted(plans, key=lambda p: (p.received, p.index), reverse=True)
                if counts[p.state] > 1 and p.outcome != DisputeOutcome.REJECTED
            )
            dates = [self.today - datetime.timedelta(days=d) for d in days]
            donor.received, donor.steps = dates[0], dates[1:]
            donor.outcome, donor.concluded, donor.withdrawal_reason = "", None, ""

    # --- parties, matters and cases --------------------------------------------------------------------------
    def link_cases(self, plans: list[Plan]) -> None:
        """A failed mediation hands over to a case of the same agency filed (or received) after it, where the demo
        has one; where it has none, the applicant withdrew instead."""
        starts: dict[tuple[int, str], list[tuple[datetime.date, int]]] = defaultdict(list)
        info: dict[int, tuple[str, str, int | None, str]] = {}
        rows = Case.objects.filter(predecessor__isnull=True).exclude(instance__in=[Instance.SECOND, Instance.RETRIAL])
        for pk, defendant, kind, filed, received, number, plaintiffs, group, cause in rows.values_list(
            "pk", "defendant_id", "kind", "filed_on", "received_on", "number", "plaintiffs", "group_size", "cause"
        ):
            start = filed or received
            if start is not None:
                starts[(defendant, kind)].append((start, pk))
                info[pk] = (number, plaintiffs, group, cause)
        for found in starts.values():
            found.sort()
        used: set[int] = set()
        for plan in plans:
            if plan.outcome not in (DisputeOutcome.TO_LITIGATION, DisputeOutcome.TO_RECONSIDERATION):
                continue
            assert plan.concluded is not None
            kind = CaseKind.LITIGATION if plan.outcome == DisputeOutcome.TO_LITIGATION else CaseKind.RECONSIDERATION
            found = starts.get((plan.agency.pk, kind), [])
            k = bisect.bisect_right(found, (plan.concluded, 1 << 62))
            limit = plan.concluded + datetime.timedelta(days=90)
            case_id = next((c for start, c in found[k:] if start <= limit and c not in used), None)
            if case_id is None:
                plan.outcome, plan.withdrawal_reason = DisputeOutcome.WITHDRAWN, WithdrawalReason.OTHER
                continue
            used.add(case_id)
            number, plaintiffs, group, cause = info[case_id]
            plan.case_id, plan.case_number = case_id, number
            plan.applicants, plan.group_size = plaintiffs, group or 1
            if cause != plan.act_type and any(a == cause for a, _t in MATTERS[plan.domain]):
                plan.act_type, plan.matter = cause, self.rng.choice([t for a, t in MATTERS[plan.domain] if a == cause])

    def parties(self, plan: Plan) -> None:
        rng = self.rng
        text = plan.matter  # the template, until it is filled in here
        group = "{n}" in text or (not plan.applicants and rng.random() < GROUP_SHARE)
        if not plan.applicants:
            if group:
                plan.group_size = rng.randint(5, 48)
                names = "、".join(self.person() for _ in range(3))
                plan.applicants = names if "{n}" in text else f"{names}等{plan.group_size}人"
            elif "苗木" in text or "用人单位" in text or rng.random() < 0.12:
                plan.applicants = f"云岭州{rng.choice(['鑫源', '青禾', '长兴', '瑞丰', '山泉'])}" + (
                    "苗木推广服务中心"
                    if "苗木" in text
                    else rng.choice(["农业开发有限公司", "建材有限公司", "商贸有限公司"])
                )
            else:
                plan.applicants = self.person()
        plan.matter = text.format(
            agency=plan.agency.name, n=plan.group_size if plan.group_size > 1 else rng.randint(5, 30)
        )

    # --- the 专班 ------------------------------------------------------------------------------------------------
    def blocked(self, plan: Plan) -> set[int]:
        """The pool entries (by id) with a declared conflict with the dispute's agency or one of its applicants."""
        names = set(classify.applicant_names(plan.applicants))
        return {
            c.coordinator.pk
            for c in self.conflicts
            if c.organisation_id == plan.agency.pk or (c.person_name and c.person_name in names)
        }

    def declare_person_conflicts(self, plans: list[Plan]) -> None:
        """Three coordinators who know an applicant of a dispute of their centre declare it."""
        candidates = [
            p for p in plans if len(p.steps) >= 2 and "公司" not in p.applicants and "中心" not in p.applicants
        ]
        reasons = ["与申请人{name}系近亲属", "与申请人{name}系同村邻居，有经济往来", "曾担任申请人{name}的代理律师"]
        for plan, reason in zip(self.rng.sample(candidates, 3), reasons, strict=True):
            name = classify.applicant_names(plan.applicants)[0]
            local = [m for m in self.pool_of(plan.centre) if m.coordinator.pk not in self.blocked(plan)]
            member = max(local, key=lambda m: (plan.domain in m.coordinator.domains, m.region == plan.place.region))
            self.conflict(member, person=name, reason=reason.format(name=name))

    def form_teams(self, plans: list[Plan]) -> None:
        """一案一专班: a lead and up to two members (three for a group dispute), chosen as staff would from the
        ranked proposal: domain and place first, never a coordinator in conflict; today's open disputes only get
        coordinators available today and under their limit."""
        rng = self.rng
        for plan in sorted(plans, key=lambda p: (p.received, p.index)):
            if len(plan.steps) < 2:
                continue
            is_open = not plan.outcome
            blocked = self.blocked(plan)
            candidates = [
                m
                for m in self.pool_of(plan.centre)
                if m.coordinator.pk not in blocked
                and (not is_open or (m.coordinator.is_available_on(self.today) and m.load < m.coordinator.max_load))
            ]
            size = 1 + weighted(rng, {0: 45, 1: 40, 2: 15}) + (1 if plan.group_size >= 5 else 0)
            team: list[tuple[Member, str]] = []
            while candidates and len(team) < size:
                weights = [self.fit(m, plan, is_open) for m in candidates]
                member = rng.choices(candidates, weights=weights)[0]
                candidates.remove(member)
                team.append((member, AssignmentRole.LEAD if not team else AssignmentRole.MEMBER))
            plan.team = team
            if len(team) >= 2 and rng.random() < 0.04:
                plan.released = team[-1][0]
            if is_open:
                for member, _role in team:
                    if member is not plan.released:
                        member.load += 1

    def fit(self, member: Member, plan: Plan, is_open: bool) -> float:
        weight = 1.0
        if plan.domain in member.coordinator.domains:
            weight += 6
        if member.region.path.startswith(plan.place.region.path):
            weight += 3
        elif member.region == self.prefecture.region:
            weight += 1
        if is_open and member.user is not None:
            weight += 4  # the demo's coordinator logins have work in hand
        return weight

    def ensure_login_work(self, plans: list[Plan]) -> None:
        """Every coordinator who logs in has at least one open dispute on their 专班."""
        working = [p for p in plans if not p.outcome and len(p.steps) >= 2]
        for member in self.pool:
            if member.user is None or member.load or member.coordinator.pk is None:
                continue
            plan = next(
                (
                    p
                    for p in sorted(working, key=lambda p: p.received, reverse=True)
                    if any(m is member for m in self.pool_of(p.centre))
                    and member.coordinator.pk not in self.blocked(p)
                    and all(m is not member for m, _ in p.team)
                ),
                None,
            )
            if plan is not None:
                plan.team.append((member, AssignmentRole.MEMBER if plan.team else AssignmentRole.LEAD))
                member.load += 1

    # --- writing -----------------------------------------------------------------------------------------------
    def build(self) -> DisputeCounts:
        self.build_pool()
        for place in self.places:
            self.centres[place.region.pk] = Organisation.objects.get(
                name=f"{place.name}行政争议协调化解中心", kind=OrganisationKind.COORDINATION_CENTRE
            )
        for user in User.objects.filter(role=Role.CENTRE_STAFF, organisation__in=list(self.centres.values())):
            self.staff.setdefault(user.organisation_id or 0, user)

        plans = [self.plan(i) for i in range(self.size)]
        self.ensure_every_state(plans)
        self.link_cases(plans)
        for plan in plans:
            self.parties(plan)
        self.declare_person_conflicts(plans)
        self.form_teams(plans)
        self.ensure_login_work(plans)
        Conflict.objects.bulk_create(self.conflicts)

        plans.sort(key=lambda p: (p.received, p.index))
        writer = _Writer(self)
        for plan in plans:
            writer.dispute(plan)
        writer.number(plans)
        writer.save(plans)
        self.counts.disputes = len(plans)
        self.counts.closed = sum(1 for p in plans if p.outcome)
        self.counts.open = self.counts.disputes - self.counts.closed
        self.counts.mediated = sum(1 for p in plans if p.outcome == DisputeOutcome.MEDIATED)
        self.counts.meetings = len(writer.meetings)
        return self.counts


class _Writer:
    """Turns the plans into rows: disputes, assignments, meetings, participants, and the events of each step."""

    def __init__(self, demo: _DisputeDemo) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.events: list[tuple[datetime.datetime, Dispute, Who, str, str, dict[str, Any]]] = []
        self.case_events: list[tuple[datetime.datetime, int, Who, str]] = []
        self.assignments: list[Assignment] = []
        self.meetings: list[tuple[Meeting, list[Participant]]] = []
        self.referrals: Counter[tuple[str, int]] = Counter()

    def moment(self, day: datetime.date, after: datetime.datetime | None = None) -> datetime.datetime:
        """A moment in office hours on ``day``, after ``after`` and never after now."""
        minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))
        if after is not None and moment <= after:
            moment = after + datetime.timedelta(minutes=self.rng.randint(5, 40))
        return min(moment, self.demo.now)

    def due(self, rule: str, start: datetime.date) -> datetime.date:
        return compute_due(rule, start, self.demo.calendar).due

    def dispute(self, plan: Plan) -> None:
        demo, rng = self.demo, self.rng
        centre = demo.centres[plan.centre.region.pk]
        staff = demo.staff.get(centre.pk)
        agency = plan.agency.name
        suggestion = classify.suggest(plan.matter, applicants=plan.applicants)
        online = plan.source == Source.ONLINE
        d = Dispute(
            number=f"#{plan.index}",
            centre=centre,
            region=plan.place.region,
            county=plan.place.region,
            source=plan.source,
            received_on=plan.received,
            applicants=plan.applicants,
            applicant_id_number="" if "公司" in plan.applicants or "中心" in plan.applicants else self.id_number(plan),
            applicant_phone="139" + "".join(rng.choices("0123456789", k=8)),
            applicant_address=f"{plan.place.name}{rng.choice(['城关镇', '新田乡', '石桥镇', '河西街道'])}"
            f"{rng.choice(['新村', '和平社区', '大坪村', '杉木村'])}{rng.randint(1, 12)}组",
            agency=plan.agency,
            matter=plan.matter,
            claims=CLAIMS.get(plan.act_type, "请求依法处理"),
            amount=Decimal(rng.randint(2, 400) * 1000) if plan.act_type in MONEY_ACTS else None,
            domain=plan.domain,
            act_type=plan.act_type,
            urgency=suggestion.urgency,
            group_size=max(plan.group_size, suggestion.group_size),
            suggestion=suggestion.as_json(),
            registered_by=None if online else staff,
            state=plan.state,
        )
        if online:  # 行政诉讼法 第60条: the party ticked the consent to mediation on the online form
            d.consent_by, d.consent_on, d.consent_way = plan.applicants, plan.received, ConsentWay.ONLINE
        self.referral(d, plan)
        plan.dispute = d
        actor_staff: Who = staff if staff is not None else f"{centre.name}"
        registered = self.moment(plan.received)
        label = Source(plan.source).label
        self.event(
            registered, d, "当事人（线上申请）" if online else actor_staff, "registered", f"登记争议 #（{label}）"
        )
        last = registered
        if plan.outcome == DisputeOutcome.REJECTED:
            assert plan.concluded is not None
            d.concluded_on, d.outcome = plan.concluded, plan.outcome
            d.rejection_reason = rng.choice(REJECTION_REASONS)
            self.event(self.moment(plan.concluded, last), d, actor_staff, "concluded", "办结：不予受理")
            return
        steps = plan.steps
        if steps:
            d.accepted_on = steps[0]
            d.mediation_due_on = self.due("centre.pre_litigation", steps[0])
            if not d.consent_on:  # recorded at acceptance, as ``workflow.accept_dispute`` requires
                d.consent_by, d.consent_on, d.consent_way = plan.applicants, steps[0], ConsentWay.WRITTEN
                d.consent_recorded_by = staff
            last = self.moment(steps[0], last)
            d.classified_at = last
            consent = f"同意调解：{d.consent_by}（{d.consent_on.isoformat()}，{d.get_consent_way_display()}）"
            self.event(
                last, d, actor_staff, "accepted", f"受理，化解期限至 {d.mediation_due_on.isoformat()}；{consent}"
            )
            changes: dict[str, Any] = {}
            if suggestion.domain != plan.domain:
                changes["领域"] = [str(Domain(suggestion.domain).label) if suggestion.domain else "（空）",
                                   str(Domain(plan.domain).label)]  # fmt: skip
            if suggestion.act_type != plan.act_type:
                changes["行政行为类别"] = [
                    str(ActType(suggestion.act_type).label) if suggestion.act_type else "（空）",
                    str(ActType(plan.act_type).label),
                ]
            last += datetime.timedelta(minutes=rng.randint(2, 20))
            self.event(min(last, demo.now), d, actor_staff, "classified", "确认分类", changes)
        if len(steps) >= 2:
            last = self.assign(plan, d, steps[1], last, actor_staff)
        if len(steps) >= 3:
            last = self.review(plan, d, steps[2], last, actor_staff)
        if len(steps) >= 4:
            d.planned_on, d.plan = steps[3], rng.choice(PLANS).format(agency=agency)
            assert d.plan_due_on is not None
            late = "（逾期）" if d.planned_on > d.plan_due_on else ""
            last = self.moment(steps[3], last)
            self.event(last, d, self.worker(plan, actor_staff), "planned", f"确定化解方案{late}")
            end = plan.concluded or demo.today
            for _ in range(rng.choice((1, 1, 2)) if end > steps[3] else 1):
                held = self.moment(min(end, steps[3] + datetime.timedelta(days=rng.randint(1, 10))), last)
                last = self.meeting(plan, d, MeetingKind.FOUR_PARTY, held, actor_staff)
        if plan.outcome:
            assert plan.concluded is not None
            self.conclude(plan, d, last, actor_staff)

    def id_number(self, plan: Plan) -> str:
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 365 * 50))
        return f"5327{plan.place.region.pk % 100:02d}{birth:%Y%m%d}{self.rng.randint(0, 999):03d}" + self.rng.choice(
            "0123456789X"
        )

    def referral(self, d: Dispute, plan: Plan) -> None:
        year = plan.received.year
        place = plan.place
        if plan.source == Source.COURT_REFERRAL:
            court = self.demo.prefecture.court if plan.agency.name.endswith("人民政府") else place.court
            code = self.demo.prefecture.court_code if court == self.demo.prefecture.court else place.court_code
            self.referrals[(court.name, year)] += 1
            d.referred_by, d.referral_number = court, f"（{year}）{code}诉前调{self.referrals[(court.name, year)]}号"
        elif plan.source == Source.RECONSIDERATION:
            body = (
                self.demo.prefecture.justice_bureau if plan.agency.name.endswith("人民政府") else place.justice_bureau
            )
            self.referrals[(body.name, year)] += 1
            prefix = body.name.removesuffix("司法局")
            d.referred_by, d.referral_number = body, f"{prefix}府复转〔{year}〕{self.referrals[(body.name, year)]}号"
        elif plan.source == Source.PETITION:
            self.referrals[(place.name + "信访", year)] += 1
            d.referral_number = f"{place.name}信转〔{year}〕{self.referrals[(place.name + '信访', year)]}号"
        elif plan.source == Source.HOTLINE:
            d.referral_number = f"12345-{plan.received:%Y%m%d}{self.rng.randint(1000, 9999)}"

    def worker(self, plan: Plan, staff: Who) -> Who:
        """Who records a review, a plan or a meeting: the lead coordinator if they log in, else the centre."""
        lead = plan.team[0][0] if plan.team else None
        return lead.user if lead is not None and lead.user is not None else staff

    def assign(
        self, plan: Plan, d: Dispute, day: datetime.date, last: datetime.datetime, staff: Who
    ) -> datetime.datetime:
        d.assigned_on = day
        d.review_due_on = self.due("centre.expert_review", day)
        at = self.moment(day, last)
        assigned_by = staff if isinstance(staff, User) else None
        names = []
        for member, role in plan.team:
            names.append(f"{member.coordinator.name}（{AssignmentRole(role).label}）")
            if assigned_by is not None:
                self.assignments.append(
                    Assignment(
                        dispute=d,
                        coordinator=member.coordinator,
                        role=role,
                        reason=self.reason(member, plan),
                        assigned_at=at,
                        assigned_by=assigned_by,
                    )
                )
        summary = f"指派协调员：{'、'.join(names)}；专家评审期限至 {d.review_due_on.isoformat()}"
        self.event(at, d, staff, "assigned", summary)
        if plan.released is not None and assigned_by is not None:
            released_at = self.moment(min(self.demo.today, day + datetime.timedelta(days=self.rng.randint(1, 4))), at)
            self.assignments[-1].released_at = released_at
            self.event(
                released_at, d, staff, "released", f"{plan.released.coordinator.name} 退出专班（{RELEASE_REASON}）"
            )
            at = released_at
        return at

    def reason(self, member: Member, plan: Plan) -> str:
        c = member.coordinator
        reasons = []
        if plan.domain in c.domains:
            reasons.append(f"擅长{Domain(plan.domain).label}")
        if member.region.path.startswith(plan.place.region.path):
            reasons.append(f"同在{plan.place.name}")
        reasons.append(f"上限 {c.max_load}")
        return "；".join(reasons)

    def review(
        self, plan: Plan, d: Dispute, day: datetime.date, last: datetime.datetime, staff: Who
    ) -> datetime.datetime:
        agency = plan.agency.name
        if self.rng.random() < 0.5:
            last = self.meeting(plan, d, MeetingKind.EXPERT_REVIEW, self.moment(day, last), staff)
        d.reviewed_on, d.review_opinion = day, self.rng.choice(REVIEW_OPINIONS).format(agency=agency)
        d.plan_due_on = self.due("centre.plan", day)
        assert d.review_due_on is not None
        late = "（逾期）" if day > d.review_due_on else ""
        last = self.moment(day, last)
        self.event(
            last,
            d,
            self.worker(plan, staff),
            "reviewed",
            f"完成专家评审{late}；化解方案期限至 {d.plan_due_on.isoformat()}",
        )
        return last

    def meeting(self, plan: Plan, d: Dispute, kind: str, held: datetime.datetime, staff: Who) -> datetime.datetime:
        demo, rng = self.demo, self.rng
        agency = plan.agency.name
        recorder = self.worker(plan, staff)
        recorded_by = recorder if isinstance(recorder, User) else demo.staff.get(d.centre_id)
        if recorded_by is None:
            return held
        place = plan.place
        people: list[Participant] = []
        if kind == MeetingKind.EXPERT_REVIEW:
            people += [Participant(role=ParticipantRole.COORDINATOR, name=m.coordinator.name,
                                   organisation_name=m.coordinator.organisation.name) for m, _ in plan.team]  # fmt: skip
            people.append(Participant(role=ParticipantRole.JUSTICE_EXPERT, name=self.expert(place, "justice"),
                                      organisation_name=place.justice_bureau.name))  # fmt: skip
            minutes, next_steps = EXPERT_MINUTES.format(agency=agency), "形成书面评审意见，报中心。"
        else:
            head = self.head(plan.agency, held.date())
            party = classify.applicant_names(plan.applicants)[0]
            people += [
                Participant(role=ParticipantRole.JUDGE, name=self.expert(place, "judge"), organisation_name=place.court.name),
                Participant(role=ParticipantRole.JUSTICE_EXPERT, name=self.expert(place, "justice"),
                            organisation_name=place.justice_bureau.name),
                Participant(role=ParticipantRole.AGENCY_HEAD, name=head, organisation_name=agency),
                Participant(role=ParticipantRole.PARTY, name=party),
            ]  # fmt: skip
            if kind == MeetingKind.MEDIATION:
                minutes, next_steps = MEDIATION_MINUTES.format(agency=agency), "跟踪协议履行。"
            else:
                minutes = rng.choice(FOUR_PARTY_MINUTES).format(agency=agency)
                next_steps = rng.choice(NEXT_STEPS).format(agency=agency)
        meeting = Meeting(
            dispute=d,
            kind=kind,
            held_at=held,
            place=f"{d.centre.name}{rng.choice(['第一', '第二'])}调解室",
            minutes=minutes,
            next_steps=next_steps,
            recorded_by=recorded_by,
        )
        self.meetings.append((meeting, people))
        roles = "、".join(sorted({str(ParticipantRole(p.role).label) for p in people}))
        recorded = min(held + datetime.timedelta(minutes=rng.randint(60, 150)), demo.now)
        summary = f"{MeetingKind(kind).label}（{timezone.localtime(held):%Y-%m-%d %H:%M}，{roles}参加）"
        self.event(recorded, d, recorder, "meeting", summary)
        return recorded

    def expert(self, place: Place, kind: str) -> str:
        members = [m for m in self.demo.pool if m.kind == kind and m.region == place.region]
        return members[0].coordinator.name if members else self.demo.person()

    def head(self, agency: Organisation, on: datetime.date) -> str:
        heads = [
            h
            for h in self.demo.heads_by_org.get(agency.pk, [])
            if h.valid_from <= on and (h.valid_to is None or h.valid_to >= on)
        ]
        if not heads:
            return self.demo.person()
        head = self.rng.choice(heads)
        return f"{head.name}（{head.title}）"[:50]

    def conclude(self, plan: Plan, d: Dispute, last: datetime.datetime, staff: Who) -> None:
        assert plan.concluded is not None
        rng, agency = self.rng, plan.agency.name
        day = plan.concluded
        if plan.outcome == DisputeOutcome.MEDIATED:
            if len(plan.steps) >= 2 and rng.random() < 0.4:
                last = self.meeting(plan, d, MeetingKind.MEDIATION, self.moment(day, last), staff)
            d.agreement_terms = rng.choice(AGREEMENTS).format(agency=agency)
            d.judicial_confirmation = rng.random() < 0.3
        elif plan.outcome == DisputeOutcome.WITHDRAWN:
            d.withdrawal_reason = plan.withdrawal_reason
            notes = (
                CORRECTED_NOTES
                if plan.withdrawal_reason == WithdrawalReason.AGENCY_CORRECTED
                else OTHER_WITHDRAWAL_NOTES
            )
            d.outcome_note = rng.choice(notes).format(agency=agency)
        else:
            d.case_id = plan.case_id
            d.outcome_note = rng.choice(HAND_OVER_NOTES)
        d.concluded_on, d.outcome = day, plan.outcome
        at = self.moment(day, last)
        self.event(at, d, staff, "concluded", f"办结：{DisputeOutcome(plan.outcome).label}")
        if plan.case_id is not None:
            self.case_events.append((at, plan.case_id, staff, "#"))

    def event(
        self,
        at: datetime.datetime,
        d: Dispute,
        actor: Who,
        action: str,
        summary: str,
        changes: dict[str, Any] | None = None,
    ) -> None:
        self.events.append((at, d, actor, action, summary, changes or {}))

    def number(self, plans: Sequence[Plan]) -> None:
        """``石门县争调〔2025〕12号``: per centre and year, in order of receipt (``disputes.workflow._number``)."""
        taken: Counter[tuple[int, int]] = Counter()
        for plan in plans:  # sorted by receipt
            d = plan.dispute
            assert d is not None
            taken[(d.centre.pk, plan.received.year)] += 1
            d.number = f"{plan.centre.name}争调〔{plan.received.year}〕{taken[(d.centre.pk, plan.received.year)]}号"

    def save(self, plans: Sequence[Plan]) -> None:
        disputes = [p.dispute for p in plans if p.dispute is not None]
        Dispute.objects.bulk_create(disputes, batch_size=500)
        periods.open_running_periods(disputes)  # reminded and chased by the sweep like any other dispute's
        Assignment.objects.bulk_create(self.assignments, batch_size=1000)
        Meeting.objects.bulk_create([m for m, _ in self.meetings], batch_size=1000)
        participants = []
        for meeting, people in self.meetings:
            for p in people:
                p.meeting = meeting
                participants.append(p)
        Participant.objects.bulk_create(participants, batch_size=2000)

        dispute_type = ContentType.objects.get_for_model(Dispute).pk
        case_type = ContentType.objects.get_for_model(Case).pk
        numbers = {id(d): d.number for d in disputes}
        rows = []
        for at, d, actor, action, summary, changes in self.events:
            summary = summary.replace("#", numbers[id(d)], 1) if action == "registered" else summary
            rows.append(self.row(dispute_type, d.pk, at, actor, action, summary, changes))
        by_case = {p.case_id: p.dispute for p in plans if p.case_id is not None}
        for at, case_id, actor, _ in self.case_events:
            handed = by_case[case_id]
            assert handed is not None
            summary = f"协调化解中心争议 {handed.number} 调解不成，移交本案"
            rows.append(self.row(case_type, case_id, at, actor, "dispute_handed_over", summary, {}))
        rows.sort(key=lambda r: r[2])
        fields = ("content_type_id", "object_id", "at", "actor_id", "actor_label", "action", "summary", "changes")
        insert_rows(Event, fields, rows)

    @staticmethod
    def row(content_type: int, pk: int, at: datetime.datetime, actor: Who, action: str, summary: str,
            changes: dict[str, Any]) -> tuple[Any, ...]:  # fmt: skip
        if isinstance(actor, User):
            return (content_type, pk, at, actor.pk, "", action, summary, changes)
        return (content_type, pk, at, None, actor, action, summary, changes)


def build_disputes(
    *,
    seed: int,
    now: datetime.datetime,
    places: Sequence[Place],
    heads_by_org: dict[int, list[OrganisationHead]],
    person: Callable[[random.Random], str],
    cases: int,
) -> DisputeCounts:
    """Add the coordinator pool and the disputes to the demo prefecture (see the module docstring)."""
    demo = _DisputeDemo(seed=seed, now=now, places=places, heads_by_org=heads_by_org, person=person, cases=cases)
    return demo.build()
