"""The classification suggestion (分类化解): domain, act type, urgency and group size read from the matter's text.

Keywords at first (SPEC §6.2 "learnable later"): each hit is named in the reasons, so that staff see why the
system suggests what it does, and they confirm or change it (``workflow.classify_dispute``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fuyuan.cases.choices import ActType, Domain
from fuyuan.disputes.choices import Urgency

DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    Domain.FORESTRY: ("林地", "林木", "林权", "采伐", "公益林", "退耕还林", "林业"),
    Domain.LAND_EXPROPRIATION: ("征地", "征收", "拆迁", "安置", "补偿款", "棚户区"),
    Domain.NATURAL_RESOURCES: ("土地", "宅基地", "不动产", "矿", "国土", "用地"),
    Domain.HOUSING: ("房屋", "违建", "违法建筑", "物业", "住建", "建设工程", "规划"),
    Domain.LABOUR: ("工伤", "社保", "养老保险", "劳动", "工资", "人社"),
    Domain.MARKET: ("营业执照", "市场监管", "食品", "价格", "商标", "特种设备"),
    Domain.PUBLIC_SECURITY: ("公安", "拘留", "户口", "交警", "治安", "派出所"),
    Domain.TRANSPORT: ("运输", "道路", "出租车", "车辆", "交通运输"),
    Domain.ENVIRONMENT: ("环境", "污染", "排污", "环评", "噪声"),
    Domain.EDUCATION: ("学校", "学籍", "教师", "教育", "入学"),
    Domain.HEALTH: ("医疗", "医院", "卫生", "医保", "药品"),
}
ACT_WORDS: dict[str, tuple[str, ...]] = {
    ActType.PENALTY: ("罚款", "处罚", "没收", "吊销", "责令停产"),
    ActType.COERCION: ("强制拆除", "查封", "扣押", "冻结", "强制执行"),
    ActType.LICENSING: ("许可", "审批", "办证", "执照"),
    ActType.LEVY: ("征收",),
    ActType.REQUISITION: ("征用",),
    ActType.CONFIRMATION: ("工伤认定", "确权", "认定"),
    ActType.REGISTRATION: ("登记", "不动产证", "颁证"),
    ActType.COMPENSATION: ("国家赔偿", "行政赔偿"),
    ActType.INDEMNITY: ("补偿", "安置"),
    ActType.NONPERFORMANCE: ("不作为", "不履行", "未答复", "拖延"),
    ActType.INFORMATION: ("信息公开", "政府信息"),
    ActType.AGREEMENT: ("协议", "合同"),
}
# "集体" alone is not a sign of urgency: 集体土地 is the ordinary subject of a land dispute.
URGENT_WORDS = ("上访", "集体访", "聚集", "堵路", "围堵", "过激", "极端", "自杀", "舆情", "媒体")
CRITICAL_WORDS = ("自杀", "极端", "围堵")
# A number of people: "12户", "30余人", "三十多户", "5名"; never "第三人" (a party in law), "500人民币" or 千家万户.
_PEOPLE = re.compile(
    r"(?<!第)(\d+|[一二两三四五六七八九十][零一二两三四五六七八九十百千]*)\s*(?:余|多)?\s*(?:户|名|家|人(?!民))"
)
_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NAME_SPLIT = re.compile(r"[、，,;；\s]+")


@dataclass(frozen=True)
class Suggestion:
    domain: str = ""
    act_type: str = ""
    urgency: str = Urgency.NORMAL
    group_size: int = 1
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "act_type": self.act_type,
            "urgency": self.urgency,
            "group_size": self.group_size,
            "reasons": self.reasons,
        }


def _best(text: str, table: dict[str, tuple[str, ...]]) -> tuple[str, list[str]]:
    best, hits_of_best = "", list[str]()
    for code, words in table.items():
        hits = [w for w in words if w in text]
        if len(hits) > len(hits_of_best):
            best, hits_of_best = code, hits
    return best, hits_of_best


def chinese_number(numeral: str) -> int:
    """``"12"`` → 12, ``"十二"`` → 12, ``"三十"`` → 30, ``"一百零五"`` → 105 (up to the thousands)."""
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, 0
    for ch in numeral:
        if ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            digit = _DIGITS[ch]
    return total + digit


def people_mentioned(text: str) -> tuple[int, str]:
    """The largest number of people a text states (``"12户村民"``), with the words that state it."""
    best, words = 0, ""
    for match in _PEOPLE.finditer(text):
        n = chinese_number(match.group(1))
        if n > best:
            best, words = n, match.group(0)
    return best, words


def applicant_names(applicants: str) -> list[str]:
    """The named applicants, without a trailing "等12人" (``"王伟、李娜等12人"`` → ``["王伟", "李娜"]``)."""
    names = [a for a in _NAME_SPLIT.split(applicants) if a]
    return [n for n in (re.sub(r"等.*$", "", name) for name in names) if n]


def suggest(text: str, *, applicants: str = "") -> Suggestion:
    """A suggestion for the matter ``text`` (and the applicants, whose number hints at a group dispute)."""
    reasons: list[str] = []
    domain, hits = _best(text, DOMAIN_WORDS)
    if domain:
        reasons.append(f"领域“{Domain(domain).label}”：含“{'”“'.join(hits)}”")
    act_type, hits = _best(text, ACT_WORDS)
    if act_type:
        reasons.append(f"行为类别“{ActType(act_type).label}”：含“{'”“'.join(hits)}”")
    urgency = Urgency.NORMAL
    critical = [w for w in CRITICAL_WORDS if w in text]
    urgent = [w for w in URGENT_WORDS if w in text]
    if critical:
        urgency = Urgency.CRITICAL
        reasons.append(f"紧急程度“特急”：含“{'”“'.join(critical)}”")
    elif urgent:
        urgency = Urgency.URGENT
        reasons.append(f"紧急程度“紧急”：含“{'”“'.join(urgent)}”")
    named = len(applicant_names(applicants))
    counted, words = max(people_mentioned(text), people_mentioned(applicants))
    group_size = max(1, named, counted)
    if group_size > 1:
        reasons.append(f"涉及人数 {group_size}：" + (f"写明“{words}”" if counted >= named else f"申请人 {named} 名"))
    return Suggestion(domain, act_type, urgency, group_size, reasons)
