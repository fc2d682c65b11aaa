"""The demo prefecture: a fictional 云岭州 with three years of cases, so that every page has something to show.

What ``generate_demo`` creates, in one transaction:

- Regions: 云岭省 (province) → 云岭州 (prefecture) → 8 counties (云城区, 青山县, 石门县, 白水县, 龙溪县, 松林县,
  梅岭县, 安澜市). "州本级" is the prefecture region itself.
- Organisations, for the prefecture and every county: 11 agencies (人民政府, 自然资源局, 公安局, 市场监督管理局,
  人力资源和社会保障局, 住房和城乡建设局, 生态环境局/分局, 林业局, 交通运输局, 教育局, 卫生健康局), each with the
  Domain its cases belong to; a court (云岭州中级人民法院, one 基层人民法院 per county, and 云岭省高级人民法院 for
  appeals from the 中院); a 司法局 (reconsideration body); a 依法治办; a 行政争议协调化解中心; a 纪委监委.
  Names carry the place (``青山县自然资源局``) because organisation names are unique.
- Heads rosters for every agency: 正职, 副职, 分管副职; about a quarter of the 正职 were replaced during 2025
  (the old line has a ``valid_to``, the successor starts the next day), so roster checks by date have history.
- One user per role and place that a demo needs (``DEMO_USERS``), all with the printed password ``DEMO_PASSWORD``.
  The three administrators (三员) hold their role only: no staff flag, no scope; the system administrator reaches the
  configuration data (regions, organisations, heads rosters, calendar) by role (``fuyuan/core/admin.py``).
  Each place has a 依法治办 user and a 领导 (州长/县长/区长/市长) marked ``is_head``: they receive the escalations
  of hearings with no designated head (SPEC §6.1 一直达). Heads and agency liaisons have a made-up 139 mobile.
- About ``cases`` cases (default 20,000) from 2024-01-01 to the day before the demo runs (``last_day``), so that
  this month's and last month's figures and 通报 are not empty:
  reconsideration ≈ 2.5 × first-instance litigation (SPEC §10), plus second-instance appeals (≈ 8 %) and a few
  retrials, and chains: some reconsideration decisions are followed by a first-instance suit within 15 days
  (行政诉讼法 第45条), some judgments by an appeal, some appeals by a retrial (``predecessor``).
  Mixes: first-instance loss rate 15–25 % by county and year, with 石门县 above 30 % in 2025; 驳回诉讼请求 the
  largest outcome; withdrawals including 行政机关改变行为后撤诉; head appearance at hearings rising from about 75 %
  (2024) to about 92 % (2026), the heads who appeared speaking (出声) from about 86 % to 93 %, and about half of
  the absences excused with a lawful reason (法释〔2020〕3号 第8条); reconsideration about 85 % 受理, 8 % 不予受理,
  the recent rest 审查中; corrections 8–15 % and mediation/settlement 30–45 % of decisions; cases whose
  conclusion would fall after that day are still pending (about 10 %); about 3 % are group cases (``group_size``).
  Case numbers follow the courts' and bodies' styles: ``（2025）云2702行初57号``, ``云岭州府复〔2025〕45号``.
- The coordination centres' work (``fuyuan.demo.disputes``): a pool of about 40 coordinators and about 1,500
  disputes from 2024-01-01 to the day the demo runs, in every state, with their teams, meetings and timelines.
- The supervision work (``fuyuan.demo.supervision``): written-report duties, typical-case compilations, clue
  transfers to the 纪委监委, leader packages and the rectification ledger, each made through its workflow's
  transitions replayed at the moments they happened, in several states up to the day the demo runs.
- The reconsideration files of the 州司法局 (``fuyuan.demo.reconsideration``): about twenty, handled through
  ``reconsideration.workflow`` to the states a body has at once, from an application received today to decisions
  served and published.
- Two external systems (the 中院's and the 司法局's), registered through ``api.workflow`` by the system administrator.
- Hearings (``fuyuan.demo.hearings``) on pending first-instance cases, relative to the moment the demo runs so
  that the hearings pages look alive (the agencies and courts with a demo login first): about 60 notices in the
  next 14 days in every state of the appearance workflow, and about 20 hearings of the last 14 days attended or
  missed, each with its timeline.

Determinism: everything is drawn from ``random.Random(seed)`` (and streams derived from the seed, so that the
appearance details, the hearings and the supervision work leave the cases' other values as they were). The cases
run to the day before the demo runs, so the same seed, size and day produce the same cases, numbers, outcomes and
dates on any database.
Speed: the cases, hearings, disputes and loss reviews are written in bulk (20,000 cases take a few seconds on
SQLite); the supervision work goes through its workflows, one transition at a time (a few hundred of them).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fuyuan.api.models import SystemKind
from fuyuan.api.workflow import register_system
from fuyuan.cases.choices import (
    AbsenceReason,
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
)
from fuyuan.cases.models import Case
from fuyuan.cases.signals import cases_changed
from fuyuan.cases.workflow import insert_new_cases, place_case
from fuyuan.core.models import (
    HeadPost,
    Organisation,
    OrganisationHead,
    OrganisationKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from fuyuan.core.queries import county_map
from fuyuan.core.timeline import Actor, PendingEvent, record_events
from fuyuan.demo.accountability import walk_loss_reviews
from fuyuan.demo.decisions import build_decisions
from fuyuan.demo.disputes import DisputeCounts, build_disputes
from fuyuan.demo.enforcement import build_enforcement
from fuyuan.demo.filereview import build_filereview
from fuyuan.demo.hearings import DemoPeople, HearingPlanner, PlannedHearing, fake_mobile, save_hearings
from fuyuan.demo.linkage import build_linkage
from fuyuan.demo.reconsideration import ReconsiderationCounts, build_reconsideration
from fuyuan.demo.summaries import SummaryWriter
from fuyuan.demo.supervision import SupervisionCounts, build_supervision
from fuyuan.stats import counts as figure_counts
from fuyuan.stats.models import Benchmark, BenchmarkScope

DEMO_PASSWORD = "Fuyuan@2026"
DEFAULT_SEED = 2026
DEFAULT_CASES = 20000
START = datetime.date(2024, 1, 1)

PROVINCE = "云岭省"
PREFECTURE = "云岭州"
PREFECTURE_SHORT = "州"
# (name, pinyin for usernames, court code suffix, relative case volume)
COUNTIES: list[tuple[str, str, str, float]] = [
    ("云城区", "yuncheng", "01", 1.6),
    ("青山县", "qingshan", "02", 1.0),
    ("石门县", "shimen", "03", 1.1),
    ("白水县", "baishui", "04", 0.8),
    ("龙溪县", "longxi", "05", 0.9),
    ("松林县", "songlin", "06", 0.7),
    ("梅岭县", "meiling", "07", 0.6),
    ("安澜市", "anlan", "08", 1.2),
]
PREFECTURE_VOLUME = 1.3
PROVINCE_COURT_CODE = "云"
PREFECTURE_COURT_CODE = "云27"

# Agency types: (key, name suffix, Domain, relative volume, 案由 weights).
AGENCY_TYPES: list[tuple[str, str, str, float, dict[str, float]]] = [
    ("zf", "人民政府", Domain.LAND_EXPROPRIATION, 2.0,
     {ActType.LEVY: 4, ActType.INDEMNITY: 2, ActType.INFORMATION: 2, ActType.NONPERFORMANCE: 1, ActType.AGREEMENT: 1}),
    ("zrzy", "自然资源局", Domain.NATURAL_RESOURCES, 1.8,
     {ActType.REGISTRATION: 3, ActType.PENALTY: 3, ActType.CONFIRMATION: 2, ActType.NONPERFORMANCE: 1, ActType.INFORMATION: 1}),
    ("ga", "公安局", Domain.PUBLIC_SECURITY, 1.6,
     {ActType.PENALTY: 6, ActType.COERCION: 2, ActType.NONPERFORMANCE: 1, ActType.INFORMATION: 1}),
    ("scjg", "市场监督管理局", Domain.MARKET, 1.0,
     {ActType.PENALTY: 5, ActType.REGISTRATION: 2, ActType.LICENSING: 1.5, ActType.NONPERFORMANCE: 1.5}),
    ("rs", "人力资源和社会保障局", Domain.LABOUR, 1.2,
     {ActType.CONFIRMATION: 6, ActType.NONPERFORMANCE: 2, ActType.PENALTY: 1, ActType.INFORMATION: 1}),
    ("zj", "住房和城乡建设局", Domain.HOUSING, 1.1,
     {ActType.COERCION: 3, ActType.PENALTY: 3, ActType.LICENSING: 2, ActType.AGREEMENT: 1, ActType.INFORMATION: 1}),
    ("sthj", "生态环境局", Domain.ENVIRONMENT, 0.6,
     {ActType.PENALTY: 7, ActType.COERCION: 1, ActType.LICENSING: 1, ActType.INFORMATION: 1}),
    ("ly", "林业局", Domain.FORESTRY, 0.6,
     {ActType.PENALTY: 5, ActType.LICENSING: 2, ActType.CONFIRMATION: 2, ActType.OTHER: 1}),
    ("jt", "交通运输局", Domain.TRANSPORT, 0.7,
     {ActType.PENALTY: 7, ActType.COERCION: 2, ActType.LICENSING: 1}),
    ("jy", "教育局", Domain.EDUCATION, 0.3,
     {ActType.LICENSING: 3, ActType.NONPERFORMANCE: 3, ActType.INFORMATION: 2, ActType.OTHER: 2}),
    ("wj", "卫生健康局", Domain.HEALTH, 0.4,
     {ActType.PENALTY: 5, ActType.LICENSING: 3, ActType.INFORMATION: 2}),
]  # fmt: skip

# First-instance loss rate by place (the counties differ); 石门县 breaks the 30 % threshold in 2025.
LOSS_RATE = {
    PREFECTURE: 0.20, "云城区": 0.17, "青山县": 0.21, "石门县": 0.24, "白水县": 0.15,
    "龙溪县": 0.19, "松林县": 0.23, "梅岭县": 0.16, "安澜市": 0.18,
}  # fmt: skip
# Losses conclude later than withdrawals, so the last months under-count them; 2026 gets no downward shift.
LOSS_YEAR_SHIFT = {2024: 0.02, 2025: 0.0, 2026: 0.0}
LOSS_OVERRIDE = {("石门县", 2025): 0.36}
APPEARANCE_RATE = {2024: 0.76, 2025: 0.85, 2026: 0.92}  # a later year continues the last (``of_year``)
# 法释〔2020〕3号 第11条第3款: a head who appears speaks to the substantive resolution (出庭又出声), more so each year.
SPOKE_RATE = {2024: 0.86, 2025: 0.90, 2026: 0.93}
# 法释〔2020〕3号 第8条: about half of the heads who stay away file a lawful reason (the rest are not excused).
EXCUSED_ABSENCE_SHARE = 0.5
EXCUSE_WEIGHTS = {
    AbsenceReason.IRREPLACEABLE_DUTY: 6,
    AbsenceReason.OTHER_JUSTIFIED: 2,
    AbsenceReason.ACCIDENT: 1,
    AbsenceReason.FORCE_MAJEURE: 0.5,
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红文玉兰志宏海燕林波飞鹏辉晨婷雪梅琳斌浩宇欣怡"
COMPANY_WORDS = ["鑫源", "云峰", "宏达", "青禾", "长兴", "瑞丰", "金岭", "山泉", "兴旺", "博远"]
COMPANY_KINDS = ["建材有限公司", "农业开发有限公司", "房地产开发有限公司", "商贸有限公司", "运输有限公司", "餐饮店"]
REJECTION_REASONS = [
    "超过法定申请期限（行政复议法 第20条）",
    "申请人与被申请复议的行政行为没有利害关系",
    "不属于行政复议范围（行政复议法 第12条）",
    "已向人民法院提起行政诉讼，人民法院已经依法受理",
]
REQUEST_TEMPLATES: dict[str, str] = {
    ActType.PENALTY: "请求撤销{agency}作出的行政处罚决定",
    ActType.COERCION: "请求确认{agency}实施的强制拆除行为违法",
    ActType.LICENSING: "请求撤销{agency}作出的不予许可决定并责令重新作出",
    ActType.LEVY: "请求撤销{agency}作出的房屋征收决定",
    ActType.REQUISITION: "请求确认{agency}的征用行为违法并给予补偿",
    ActType.CONFIRMATION: "请求撤销{agency}作出的工伤（权属）认定决定",
    ActType.REGISTRATION: "请求撤销{agency}作出的不动产登记行为",
    ActType.COMPENSATION: "请求判令{agency}赔偿损失",
    ActType.INDEMNITY: "请求判令{agency}依法给予补偿",
    ActType.NONPERFORMANCE: "请求责令{agency}履行法定职责",
    ActType.INFORMATION: "请求撤销{agency}作出的政府信息公开答复并重新答复",
    ActType.AGREEMENT: "请求判令{agency}继续履行征收补偿协议",
    ActType.OTHER: "请求撤销{agency}作出的行政行为",
}
# Rulings and withdrawals often end a case before any hearing.
NO_HEARING_SHARE: dict[str, float] = {
    LitigationOutcome.SUIT_DISMISSED: 0.6,
    LitigationOutcome.WITHDRAWN: 0.5,
    LitigationOutcome.WITHDRAWN_AFTER_CHANGE: 0.5,
    LitigationOutcome.TERMINATED: 0.7,
}
# Acts with money at stake carry an amount; 行政诉讼法 第60条 also allows mediation only in such matters.
MONEY_CAUSES = frozenset({ActType.LEVY, ActType.INDEMNITY, ActType.COMPENSATION, ActType.AGREEMENT})


RULE_OF_LAW_OFFICE = "依法治办"


def rule_of_law_office_name(place: str) -> str:
    """中共云岭州委依法治州办, 中共青山县委依法治县办, 中共安澜市委依法治市办."""
    return f"中共{place}委依法治{place[-1]}办"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    place: str  # region name, or "" for the administrators
    org_suffix: str = ""  # organisation name without the place, when the user belongs to one
    is_head: bool = False  # the place's 依法治办 head or government head: receives escalations (SPEC §6.1)


# Every Role has at least one user (SPEC §2). ``place`` + ``org_suffix`` name the organisation.
DEMO_USERS: list[DemoUser] = [
    DemoUser("zfb_zhou", "周明远", Role.RULE_OF_LAW_OFFICE, PREFECTURE, RULE_OF_LAW_OFFICE, is_head=True),
    *[
        DemoUser(f"zfb_{py}", name, Role.RULE_OF_LAW_OFFICE, county, RULE_OF_LAW_OFFICE, is_head=True)
        for (county, py, _c, _v), name in zip(COUNTIES, ["何晓岚", "赵立新", "孙建华", "钱玉梅", "李振邦", "吴秀英", "郑海涛", "冯志强"], strict=True)
    ],
    # One 领导 per place, its government head (州长/县长/区长/市长).
    DemoUser("ld_zhou", "高志国", Role.LEADER, PREFECTURE, is_head=True),
    *[
        DemoUser(f"ld_{py}", name, Role.LEADER, county, is_head=True)
        for (county, py, _c, _v), name in zip(COUNTIES, ["邹卫东", "罗建平", "唐德明", "熊丽君", "秦国强", "邱永红", "江海波", "尹志刚"], strict=True)
    ],
    DemoUser("fy_zhou", "林书涵", Role.COURT_LIAISON, PREFECTURE, "中级人民法院"),
    *[
        DemoUser(f"fy_{py}", name, Role.COURT_LIAISON, county, "人民法院")
        for (county, py, _c, _v), name in zip(COUNTIES, ["许静怡", "韩文博", "冯雪梅", "邓佳琪", "曹志远", "彭丽娟", "曾凡宇", "肖雅婷"], strict=True)
    ],
    DemoUser("sfj_zhou", "陈思远", Role.RECONSIDERATION_BODY, PREFECTURE, "司法局"),
    # The body's head (机构负责人) approves decisions, extensions and 意见书 (行政复议法 第62条; SPEC §6.8).
    DemoUser("sfj_zhou_fzr", "罗文静", Role.RECONSIDERATION_BODY, PREFECTURE, "司法局", is_head=True),
    DemoUser("sfj_qingshan", "杨晓燕", Role.RECONSIDERATION_BODY, "青山县", "司法局"),
    DemoUser("sfj_shimen", "黄国栋", Role.RECONSIDERATION_BODY, "石门县", "司法局"),
    DemoUser("jg_zhou_zrzy", "马丽华", Role.AGENCY_LIAISON, PREFECTURE, "自然资源局"),
    DemoUser("jg_qingshan_zrzy", "朱文杰", Role.AGENCY_LIAISON, "青山县", "自然资源局"),
    DemoUser("jg_qingshan_ga", "胡建军", Role.AGENCY_LIAISON, "青山县", "公安局"),
    DemoUser("jg_shimen_zf", "郭秀兰", Role.AGENCY_LIAISON, "石门县", "人民政府"),
    DemoUser("jg_shimen_rs", "谢春燕", Role.AGENCY_LIAISON, "石门县", "人力资源和社会保障局"),
    DemoUser("jg_yuncheng_zj", "宋明辉", Role.AGENCY_LIAISON, "云城区", "住房和城乡建设局"),
    # One staff member per coordination centre; six coordinators of the pool log in (``fuyuan.demo.disputes``).
    DemoUser("zx_zhou", "田晓雯", Role.CENTRE_STAFF, PREFECTURE, "行政争议协调化解中心"),
    DemoUser("zx_qingshan", "董丽萍", Role.CENTRE_STAFF, "青山县", "行政争议协调化解中心"),
    DemoUser("zx_yuncheng", "龚雅琴", Role.CENTRE_STAFF, "云城区", "行政争议协调化解中心"),
    DemoUser("zx_shimen", "邵永健", Role.CENTRE_STAFF, "石门县", "行政争议协调化解中心"),
    DemoUser("zx_baishui", "万晓丽", Role.CENTRE_STAFF, "白水县", "行政争议协调化解中心"),
    DemoUser("zx_longxi", "武卫平", Role.CENTRE_STAFF, "龙溪县", "行政争议协调化解中心"),
    DemoUser("zx_songlin", "戴春梅", Role.CENTRE_STAFF, "松林县", "行政争议协调化解中心"),
    DemoUser("zx_meiling", "莫志华", Role.CENTRE_STAFF, "梅岭县", "行政争议协调化解中心"),
    DemoUser("zx_anlan", "孔令伟", Role.CENTRE_STAFF, "安澜市", "行政争议协调化解中心"),
    DemoUser("xty_zhou", "袁志诚", Role.COORDINATOR, PREFECTURE),
    DemoUser("xty_qingshan", "潘永福", Role.COORDINATOR, "青山县"),
    DemoUser("xty_shimen", "龙德华", Role.COORDINATOR, "石门县"),
    DemoUser("xty_yuncheng", "方婉清", Role.COORDINATOR, "云城区"),
    DemoUser("xty_anlan", "柳志明", Role.COORDINATOR, "安澜市"),
    DemoUser("xty_longxi", "贺建勋", Role.COORDINATOR, "龙溪县"),
    DemoUser("jw_zhou", "蒋正清", Role.DISCIPLINE_LIAISON, PREFECTURE, "纪委监委"),
    # 行政执法监督 (SPEC §6.7): the 州司法局's supervision staff and one 特邀执法监督员 (a citizen, no organisation).
    DemoUser("zfjd_zhou", "史伟业", Role.ENFORCEMENT_SUPERVISION, PREFECTURE, "司法局"),
    DemoUser("tyjd_zhou", "葛慧敏", Role.INVITED_SUPERVISOR, PREFECTURE),
    DemoUser("sysadmin", "蔡文涛", Role.SYSTEM_ADMIN, ""),
    DemoUser("secadmin", "余安宁", Role.SECURITY_ADMIN, ""),
    DemoUser("auditadmin", "杜明哲", Role.AUDIT_ADMIN, ""),
]  # fmt: skip
# The Django admin pages the system administrator runs: regions, organisations, rosters, users. Never cases.


@dataclass
class Place:
    region: Region
    name: str
    short: str  # "州" for the prefecture, the county's own name otherwise
    volume: float
    court: Organisation
    court_code: str
    justice_bureau: Organisation
    agencies: list[tuple[Organisation, str, str, dict[str, float], float]] = field(default_factory=list)


@dataclass
class DemoResult:
    regions: int = 0
    organisations: int = 0
    heads: int = 0
    users: int = 0
    cases: dict[str, int] = field(default_factory=dict)
    hearings: int = 0
    disputes: DisputeCounts = field(default_factory=DisputeCounts)
    supervision: SupervisionCounts = field(default_factory=SupervisionCounts)
    reconsideration: ReconsiderationCounts = field(default_factory=ReconsiderationCounts)


def database_has_data() -> bool:
    """The demo never mixes with real or earlier data: any region or case means "not empty"."""
    return Region.objects.exists() or Case.objects.exists()


def of_year(table: dict[int, float], year: int) -> float:
    """A yearly figure of the demo's story; a year after the table's last (the demo run in a later year) keeps the
    last year's."""
    return table.get(year, table[max(table)])


