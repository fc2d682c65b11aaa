"""The agency's period to answer a risk notice: a local rule of the platform, not a statute.

No law sets how long an agency has to answer a court's 败诉风险提示; the practice of the places that send them (a
written answer "within a set period") is followed with a default of 10 working days from the day the notice is sent
(the start day not counted), a period ending on a holiday moving to the next working day as SPEC §5's do. A deployment
sets its own in ``FUYUAN_CONSULTATION_ANSWER_DAYS`` (working days). The rule is kept here, in the shape of
``deadlines.rules.Rule``, because adding an id to the shared rule table changes ``Deadline.rule_id``'s choices.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from fuyuan.core.deployment import local_rules
from fuyuan.core.queries import work_calendar
from fuyuan.deadlines.rules import Counting, Owner, Rule, Unit

ANSWER_RULE_ID = "consultation.answer"
DEFAULT_ANSWER_DAYS = 10


def answer_days() -> int:
    days = int(getattr(settings, "FUYUAN_CONSULTATION_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))
    if days < 1:
        raise ImproperlyConfigured(f"FUYUAN_CONSULTATION_ANSWER_DAYS 应为正整数个工作日（收到 {days}）")
    return days


def answer_rule() -> Rule:
    days = answer_days()
    return Rule(
        ANSWER_RULE_ID,
        "答复败诉风险提示",
        days,
        Unit.DAYS,
        Counting.WORKING,
        f"{local_rules()}：收到败诉风险提示后{days}个工作日内书面答复（本地默认值，可由 FUYUAN_CONSULTATION_ANSWER_DAYS 设置）",
        Owner.DEFENDANT,
    )


def answer_due(sent_on: datetime.date) -> datetime.date:
    """The last day of the agency's answer, on the working-day calendar (holidays and 调休 known to it)."""
    cal = work_calendar()
    rule = answer_rule()
    return cal.end_on_workday(rule.nominal_end(sent_on, cal))
