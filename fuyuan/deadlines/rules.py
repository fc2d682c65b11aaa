"""Every time limit of SPEC §5 as data: what it is, the rule behind it, how it counts. A lawyer can check each
line against its source; the ids are stable (the command line and the API use them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from fuyuan.core.workdays import WorkCalendar, add_days, add_months


class Counting(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    amount: int
    unit: Unit
    counting: Counting
    source: str
    # 民事诉讼法 第85条 via 行政诉讼法 第101条 / 行政复议法 第88条: a statutory period ending on a holiday ends on the
    # next working day. Reminders and minimum periods do not move.
    holiday_end_rule: bool = True
    before: bool = False

    @property
    def period_label(self) -> str:
        unit = "个月" if self.unit == Unit.MONTHS else ("个工作日" if self.counting == Counting.WORKING else "日")
        return f"{'前' if self.before else ''}{self.amount}{unit}"

    def nominal_end(self, start: datetime.date, cal: WorkCalendar) -> datetime.date:
        """The period's last day before the holiday end-rule (the start day itself is not counted)."""
        if self.counting == Counting.WORKING:
            return cal.add_working_days(start, self.amount)
        amount = -self.amount if self.before else self.amount
        return add_months(start, amount) if self.unit == Unit.MONTHS else add_days(start, amount)


D, M = Unit.DAYS, Unit.MONTHS
CAL, WORK = Counting.CALENDAR, Counting.WORKING

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("litigation.filing_limit", "起诉期限（知道行政行为之日起）", 6, M, CAL, "行政诉讼法 第46条第1款"),
        Rule("litigation.after_reconsideration", "复议决定后起诉期限", 15, D, CAL, "行政诉讼法 第45条"),
        Rule("litigation.filing_review", "法院立案审查", 7, D, CAL, "行政诉讼法 第51条第2款"),
        Rule(
            "litigation.defence",
            "被告提交答辩状及证据",
            15,
            D,
            CAL,
            "行政诉讼法 第67条第1款（逾期举证视为没有证据：第34条第2款）",
        ),
        Rule("litigation.first_instance", "一审审理期限", 6, M, CAL, "行政诉讼法 第81条"),
        Rule("litigation.simplified", "简易程序审理期限", 45, D, CAL, "行政诉讼法 第83条"),
        Rule("litigation.appeal_judgment", "不服判决上诉期限", 15, D, CAL, "行政诉讼法 第85条"),
        Rule("litigation.appeal_ruling", "不服裁定上诉期限", 10, D, CAL, "行政诉讼法 第85条"),
        Rule("litigation.second_instance", "二审审理期限", 3, M, CAL, "行政诉讼法 第88条"),
        Rule("reconsideration.apply", "申请行政复议期限", 60, D, CAL, "行政复议法（2023修订）第20条第1款"),
        Rule("reconsideration.acceptance", "复议受理审查", 5, D, WORK, "行政复议法（2023修订）第30条、第88条第2款"),
        Rule("reconsideration.reply", "被申请人书面答复", 10, D, WORK, "行政复议法（2023修订）第48条、第88条第2款"),
        Rule("reconsideration.decision", "复议决定期限", 60, D, CAL, "行政复议法（2023修订）第62条第1款"),
        Rule(
            "reconsideration.decision_extended",
            "复议决定期限（延长）",
            90,
            D,
            CAL,
            "行政复议法（2023修订）第62条第1款（延长不超过30日）",
        ),
        Rule("reconsideration.simplified", "简易程序复议决定期限", 30, D, CAL, "行政复议法（2023修订）第62条第2款"),
        Rule(
            "hearing.first_reminder",
            "开庭前第一次提醒",
            7,
            D,
            CAL,
            "地方规则：黔南州“两提两核一直达”（开庭前一周提醒）",
            holiday_end_rule=False,
            before=True,
        ),
        Rule(
            "hearing.second_reminder",
            "开庭前第二次提醒",
            1,
            D,
            CAL,
            "地方规则：黔南州“两提两核一直达”（开庭前一天提醒）",
            holiday_end_rule=False,
            before=True,
        ),
        Rule(
            "centre.expert_review",
            "专家组审核",
            3,
            D,
            WORK,
            "地方规则：黔南州重大行政争议协调工作办法（3日内组织专家组审核）",
        ),
        Rule(
            "centre.plan", "制作化解方案", 5, D, WORK, "地方规则：黔南州重大行政争议协调工作办法（5日内制作化解方案）"
        ),
        Rule(
            "centre.pre_litigation",
            "诉前调解",
            30,
            D,
            CAL,
            "地方规则：黔南州（利用诉前30天化解）；最高人民法院诉前调解规定",
            holiday_end_rule=False,
        ),
        Rule(
            "decision.public_comment",
            "公开征求意见（不少于）",
            30,
            D,
            CAL,
            "重大行政决策程序暂行条例 第15条",
            holiday_end_rule=False,
        ),
        Rule("decision.legality_review", "合法性审查（不少于）", 7, D, WORK, "重大行政决策程序暂行条例 第27条"),
        # 四必治败诉 (黔南州: 必通报、必倒查、必约谈、必追责). The mechanism names the steps, not their periods: these
        # are the platform's local defaults, to be confirmed by each deployment's 依法治办.
        Rule("accountability.notice", "败诉通报", 5, D, WORK, "地方规则：黔南州“四必治败诉”必通报（期限为本地默认值）"),
        Rule(
            "accountability.analysis",
            "败诉倒查分析",
            15,
            D,
            WORK,
            "地方规则：黔南州“四必治败诉”必倒查（期限为本地默认值）",
        ),
        Rule(
            "accountability.interview",
            "败诉约谈",
            10,
            D,
            WORK,
            "地方规则：黔南州“四必治败诉”必约谈（期限为本地默认值）",
        ),
        Rule(
            "accountability.decision", "追责决定", 20, D, WORK, "地方规则：黔南州“四必治败诉”必追责（期限为本地默认值）"
        ),
        Rule(
            "rectification.default",
            "建议书整改（文书未另定期限时）",
            2,
            M,
            CAL,
            "司法建议、检察建议工作惯例：两个月内书面回复整改情况（文书另有期限的从其规定）",
        ),
    )
}


class UnknownRule(KeyError):
    pass


def rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


@dataclass(frozen=True)
class DueDate:
    rule: Rule
    start: datetime.date
    due: datetime.date
    calendar_known: bool
    nominal_end: datetime.date

    @property
    def moved(self) -> bool:
        """The nominal last day fell on a holiday and the period ends later."""
        return self.nominal_end != self.due


def compute_due(rule_id: str, start: datetime.date, cal: WorkCalendar) -> DueDate:
    """The due date of ``rule_id`` from ``start``, and whether every year it touched has known holidays."""
    r = rule(rule_id)
    nominal = r.nominal_end(start, cal)
    due = cal.end_on_workday(nominal) if r.holiday_end_rule else nominal
    years = range(min(start.year, due.year), max(start.year, due.year) + 1)
    return DueDate(r, start, due, all(cal.knows(y) for y in years), nominal)