def last_day(now: datetime.datetime) -> datetime.date:
    """The demo's cases reach the day before it runs: what happened today is still to be entered."""
    return timezone.localtime(now).date() - datetime.timedelta(days=1)


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


def after(date: datetime.date, low: int, high: int, rng: random.Random) -> datetime.date:
    return date + datetime.timedelta(days=rng.randint(low, high))


def government_head_title(place: Place) -> str:
    return head_title(place.name)


def head_title(place: str) -> str:
    """The government head of a place: 州长 of the prefecture, 县长/区长/市长 of a county."""
    if place == PREFECTURE:
        return "州长"
    return {"区": "区长", "市": "市长"}.get(place[-1], "县长")


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Generator:
    def __init__(self, seed: int, cases: int) -> None:
        self.rng = random.Random(seed)
        self.summaries = SummaryWriter(seed)
        # Separate streams for what was added later (the appearance details, the hearings, the mobiles), so that
        # they leave every other value of a seed's cases as it was.
        self.detail_rng = random.Random(f"{seed}:appearance")
        self.hearing_rng = random.Random(f"{seed}:hearings")
        self.seed = seed
        self.set_now(timezone.now())
        self.total = cases
        self.places: list[Place] = []
        self.heads_by_org: dict[int, list[OrganisationHead]] = defaultdict(list)
        self.place_of: dict[int, Place] = {}  # id(case) → the place whose agency it concerns
        self.orgs_by_name: dict[str, Organisation] = {}
        self.high_court: Organisation | None = None
        self.prefecture_court: Organisation | None = None
        self.prefecture_bureau: Organisation | None = None
        self.result = DemoResult()
        self._used_names: set[str] = set()

    def set_now(self, now: datetime.datetime) -> None:
        """The moment the demo runs: its cases reach the day before (``last_day``)."""
        self.now = now
        self.end = last_day(now)
        self.span_days = (self.end - START).days

    # --- people -------------------------------------------------------------------------------------------
    def person(self, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        for _ in range(50):
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            if name not in self._used_names:
                self._used_names.add(name)
                return name
        return name

    def plaintiff(self, group_size: int | None) -> str:
        if self.rng.random() < 0.18:
            return f"{PREFECTURE}{self.rng.choice(COMPANY_WORDS)}{self.rng.choice(COMPANY_KINDS)}"
        names = [
            self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=2)) for _ in range(3 if group_size else 1)
        ]
        return "、".join(names) + (f"等{group_size}人" if group_size else "")

    # --- regions and organisations ----------------------------------------------------------------------
    def build_places(self) -> None:
        province = Region.objects.create(name=PROVINCE, level=RegionLevel.PROVINCE)
        prefecture = Region.objects.create(name=PREFECTURE, level=RegionLevel.PREFECTURE, parent=province)
        counties = [
            Region.objects.create(name=name, level=RegionLevel.COUNTY, parent=prefecture) for name, *_ in COUNTIES
        ]
        self.result.regions = 2 + len(counties)

        orgs: list[Organisation] = [
            Organisation(name=f"{PROVINCE}高级人民法院", kind=OrganisationKind.COURT, region=province)
        ]
        specs: list[tuple[Region, str, str, float, str]] = [
            (prefecture, PREFECTURE, PREFECTURE_SHORT, PREFECTURE_VOLUME, PREFECTURE_COURT_CODE)
        ]
        specs += [
            (region, name, name, volume, f"{PREFECTURE_COURT_CODE}{code}")
            for region, (name, _py, code, volume) in zip(counties, COUNTIES, strict=True)
        ]
        for region, name, _short, _volume, _code in specs:
            is_pref = region is prefecture
            for _key, suffix, *_rest in AGENCY_TYPES:
                if suffix == "生态环境局" and not is_pref:
                    # 生态环境 is vertically managed: a county has the prefecture bureau's branch (分局).
                    org_name = (
                        f"{PREFECTURE}生态环境局{name.removesuffix('县').removesuffix('区').removesuffix('市')}分局"
                    )
                else:
                    org_name = f"{name}{suffix}"
                orgs.append(Organisation(name=org_name, kind=OrganisationKind.AGENCY, region=region))
            court = f"{name}中级人民法院" if is_pref else f"{name}人民法院"
            orgs += [
                Organisation(name=court, kind=OrganisationKind.COURT, region=region),
                Organisation(name=f"{name}司法局", kind=OrganisationKind.JUSTICE_BUREAU, region=region),
                Organisation(
                    name=rule_of_law_office_name(name),
                    kind=OrganisationKind.RULE_OF_LAW_OFFICE,
                    region=region,
                ),
                Organisation(
                    name=f"{name}行政争议协调化解中心", kind=OrganisationKind.COORDINATION_CENTRE, region=region
                ),
                Organisation(name=f"{name}纪委监委", kind=OrganisationKind.DISCIPLINE, region=region),
            ]
        Organisation.objects.bulk_create(orgs)
        self.result.organisations = len(orgs)
        self.orgs_by_name = {o.name: o for o in Organisation.objects.all()}
        self.high_court = self.orgs_by_name[f"{PROVINCE}高级人民法院"]
        for region, name, short, volume, code in specs:
            is_pref = region is prefecture
            place = Place(
                region=region,
                name=name,
                short=short,
                volume=volume,
                court=self.orgs_by_name[f"{name}中级人民法院" if is_pref else f"{name}人民法院"],
                court_code=code,
                justice_bureau=self.orgs_by_name[f"{name}司法局"],
            )
            agency_orgs = [o for o in self.orgs_by_name.values() if o.region_id == region.pk and o.kind == "agency"]
            by_suffix = {o.name.removeprefix(name): o for o in agency_orgs}
            for _key, suffix, domain, weight, causes in AGENCY_TYPES:
                org = by_suffix.get(suffix) or next(o for o in agency_orgs if o.name.endswith("分局"))
                place.agencies.append((org, suffix, domain, causes, weight))
            self.places.append(place)
        self.prefecture_court = self.places[0].court
        self.prefecture_bureau = self.places[0].justice_bureau

    def build_heads(self) -> None:
        """正职, 副职 and 分管副职 for every agency; some 正职 replaced in 2025 (roster history by date)."""
        heads: list[OrganisationHead] = []
        for place in self.places:
            for org, suffix, *_ in place.agencies:
                top = government_head_title(place) if suffix == "人民政府" else "局长"
                deputy = f"副{top}"
                since = day(-self.rng.randint(200, 1500))
                if self.rng.random() < 0.25:
                    changed = datetime.date(2025, self.rng.randint(1, 12), self.rng.randint(1, 28))
                    heads.append(self.head(org, HeadPost.PRINCIPAL, top, since, changed - datetime.timedelta(days=1)))
                    heads.append(self.head(org, HeadPost.PRINCIPAL, top, changed, None))
                else:
                    heads.append(self.head(org, HeadPost.PRINCIPAL, top, since, None))
                heads.append(self.head(org, HeadPost.DEPUTY, deputy, day(-self.rng.randint(100, 1200)), None))
                heads.append(
                    self.head(org, HeadPost.DEPUTY_IN_CHARGE, f"分管{deputy}", day(-self.rng.randint(100, 1200)), None)
                )
                if self.rng.random() < 0.3:
                    heads.append(
                        self.head(org, HeadPost.OTHER_IN_CHARGE, "党组成员", day(-self.rng.randint(100, 900)), None)
                    )
        OrganisationHead.objects.bulk_create(heads)
        self.result.heads = len(heads)
        for h in heads:
            self.heads_by_org[h.organisation_id].append(h)

    def head(
        self, org: Organisation, post: str, title: str, since: datetime.date, until: datetime.date | None
    ) -> OrganisationHead:
        return OrganisationHead(
            organisation=org, name=self.person(), post=post, title=title, valid_from=since, valid_to=until
        )

    def appearing_head(self, org: Organisation, on: datetime.date) -> str:
        """A head on the roster valid on the hearing day, mostly the deputy in charge (分管副职)."""
        valid = [
            h for h in self.heads_by_org[org.pk] if h.valid_from <= on and (h.valid_to is None or h.valid_to >= on)
        ]
        weights = [1 if h.post == HeadPost.PRINCIPAL else 3 for h in valid]
        head = self.rng.choices(valid, weights=weights)[0]
        return f"{head.name}（{head.title}）"

    def build_users(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would cost seconds for nothing
        regions = {r.name: r for r in Region.objects.all()}
        users = []
        # The reconsideration body's head came later: its mobile from a stream of its own (the others' are as before).
        body_rng = random.Random(f"{self.seed}:reconsideration-users")
        for spec in DEMO_USERS:
            region = regions.get(spec.place) if spec.place else None
            org = self.orgs_by_name[self.org_name(spec)] if spec.org_suffix else None
            users.append(
                User(
                    username=spec.username,
                    full_name=spec.full_name,
                    role=spec.role,
                    region=region,
                    organisation=org,
                    password=password,
                    is_head=spec.is_head,
                    mobile=(
                        fake_mobile(body_rng if spec.role == Role.RECONSIDERATION_BODY else self.hearing_rng)
                        if spec.is_head or spec.role == Role.AGENCY_LIAISON
                        else ""
                    ),
                )
            )
        User.objects.bulk_create(users)
        self.result.users = len(users)

    @staticmethod
    def org_name(spec: DemoUser) -> str:
        if spec.org_suffix == RULE_OF_LAW_OFFICE:
            return rule_of_law_office_name(spec.place)
        return f"{spec.place}{spec.org_suffix}"

    # --- cases ----------------------------------------------------------------------------------------------
    def start_day(self) -> datetime.date:
        """A day in the three years, the volume growing about 10 % a year."""
        while True:
            offset = self.rng.randrange(self.span_days + 1)
            if self.rng.random() < 0.85 + 0.15 * offset / self.span_days:
                return day(offset)

    def pick_defendant(self) -> tuple[Place, Organisation, str, dict[str, float], str]:
        place = self.rng.choices(self.places, weights=[p.volume for p in self.places])[0]
        org, _suffix, domain, causes, _w = self.rng.choices(place.agencies, weights=[a[4] for a in place.agencies])[0]
        return place, org, domain, causes, weighted(self.rng, causes)

    def new_case(self, kind: str, place: Place, org: Organisation, domain: str, cause: str) -> Case:
        group = self.rng.randint(5, 60) if self.rng.random() < 0.03 else None
        case = Case(
            kind=kind,
            domain=domain,
            cause=cause,
            group_size=group,
            plaintiffs=self.plaintiff(group),
            request=REQUEST_TEMPLATES[cause].format(agency=org.name),
            summary=self.summaries.write(cause, domain, org.name),
            amount=Decimal(self.rng.randint(5, 2000) * 1000) if cause in MONEY_CAUSES else None,
        )
        case.defendant = org
        self.place_of[id(case)] = place
        return case

    def reconsideration(self) -> Case:
        place, org, domain, _causes, cause = self.pick_defendant()
        case = self.new_case(CaseKind.RECONSIDERATION, place, org, domain, cause)
        # 行政复议法 (2023) 第24条: the county government (its 司法局) reviews its departments; the prefecture
        # reviews its own departments and the county governments.
        is_government = org.name.endswith("人民政府")
        bureau = self.prefecture_bureau if is_government else place.justice_bureau
        case.reconsideration_body = bureau
        received = self.start_day()
        case.received_on = received
        age = (self.end - received).days
        if age < 30 or (age < 60 and self.rng.random() < 0.5):
            case.acceptance = Acceptance.PENDING
            return case
        # 行政复议法 (2023) 第30条: acceptance review within 5 working days (about a week).
        case.accepted_on = after(received, 1, 7, self.rng)
        if self.rng.random() < 0.08:
            case.acceptance = Acceptance.REJECTED
            case.rejection_reason = self.rng.choice(REJECTION_REASONS)
            return case
        case.acceptance = Acceptance.ACCEPTED
        # 第62条: decided within 60 days, extendable by 30; simplified cases within 30 days (第61条).
        concluded = after(case.accepted_on, 25, 60 if self.rng.random() < 0.9 else 88, self.rng)
        if concluded > self.end:
            return case
        year = concluded.year
        correction = of_year({2024: 0.14, 2025: 0.11, 2026: 0.09}, year) + self.rng.uniform(-0.02, 0.02)
        mediation = of_year({2024: 0.32, 2025: 0.38, 2026: 0.43}, year)
        roll = self.rng.random()
        if roll < correction:
            outcome = weighted(
                self.rng,
                {
                    ReconsiderationOutcome.REVOKED: 5,
                    ReconsiderationOutcome.CONFIRMED_ILLEGAL: 2,
                    ReconsiderationOutcome.ORDERED_TO_PERFORM: 2,
                    ReconsiderationOutcome.VARIED: 1,
                    ReconsiderationOutcome.CONFIRMED_VOID: 0.3,
                },
            )
        elif roll < correction + mediation:
            outcome = ReconsiderationOutcome.MEDIATED if self.rng.random() < 0.55 else ReconsiderationOutcome.SETTLED
        else:
            outcome = weighted(
                self.rng,
                {
                    ReconsiderationOutcome.UPHELD: 7,
                    ReconsiderationOutcome.REJECTED: 2,
                    ReconsiderationOutcome.WITHDRAWN: 1.2,
                    ReconsiderationOutcome.TERMINATED: 0.5,
                },
            )
        case.concluded_on = concluded
        case.outcome = outcome
        return case

    def first_instance(self, predecessor: Case | None = None) -> Case:
        if predecessor is None:
            place, org, domain, _causes, cause = self.pick_defendant()
            filed = self.start_day()
        else:
            place = self.place_of[id(predecessor)]
            org, domain, cause = predecessor.defendant, predecessor.domain, predecessor.cause
            assert predecessor.concluded_on is not None
            # 行政诉讼法 第45条: suit within 15 days of the reconsideration decision.
            filed = after(predecessor.concluded_on, 3, 14, self.rng)
        case = self.new_case(CaseKind.LITIGATION, place, org, domain, cause)
        case.predecessor = predecessor
        if predecessor is not None:
            case.plaintiffs, case.group_size = predecessor.plaintiffs, predecessor.group_size
        case.instance = Instance.FIRST
        # 行政诉讼法 第15条: suits against a county-level government or above start at the 中级人民法院.
        if org.name.endswith("人民政府"):
            case.court = self.prefecture_court
        elif place.short == PREFECTURE_SHORT:
            case.court = self.places[1].court  # 州本级 departments are sued where the prefecture sits (云城区)
        else:
            case.court = place.court
        case.filed_on = filed
        # 第67条: the complaint copy is served within 5 days of filing; the defence is due 15 days after service,
        # and about one agency in twenty is late (第34条: the evidence then counts as none).
        served = after(filed, 1, 5, self.rng)
        defence = after(served, 3, 14 if self.rng.random() < 0.95 else 25, self.rng)
        if served <= self.end:  # a case filed in the last days may not be served yet
            case.complaint_served_on = served
        if defence <= self.end:
            case.defence_submitted_on = defence
        outcome = self.litigation_outcome(place, after(filed, 60, 170, self.rng).year, cause)
        if self.rng.random() < NO_HEARING_SHARE.get(outcome, 0.0):
            concluded = after(filed, 20, 100, self.rng)
        else:
            hearing = after(filed, 35, 120, self.rng)
            if hearing <= self.end:
                case.hearing_on = hearing
                rate = of_year(APPEARANCE_RATE, hearing.year) + self.rng.uniform(-0.04, 0.04)
                case.head_appeared = self.rng.random() < rate
                if case.head_appeared:
                    case.appeared_head = self.appearing_head(org, hearing)
                self.appearance_details(case, hearing)
            concluded = after(hearing, 5, 50, self.rng)
        if concluded > self.end:
            return case
        case.concluded_on, case.outcome = concluded, outcome
        served = after(concluded, 2, 10, self.rng)
        if served <= self.end:
            case.judgment_served_on = served
        return case

    def appearance_details(self, case: Case, hearing: datetime.date) -> None:
        """Whether the head who appeared spoke (出声), and the lawful reason of about half of the absences."""
        if case.head_appeared:
            case.head_spoke = self.detail_rng.random() < of_year(SPOKE_RATE, hearing.year) + self.detail_rng.uniform(
                -0.03, 0.03
            )
        elif self.detail_rng.random() < EXCUSED_ABSENCE_SHARE:
            case.head_absence_reason = weighted(self.detail_rng, EXCUSE_WEIGHTS)

    def litigation_outcome(self, place: Place, year: int, cause: str) -> str:
        loss = LOSS_OVERRIDE.get((place.name, year), LOSS_RATE[place.name] + LOSS_YEAR_SHIFT.get(year, 0.0))
        if self.rng.random() < loss:
            return weighted(
                self.rng,
                {
                    LitigationOutcome.REVOKED: 8,
                    LitigationOutcome.CONFIRMED_ILLEGAL: 4,
                    LitigationOutcome.ORDERED_TO_PERFORM: 3,
                    LitigationOutcome.PARTLY_REVOKED: 1.5,
                    LitigationOutcome.ORDERED_TO_COMPENSATE: 1 if cause in MONEY_CAUSES else 0.2,
                    LitigationOutcome.ORDERED_TO_PAY: 0.8 if cause in MONEY_CAUSES else 0.1,
                    LitigationOutcome.VARIED: 0.5,
                    LitigationOutcome.CONFIRMED_VOID: 0.3,
                },
            )
        outcome = weighted(
            self.rng,
            {
                LitigationOutcome.CLAIM_DISMISSED: 55,
                LitigationOutcome.SUIT_DISMISSED: 16,
                LitigationOutcome.WITHDRAWN: 10,
                LitigationOutcome.WITHDRAWN_AFTER_CHANGE: 9,
                LitigationOutcome.MEDIATED: 7,
                LitigationOutcome.TERMINATED: 2,
            },
        )
        # 行政诉讼法 第60条: no mediation except compensation, indemnity and discretionary matters.
        if outcome == LitigationOutcome.MEDIATED and cause not in MONEY_CAUSES:
            outcome = LitigationOutcome.CLAIM_DISMISSED
        return outcome

    def appeal(self, first: Case, instance: str) -> Case | None:
        """A second-instance appeal of ``first`` (or a retrial of an appeal), or None if it would start after the last day."""
        assert first.judgment_served_on is not None or first.concluded_on is not None
        base = first.judgment_served_on or first.concluded_on
        assert base is not None
        # 行政诉讼法 第85条: appeal within 15 days of service; the file reaches the higher court some weeks later.
        filed = after(base, 20, 45, self.rng) if instance == Instance.SECOND else after(base, 60, 300, self.rng)
        if filed > self.end:
            return None
        place = self.place_of[id(first)]
        case = self.new_case(CaseKind.LITIGATION, place, first.defendant, first.domain, first.cause)
        case.predecessor = first
        case.plaintiffs, case.group_size, case.amount = first.plaintiffs, first.group_size, first.amount
        case.instance = instance
        # 行政诉讼法 第85条: the appeal goes to the court one level up; 第90条: a retrial is applied for one level
        # above the court of second instance, here always the 高级人民法院.
        if instance == Instance.RETRIAL or first.court == self.prefecture_court:
            case.court = self.high_court
        else:
            case.court = self.prefecture_court
        case.filed_on = filed
        served = after(filed, 1, 5, self.rng)
        case.complaint_served_on = served if served <= self.end else None
        if self.rng.random() < 0.4:
            hearing = after(filed, 25, 70, self.rng)
            if hearing <= self.end:
                case.hearing_on = hearing
        concluded = after(case.hearing_on or filed, 20, 80, self.rng)
        if concluded > self.end:
            return case
        outcome = weighted(
            self.rng,
            {
                LitigationOutcome.CLAIM_DISMISSED: 80,
                LitigationOutcome.REVOKED: 8,
                LitigationOutcome.WITHDRAWN: 6,
                LitigationOutcome.CONFIRMED_ILLEGAL: 3,
                LitigationOutcome.SUIT_DISMISSED: 3,
            },
        )
        if outcome == LitigationOutcome.CLAIM_DISMISSED:
            case.note = "驳回上诉，维持原判" if instance == Instance.SECOND else "驳回再审请求"
        case.concluded_on, case.outcome = concluded, outcome
        served = after(concluded, 2, 10, self.rng)
        if served <= self.end:
            case.judgment_served_on = served
        return case

    def build_cases(self) -> None:
        first_target = max(1, round(self.total / 3.8))
        recon_target = round(first_target * 2.5)
        retrial_target = max(1, self.total // 400)
        second_target = max(1, self.total - first_target - recon_target - retrial_target)

        recon = [self.reconsideration() for _ in range(recon_target)]
        self.number_reconsideration(recon)
        # Some applicants who lost their reconsideration go to court (行政诉讼法 第45条).
        sueable = [
            c
            for c in recon
            if c.outcome in (ReconsiderationOutcome.UPHELD, ReconsiderationOutcome.REJECTED)
            and c.concluded_on is not None
            and c.concluded_on + datetime.timedelta(days=15) <= self.end
        ]
        followed = self.rng.sample(sueable, min(len(sueable), first_target // 8))
        first = [self.first_instance(p) for p in followed]
        first += [self.first_instance() for _ in range(first_target - len(first))]
        appealable = [
            c
            for c in first
            if c.judgment_served_on is not None
            and c.outcome
            not in (LitigationOutcome.WITHDRAWN, LitigationOutcome.WITHDRAWN_AFTER_CHANGE, LitigationOutcome.MEDIATED)
        ]
        second = [
            a
            for a in (
                self.appeal(c, Instance.SECOND)
                for c in self.rng.sample(appealable, min(len(appealable), second_target))
            )
            if a is not None
        ]
        concluded_second = [c for c in second if c.concluded_on is not None]
        retrials = [
            a
            for a in (
                self.appeal(c, Instance.RETRIAL)
                for c in self.rng.sample(concluded_second, min(len(concluded_second), retrial_target))
            )
            if a is not None
        ]
        self.number_litigation([*first, *second, *retrials])
        self.set_effective_dates(first, [*second, *retrials])

        counties = county_map()
        everything = sorted([*recon, *first, *second, *retrials], key=lambda c: (c.filed_on or c.received_on, c.number))
        for case in everything:
            place_case(case, case.defendant, counties)
        hearings = self.plan_hearings(first)  # before saving: a past hearing's attendance is carried onto its case
        self.save_in_order(everything)
        # Before ``cases_changed``: the losses' reviews walked like real work, so none is opened afresh.
        walk_loss_reviews(first, now=self.now, heads_by_org=self.heads_by_org)
        record_events(
            (PendingEvent(record=c, action="generated", summary="演示数据生成") for c in everything),
            by=Actor(label="演示数据"),
        )
        cases_changed.send(sender=Case, case_ids=[c.pk for c in everything], cases=everything, new=True)
        figure_counts.refresh(c.pk for c in everything)  # the figures' counts (stats.counts)
        self.result.hearings = save_hearings(hearings)
        self.result.cases = {
            "行政复议": len(recon),
            "一审": len(first),
            "二审": len(second),
            "再审": len(retrials),
        }

    def plan_hearings(self, first: Sequence[Case]) -> list[PlannedHearing]:
        """Hearings around ``now`` on the pending first-instance cases that have not been heard yet."""
        prefecture = self.places[0].region
        planner = HearingPlanner(
            rng=self.hearing_rng,
            now=self.now,
            heads_by_org=self.heads_by_org,
            people=DemoPeople.load(prefecture.pk),
            person=lambda: self.person(self.hearing_rng),
        )
        waiting = [c for c in first if c.concluded_on is None and c.hearing_on is None]
        return planner.plan(waiting, self.total)

    def set_effective_dates(self, first: Sequence[Case], higher: Sequence[Case]) -> None:
        """A first-instance judgment not appealed takes effect when the 15-day appeal period has run
        (行政诉讼法 第85条); a second-instance or retrial judgment takes effect on service (第86条: 终审)."""
        appealed = {id(c.predecessor) for c in higher}
        for case in first:
            if case.judgment_served_on is not None and id(case) not in appealed:
                effective = case.judgment_served_on + datetime.timedelta(days=16)
                case.effective_on = effective if effective <= self.end else None
        for case in higher:
            case.effective_on = case.judgment_served_on

    @staticmethod
    def save_in_order(cases: Sequence[Case]) -> None:
        """Insert in order of registration, so that ids (and the newest-first lists) follow the calendar.

        A batch is cut before a case whose predecessor is still unsaved in it: a case takes its predecessor's id
        as it is inserted. The cases take the ledger import's raw path (``cases.workflow.insert_new_cases``): the
        ORM's ``bulk_create`` spent a third of a full demo's generation preparing their values.
        """
        batch: list[Case] = []
        unsaved: set[int] = set()
        for case in cases:
            if len(batch) >= 1000 or (case.predecessor is not None and id(case.predecessor) in unsaved):
                insert_new_cases(batch)
                batch, unsaved = [], set()
            batch.append(case)
            unsaved.add(id(case))
        insert_new_cases(batch)

    def number_reconsideration(self, cases: Sequence[Case]) -> None:
        """``云岭州府复〔2025〕45号``: per body and year, in order of receipt."""
        groups: dict[tuple[str, int], list[Case]] = defaultdict(list)
        for c in cases:
            assert c.reconsideration_body is not None and c.received_on is not None
            groups[(c.reconsideration_body.name.removesuffix("司法局"), c.received_on.year)].append(c)
        for (place, year), group in groups.items():
            group.sort(key=lambda c: (c.received_on, c.plaintiffs))
            for n, c in enumerate(group, 1):
                c.number = f"{place}府复〔{year}〕{n}号"

    def number_litigation(self, cases: Sequence[Case]) -> None:
        """``（2025）云2702行初57号``: per court, year and instance, in order of filing."""
        codes = {p.court.pk: p.court_code for p in self.places}
        assert self.high_court is not None
        codes[self.high_court.pk] = PROVINCE_COURT_CODE
        kinds = {Instance.FIRST: "行初", Instance.SECOND: "行终", Instance.RETRIAL: "行再"}
        groups: dict[tuple[str, int, str], list[Case]] = defaultdict(list)
        for c in cases:
            assert c.court is not None and c.filed_on is not None
            groups[(codes[c.court.pk], c.filed_on.year, kinds[Instance(c.instance)])].append(c)
        for (code, year, kind), group in groups.items():
            group.sort(key=lambda c: (c.filed_on, c.plaintiffs))
            for n, c in enumerate(group, 1):
                c.number = f"（{year}）{code}{kind}{n}号"


def generate_demo(
    *, seed: int = DEFAULT_SEED, cases: int = DEFAULT_CASES, now: datetime.datetime | None = None
) -> DemoResult:
    """Create the demo prefecture in one transaction (see the module docstring). The database must be empty.

    ``now`` (default: the present moment) places the hearings: upcoming ones after it, held ones before it."""
    gen = _Generator(seed, cases)
    if now is not None:
        gen.set_now(now)
    with transaction.atomic():
        gen.build_places()
        gen.build_heads()
        gen.build_users()
        gen.build_cases()
        gen.result.disputes = build_disputes(
            seed=seed, now=gen.now, places=gen.places, heads_by_org=gen.heads_by_org, person=gen.person, cases=cases
        )
        gen.result.organisations += gen.result.disputes.organisations
        build_benchmarks(gen.now.year)
        gen.result.supervision = build_supervision(seed=seed, now=gen.now, first_day=START)
        gen.result.reconsideration = build_reconsideration(seed=seed, now=gen.now, person=gen.person)
        build_linkage(seed=seed, now=gen.now)
        build_decisions(now=gen.now)
        build_filereview(now=gen.now)
        build_enforcement(seed=seed, now=gen.now)
        register_external_systems()
    return gen.result


# The demo's 全省平均/全国平均 (fictional, of the order of the published ones: 2021 全省 败诉率 22.33%, 纠错率 14.05%,
# 出庭率 73.99%, SPEC §8), so that the dashboard and the 通报 show their benchmark beside each rate.
DEMO_BENCHMARKS = {
    "loss_rate": ((21.6, 22.8), (20.9, 21.7)),
    "correction_rate": ((12.9, 13.8), (11.8, 12.6)),
    "mediation_rate": ((38.5, 36.2), (35.1, 33.4)),
    "appearance_rate": ((86.4, 80.2), (90.1, 84.7)),
}


def build_benchmarks(last_year: int) -> None:
    """全省平均 and 全国平均 of each benchmarked rate for the demo's years, entered by the 州 依法治办."""
    entered_by = User.objects.get(username="zfb_zhou")
    rows = []
    for rate, yearly in DEMO_BENCHMARKS.items():
        for year, (province, nation) in zip(range(last_year - 1, last_year + 1), yearly, strict=True):
            for scope, value in ((BenchmarkScope.PROVINCE, province), (BenchmarkScope.NATION, nation)):
                rows.append(
                    Benchmark(
                        year=year,
                        rate=rate,
                        scope=scope,
                        value=Decimal(str(value)),
                        source="演示数据（虚构）",
                        entered_by=entered_by,
                    )
                )
    Benchmark.objects.bulk_create(rows)


# The systems that exchange data with the platform (the API), registered by the system administrator.
EXTERNAL_SYSTEMS = [
    (f"{PREFECTURE}中级人民法院审判管理系统", SystemKind.COURT, f"{PREFECTURE}中级人民法院"),
    (f"{PREFECTURE}行政复议办案系统", SystemKind.RECONSIDERATION_BODY, f"{PREFECTURE}司法局"),
]


def register_external_systems() -> None:
    """The external systems, registered through ``api.workflow`` (each with its service account and audit record);
    done last, so that their accounts take no part in the demo's work."""
    admin = User.objects.get(role=Role.SYSTEM_ADMIN, username="sysadmin")
    for name, kind, organisation in EXTERNAL_SYSTEMS:
        register_system(name, kind, Organisation.objects.get(name=organisation), by=admin)


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(用户名, 密码, 角色, 范围) of the demo users present in the database, in ``DEMO_USERS`` order."""
    order = {u.username: i for i, u in enumerate(DEMO_USERS)}
    users = User.objects.filter(username__in=order).select_related("region", "organisation")
    rows = []
    for user in sorted(users, key=lambda u: order[u.username]):
        if user.organisation is not None:
            scope = user.organisation.name
        elif user.region is not None:
            scope = user.region.name
        else:
            scope = "系统管理（不含案件；首次登录绑定身份验证器）"
        role = f"{user.get_role_display()}·{user.full_name}"
        if user.is_head:
            region_name = user.region.name if user.region else ""
            role += f"（{head_title(region_name) if user.role == Role.LEADER else '负责人'}）"
        rows.append((user.username, DEMO_PASSWORD, role, scope))
    return rows
