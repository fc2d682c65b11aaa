"""The assessment's counts over records of modules already in the platform (``own`` sources of ``indicators``), each
with the list of the records it counted: ``<name>(year, within="") -> {key: (numerator, denominator)}`` in one
aggregate query (``within``, a region path: only the records of that region's subtree, the scheme's prefecture),
and ``<name>_records(records, year, keys)`` narrowing that module's own scoped records to those counted, so that a
value on the ranking equals its list.

- 销账按期 (销账本, SPEC §6.5): the rectification items whose 整改期限 falls in the year, per owning agency; counted
  those verified (销账) whose rectification was reported on or before the due date.
- 书面报告 (SPEC §4, 四必治败诉): the written-report duties of the year, per county; counted those filed (报送, or
  already closed after review).
- 重大决策程序完备 (重大行政决策程序暂行条例 第二章至第三章): the decisions collectively discussed (集体讨论决定) in
  the year, per owning agency; counted those with 公众参与 (第14-18条), 专家论证 (第19-21条), 风险评估 (第22-24条) and
  a 合法性审查 concluding 合法 or 修改后合法 (第25-28条) all on record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet

from fuyuan.accountability.models import DutyState, ReportDuty
from fuyuan.decisions.choices import Conclusion
from fuyuan.decisions.models import Decision
from fuyuan.rectification.models import Item, ItemState

Counts = dict[int, tuple[int, int]]


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _grouped(qs: QuerySet, key: str, counted: Q, within: str = "", region: str = "") -> Counts:
    if within:
        qs = qs.filter(**{f"{region}__path__startswith": within})
    rows = qs.order_by().values(key).annotate(n=Count("id", filter=counted), d=Count("id"))
    return {row[key]: (row["n"], row["d"]) for row in rows}


RECTIFIED_ON_TIME = Q(state=ItemState.VERIFIED, reported_at__date__lte=F("due_on"))


def rectification_on_time(year: int, within: str = "") -> Counts:
    return _grouped(
        Item.objects.filter(due_on__range=_year(year)), "owner_id", RECTIFIED_ON_TIME, within, "owner__region"
    )


def rectification_on_time_records(items: QuerySet[Item], year: int, keys: Iterable[int]) -> QuerySet[Item]:
    return items.filter(due_on__range=_year(year), owner_id__in=list(keys))


REPORT_FILED = Q(state__in=[DutyState.SUBMITTED, DutyState.CLOSED])


def written_report(year: int, within: str = "") -> Counts:
    return _grouped(ReportDuty.objects.filter(year=year), "county_id", REPORT_FILED, within, "county")


def written_report_records(duties: QuerySet[ReportDuty], year: int, keys: Iterable[int]) -> QuerySet[ReportDuty]:
    return duties.filter(year=year, county_id__in=list(keys))


STEPS_COMPLETE = Q(
    comment_until__isnull=False,
    experts_done_on__isnull=False,
    risk_assessed_on__isnull=False,
    reviewed_on__isnull=False,
    review_conclusion__in=[Conclusion.LAWFUL, Conclusion.LAWFUL_IF_CHANGED],
)


def decision_steps(year: int, within: str = "") -> Counts:
    return _grouped(
        Decision.objects.filter(meeting_on__range=_year(year)), "owner_id", STEPS_COMPLETE, within, "owner__region"
    )


def decision_steps_records(decisions: QuerySet[Decision], year: int, keys: Iterable[int]) -> QuerySet[Decision]:
    return decisions.filter(meeting_on__range=_year(year), owner_id__in=list(keys))
