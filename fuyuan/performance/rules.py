"""The performance period when the judgment states none, and which outcome orders which duty (pure: no database).

行政诉讼法 sets no general period for performing a judgment: the court states one in the judgment (第72条: 判决被告在
一定期限内履行; 第70条: 重新作出行政行为), and the court liaison enters it. Where the judgment states none, the item
falls due ``FUYUAN_PERFORMANCE_DAYS`` calendar days (default 60) after the judgment took effect — a local rule of the
deployment (本地规定), not a statute — moved to the next working day when it ends on a holiday, as statutory periods
are (民事诉讼法 第85条 via 行政诉讼法 第101条).
"""

from __future__ import annotations

import datetime

from django.conf import settings

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.deployment import local_rules
from fuyuan.core.workdays import WorkCalendar, add_days
from fuyuan.performance.models import Duty

DEFAULT_DAYS = 60


def default_days() -> int:
    return int(getattr(settings, "FUYUAN_PERFORMANCE_DAYS", DEFAULT_DAYS))


def default_due(effective_on: datetime.date, cal: WorkCalendar) -> tuple[datetime.date, str]:
    """The due date when the judgment states none, and the rule behind it, as shown next to the date."""
    days = default_days()
    due = cal.end_on_workday(add_days(effective_on, days))
    return due, f"{local_rules()}：裁判文书未写明履行期限的，自生效之日起{days}日内履行（本地默认值）"


STATED = "裁判文书写明的履行期限"

# The duty a judgment of each loss outcome usually orders; the court liaison corrects it from the judgment.
DUTY_OF_OUTCOME = {
    LitigationOutcome.ORDERED_TO_PAY: Duty.PAY,
    LitigationOutcome.ORDERED_TO_COMPENSATE: Duty.COMPENSATE,
    LitigationOutcome.ORDERED_TO_PERFORM: Duty.PERFORM_DUTY,
    LitigationOutcome.REVOKED: Duty.REDO,
    LitigationOutcome.PARTLY_REVOKED: Duty.REDO,
    LitigationOutcome.VARIED: Duty.OTHER,
}


def duty_of(outcome: str) -> str:
    return str(DUTY_OF_OUTCOME.get(outcome, Duty.OTHER))  # type: ignore[call-overload]


# 行政诉讼法 第96条第(二)项: the head is fined 每日五十元至一百元.
FINE_MIN, FINE_MAX = 50, 100
