"""The review period of a legal matter, per kind: local rules of the platform, in the shape of
``deadlines.rules.Rule``, counted in working days from the day the matter is received (the start day not counted), a
period ending on a holiday moving to the next working day as SPEC §5's do.

- 规范性文件: 7 working days, the period of ``decision.legality_review`` (重大行政决策程序暂行条例 第27条, which gives
  the review body of a *major decision* not less than 7 working days). No statute fixes the period for a normative
  document; the State Council's guidance on the legality review of normative documents (国办发〔2018〕115号) leaves the
  period to local rules, so the decisions' 7 working days are taken as this platform's default.
- the other kinds: no statute sets a period; the platform's defaults (行政合同 10, 重大执法决定法制审核 7,
  复杂信访事项 15, 其他 10 working days) are local rules to be confirmed by each deployment.

A deployment sets its own in ``FUYUAN_LEGALREVIEW_PERIOD_DAYS`` (a mapping kind → working days).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from fuyuan.core.deployment import local_rules
from fuyuan.core.queries import work_calendar
from fuyuan.deadlines.rules import Counting, Owner, Rule, Unit
from fuyuan.deadlines.rules import rule as deadline_rule
from fuyuan.legalreview.choices import MatterKind

DECISION_RULE_ID = "decision.legality_review"
DEFAULT_DAYS: dict[str, int] = {
    MatterKind.NORMATIVE: deadline_rule(DECISION_RULE_ID).amount,
    MatterKind.CONTRACT: 10,
    MatterKind.ENFORCEMENT: 7,
    MatterKind.PETITION: 15,
    MatterKind.OTHER: 10,
}


def rule_id(kind: str) -> str:
    return f"legalreview.{kind}"


def period_days(kind: str) -> int:
    """The working days of ``kind``: the deployment's (``FUYUAN_LEGALREVIEW_PERIOD_DAYS``) or the default. A wrong entry
    stops with the reason (a period silently computed on a typo would be worse)."""
    overrides = getattr(settings, "FUYUAN_LEGALREVIEW_PERIOD_DAYS", None) or {}
    unknown = sorted(set(overrides) - set(MatterKind.values))
    if unknown:
        raise ImproperlyConfigured(
            f"FUYUAN_LEGALREVIEW_PERIOD_DAYS 中没有事项类别 {'、'.join(unknown)}（可用：{'、'.join(MatterKind.values)}）"
        )
    try:
        days = int(overrides.get(kind, DEFAULT_DAYS[kind]))
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"FUYUAN_LEGALREVIEW_PERIOD_DAYS[{kind!r}] 应为正整数个工作日") from None
    if days < 1:
        raise ImproperlyConfigured(f"FUYUAN_LEGALREVIEW_PERIOD_DAYS[{kind!r}] 应为正整数个工作日（收到 {days}）")
    return days


def review_rule(kind: str) -> Rule:
    days = period_days(kind)
    label = MatterKind(kind).label
    if kind == MatterKind.NORMATIVE and days == DEFAULT_DAYS[kind]:
        source = f"{local_rules()}：参照 重大行政决策程序暂行条例 第27条（合法性审查不少于7个工作日）"
    else:
        source = (
            f"{local_rules()}：{label}合法性审查{days}个工作日（本地默认值，可由 FUYUAN_LEGALREVIEW_PERIOD_DAYS 设置）"
        )
    return Rule(rule_id(kind), f"{label}合法性审查", days, Unit.DAYS, Counting.WORKING, source, Owner.LEGALITY_REVIEWER)


def review_due(kind: str, received_on: datetime.date) -> datetime.date:
    """The last day of the review period, on the working-day calendar (holidays and 调休 known to it)."""
    cal = work_calendar()
    return cal.end_on_workday(review_rule(kind).nominal_end(received_on, cal))


def working_days_left(on: datetime.date, due_on: datetime.date) -> int:
    """The working days after ``on`` up to and including ``due_on`` (0 when the period has run out)."""
    cal = work_calendar()
    days, day = 0, on
    while day < due_on:
        day += datetime.timedelta(days=1)
        days += cal.is_workday(day)
    return days


def resumed_due(on: datetime.date, days_left: int) -> datetime.date:
    """The period resumed on ``on`` with ``days_left`` working days (at least one, the day the material arrives)."""
    return work_calendar().add_working_days(on, max(days_left, 1))
