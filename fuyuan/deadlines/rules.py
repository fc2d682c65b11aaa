"""Every time limit of SPEC §5 as data: what it is, the rule behind it, how it counts, who must act. A lawyer can
check each line against its source; the ids are stable (the command line and the API use them).

The dispute centre's periods are local rules (SPEC §5: "configurable"): a deployment may set their amounts in
``FUYUAN_CENTRE_LIMITS`` (``{"centre.plan": 7}``), read once when the table is built (``build_rules``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from fuyuan.core.deployment import local_rules
from fuyuan.core.workdays import WorkCalendar, add_days, add_months


class Counting(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


class Owner(StrEnum):
    """Which party must act before the period ends (SPEC §5: each deadline has an owner). The deadlines derived
    from a case's dates (``deadlines.workflow.wanted_deadlines``) take the case's organisation in this role."""

    PLAINTIFF = "plaintiff"
    APPELLANT = "appellant"
    APPLICANT = "applicant"
    DEFENDANT = "defendant"
    RESPONDENT = "respondent"
    COURT = "court"
    RECONSIDERATION_BODY = "reconsideration_body"
    AGENCY = "agency"
    CENTRE = "centre"
    DECISION_MAKER = "decision_maker"
    LEGALITY_REVIEWER = "legality_reviewer"
    RULE_OF_LAW_OFFICE = "rule_of_law_office"
    LOSING_AGENCY = "losing_agency"
    RECIPIENT = "recipient"
    ENFORCING_AGENCY = "enforcing_agency"

    @property
    def label(self) -> str:
        return OWNER_LABELS[self]


OWNER_LABELS = {
    Owner.PLAINTIFF: "起诉人",
    Owner.APPELLANT: "上诉人",
    Owner.APPLICANT: "复议申请人",
    Owner.DEFENDANT: "被告行政机关",
    Owner.RESPONDENT: "被申请人",
    Owner.COURT: "法院",
    Owner.RECONSIDERATION_BODY: "复议机构",
    Owner.AGENCY: "出庭应诉机关",
    Owner.CENTRE: "协调中心",
    Owner.DECISION_MAKER: "决策机关",
    Owner.LEGALITY_REVIEWER: "合法性审查机构",
    Owner.RULE_OF_LAW_OFFICE: "依法治办",
    Owner.LOSING_AGENCY: "败诉单位",
    Owner.RECIPIENT: "被建议单位",
    Owner.ENFORCING_AGENCY: "申请执行机关",
}


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    amount: int
    unit: Unit
    counting: Counting
    source: str
    owner: Owner
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
            if self.before:
                return cal.working_days_before(start, self.amount)
            return cal.add_working_days(start, self.amount)
        amount = -self.amount if self.before else self.amount
        return add_months(start, amount) if self.unit == Unit.MONTHS else add_days(start, amount)


D, M = Unit.DAYS, Unit.MONTHS
CAL, WORK = Counting.CALENDAR, Counting.WORKING

# The dispute centre's local periods (SPEC §5 table: "configurable"), overridable by ``FUYUAN_CENTRE_LIMITS``.
# Source: the report of 黔南州's administrative-dispute work: "对于还未立案的案件……3日内组织重大行政纠纷专家组审核，
# 5日内制作化解方案……对申请诉前协调的案件，利用诉前30天的时间化解一批".
CENTRE_LIMITS = {"centre.expert_review": 3, "centre.plan": 5, "centre.pre_litigation": 30}


def centre_limits(overrides: Mapping[str, object] | None = None) -> dict[str, int]:
    """The centre's periods: the defaults, with a deployment's ``FUYUAN_CENTRE_LIMITS`` laid over them.

    A wrong entry stops the start with a reason (a deadline silently computed on a typo would be worse)."""
    if overrides is None:
        overrides = (getattr(settings, "FUYUAN_CENTRE_LIMITS", None) or {}) if settings.configured else {}
    limits = dict(CENTRE_LIMITS)
    for rule_id, amount in overrides.items():
        if rule_id not in CENTRE_LIMITS:
            allowed = "、".join(CENTRE_LIMITS)
            raise ImproperlyConfigured(f"FUYUAN_CENTRE_LIMITS：“{rule_id}”不是协调中心的期限（可设：{allowed}）")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            raise ImproperlyConfigured(f"FUYUAN_CENTRE_LIMITS：“{rule_id}”的期限应为正整数天数（收到 {amount!r}）")
        limits[rule_id] = amount
    return limits


def build_rules(overrides: Mapping[str, object] | None = None) -> dict[str, Rule]:
    """The rule table; ``overrides`` (default: the ``FUYUAN_CENTRE_LIMITS`` setting) sets the centre's periods. Local
    rules are named after the deployment (``FUYUAN_DEPLOYMENT_NAME``), their origin in parentheses."""
    centre = centre_limits(overrides)
    local = local_rules()
    table = (
        Rule(
            "litigation.filing_limit",
            "起诉期限（知道行政行为之日起）",
            6,
            M,
            CAL,
            "行政诉讼法 第46条第1款",
            Owner.PLAINTIFF,
        ),
        Rule(
            "litigation.after_reconsideration", "复议决定后起诉期限", 15, D, CAL, "行政诉讼法 第45条", Owner.PLAINTIFF
        ),
        Rule("litigation.filing_review", "法院立案审查", 7, D, CAL, "行政诉讼法 第51条第2款", Owner.COURT),
        Rule(
            "litigation.defence",
            "被告提交答辩状及证据",
            15,
            D,
            CAL,
            "行政诉讼法 第67条第1款（逾期举证视为没有证据：第34条第2款）",
            Owner.DEFENDANT,
        ),
        Rule("litigation.first_instance", "一审审理期限", 6, M, CAL, "行政诉讼法 第81条", Owner.COURT),
        Rule("litigation.simplified", "简易程序审理期限", 45, D, CAL, "行政诉讼法 第83条", Owner.COURT),
        Rule("litigation.appeal_judgment", "不服判决上诉期限", 15, D, CAL, "行政诉讼法 第85条", Owner.APPELLANT),
        Rule("litigation.appeal_ruling", "不服裁定上诉期限", 10, D, CAL, "行政诉讼法 第85条", Owner.APPELLANT),
        Rule("litigation.second_instance", "二审审理期限", 3, M, CAL, "行政诉讼法 第88条", Owner.COURT),
        Rule(
            "reconsideration.apply",
            "申请行政复议期限",
            60,
            D,
            CAL,
            "行政复议法（2023修订）第20条第1款",
            Owner.APPLICANT,
        ),
        Rule(
            "reconsideration.acceptance",
            "复议受理审查",
            5,
            D,
            WORK,
            "行政复议法（2023修订）第30条、第88条第2款",
            Owner.RECONSIDERATION_BODY,
        ),
        Rule(
            "reconsideration.reply",
            "被申请人书面答复",
            10,
            D,
            WORK,
            "行政复议法（2023修订）第48条、第88条第2款",
            Owner.RESPONDENT,
        ),
        Rule(
            "reconsideration.decision",
            "复议决定期限",
            60,
            D,
            CAL,
            "行政复议法（2023修订）第62条第1款",
            Owner.RECONSIDERATION_BODY,
        ),
        Rule(
            "reconsideration.decision_extended",
            "复议决定期限（延长）",
            90,
            D,
            CAL,
            "行政复议法（2023修订）第62条第1款（延长不超过30日）",
            Owner.RECONSIDERATION_BODY,
        ),
        Rule(
            "reconsideration.simplified",
            "简易程序复议决定期限",
            30,
            D,
            CAL,
            "行政复议法（2023修订）第62条第2款",
            Owner.RECONSIDERATION_BODY,
        ),
        # Reconsideration handling (SPEC §6.8). 行政复议法（2023修订）第88条第2款: the law's periods of three, five,
        # seven and ten days are working days; the start day (receipt, acceptance or service) is not counted.
        Rule(
            "reconsideration.correction_notice",
            "复议申请补正通知",
            5,
            D,
            WORK,
            "行政复议法（2023修订）第31条、第88条第2款（补正通知一次性载明需要补正的事项）",
            Owner.RECONSIDERATION_BODY,
        ),
        Rule(
            "reconsideration.correction_reply",
            "申请人提交补正材料",
            10,
            D,
            WORK,
            "行政复议法（2023修订）第31条、第88条第2款（无正当理由逾期不补正的，视为申请人放弃行政复议申请）",
            Owner.APPLICANT,
        ),
        Rule(
            "reconsideration.copy_to_respondent",
            "向被申请人发送申请书副本",
            7,
            D,
            WORK,
            "行政复议法（2023修订）第48条、第88条第2款",
            Owner.RECONSIDERATION_BODY,
        ),
        Rule(
            "reconsideration.simplified_copy",
            "简易程序发送申请书副本",
            3,
            D,
            WORK,
            "行政复议法（2023修订）第54条、第88条第2款",
            Owner.RECONSIDERATION_BODY,
        ),
        Rule(
            "reconsideration.simplified_reply",
            "简易程序被申请人书面答复",
            5,
            D,
            WORK,
            "行政复议法（2023修订）第54条、第88条第2款（逾期不答复视为没有证据：第70条）",
            Owner.RESPONDENT,
        ),
        Rule(
            "reconsideration.hearing_notice",
            "听证通知（听证五日前送达）",
            5,
            D,
            WORK,
            "行政复议法（2023修订）第51条、第88条第2款（自听证之日倒数五个工作日，届满日为通知最后发出日）",
            Owner.RECONSIDERATION_BODY,
            holiday_end_rule=False,
            before=True,
        ),
        Rule(
            "reconsideration.opinion_report",
            "报送行政复议意见书纠正情况",
            60,
            D,
            CAL,
            "行政复议法（2023修订）第76条",
            Owner.RECIPIENT,
        ),
        # Non-litigation enforcement (非诉执行, SPEC §6.9). 行政强制法 第69条: its periods of ten days or less are
        # working days.
        Rule(
            "enforcement.reminder_wait",
            "催告书送达后等待履行（届满后方可申请执行）",
            10,
            D,
            WORK,
            "行政强制法 第54条、第69条",
            Owner.ENFORCING_AGENCY,
        ),
        Rule(
            "enforcement.application",
            "申请人民法院强制执行期限",
            3,
            M,
            CAL,
            "行政强制法 第53条（自复议、起诉期限届满之日起三个月内）",
            Owner.ENFORCING_AGENCY,
        ),
        Rule(
            "enforcement.court_acceptance",
            "法院受理强制执行申请",
            5,
            D,
            WORK,
            "行政强制法 第56条、第69条",
            Owner.COURT,
        ),
        Rule(
            "enforcement.court_ruling",
            "法院作出执行裁定（书面审查）",
            7,
            D,
            WORK,
            "行政强制法 第57条、第69条",
            Owner.COURT,
        ),
        Rule(
            "enforcement.court_hearing_ruling",
            "法院作出是否执行的裁定（听取意见）",
            30,
            D,
            CAL,
            "行政强制法 第58条",
            Owner.COURT,
        ),
        Rule(
            "hearing.first_reminder",
            "开庭前第一次提醒",
            7,
            D,
            CAL,
            f"{local}：开庭前一周提醒（源自黔南州“两提两核一直达”）",
            Owner.AGENCY,
            holiday_end_rule=False,
            before=True,
        ),
        Rule(
            "hearing.second_reminder",
            "开庭前第二次提醒",
            1,
            D,
            CAL,
            f"{local}：开庭前一天提醒（源自黔南州“两提两核一直达”）",
            Owner.AGENCY,
            holiday_end_rule=False,
            before=True,
        ),
        Rule(
            "centre.expert_review",
            "专家组审核",
            centre["centre.expert_review"],
            D,
            WORK,
            f"{local}：3日内组织重大行政纠纷专家组审核（源自黔南州行政争议化解工作时限）",
            Owner.CENTRE,
        ),
        Rule(
            "centre.plan",
            "制作化解方案",
            centre["centre.plan"],
            D,
            WORK,
            f"{local}：5日内制作化解方案（源自黔南州行政争议化解工作时限）",
            Owner.CENTRE,
        ),
        Rule(
            "centre.pre_litigation",
            "诉前调解",
            centre["centre.pre_litigation"],
            D,
            CAL,
            f"{local}：对申请诉前协调的案件，利用诉前30天的时间化解（源自黔南州行政争议化解工作时限）",
            Owner.CENTRE,
            holiday_end_rule=False,
        ),
        Rule(
            "decision.public_comment",
            "公开征求意见（不少于）",
            30,
            D,
            CAL,
            "重大行政决策程序暂行条例 第15条",
            Owner.DECISION_MAKER,
            holiday_end_rule=False,
        ),
        Rule(
            "decision.legality_review",
            "合法性审查（不少于）",
            7,
            D,
            WORK,
            "重大行政决策程序暂行条例 第27条",
            Owner.LEGALITY_REVIEWER,
        ),
        # 四必治败诉 (黔西南州: 必通报、必倒查、必约谈、必追责). The mechanism names the steps, not their periods: these
        # are the platform's local defaults, to be confirmed by each deployment's 依法治办. Owners as
        # ``accountability.losses`` assigns them: 倒查 is the losing agency's, the other steps the 依法治办's.
        Rule(
            "accountability.notice",
            "败诉通报",
            5,
            D,
            WORK,
            f"{local}：败诉必通报（期限为本地默认值；机制源自黔西南州“四必治败诉”）",
            Owner.RULE_OF_LAW_OFFICE,
        ),
        Rule(
            "accountability.analysis",
            "败诉倒查分析",
            15,
            D,
            WORK,
            f"{local}：败诉必倒查（期限为本地默认值；机制源自黔西南州“四必治败诉”）",
            Owner.LOSING_AGENCY,
        ),
        Rule(
            "accountability.interview",
            "败诉约谈",
            10,
            D,
            WORK,
            f"{local}：败诉必约谈（期限为本地默认值；机制源自黔西南州“四必治败诉”）",
            Owner.RULE_OF_LAW_OFFICE,
        ),
        Rule(
            "accountability.decision",
            "追责决定",
            20,
            D,
            WORK,
            f"{local}：败诉必追责（期限为本地默认值；机制源自黔西南州“四必治败诉”）",
            Owner.RULE_OF_LAW_OFFICE,
        ),
        Rule(
            "rectification.default",
            "建议书整改（文书未另定期限时）",
            2,
            M,
            CAL,
            "司法建议、检察建议工作惯例：两个月内书面回复整改情况（文书另有期限的从其规定）",
            Owner.RECIPIENT,
        ),
    )
    return {r.id: _as_set_here(r, centre) for r in table}


def _as_set_here(r: Rule, centre: Mapping[str, int]) -> Rule:
    """A centre period set by the deployment says so beside the local rule it departs from."""
    if r.id in CENTRE_LIMITS and centre[r.id] != CENTRE_LIMITS[r.id]:
        return replace(r, source=f"{r.source}；本地设置为{r.period_label}")
    return r


RULES: dict[str, Rule] = build_rules()


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


def later_by(due: DueDate, days: int, cal: WorkCalendar) -> DueDate:
    """``due`` moved ``days`` calendar days after its last day, the holiday end-rule applied again to the day reached:
    a period lengthened after it was set (行政复议法 (2023) 第62条第1款: the decision period extended by at most 30
    days; the days a reconsideration was suspended, 第39条)."""
    if days <= 0:
        return due
    nominal = add_days(due.due, days)
    end = cal.end_on_workday(nominal) if due.rule.holiday_end_rule else nominal
    years = range(min(due.start.year, end.year), max(due.start.year, end.year) + 1)
    return DueDate(due.rule, due.start, end, all(cal.knows(y) for y in years), nominal)
