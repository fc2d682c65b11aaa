"""The monthly dispatch table (按月调度表, "领导小组对“两包”案件按月调度"): one row per package that was active during
the month, with the month's progress and the 落后 flag as of the month's end (or today, for the current month).
The page, the .xlsx and the .docx are all written from one ``DispatchTable``."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.packaging.models import CasePackage, ProgressReport, month_before

HEADERS = ["序号", "类型", "包案领导", "案件", "化解目标", "完成期限", "本月进展", "状态", "是否落后"]


@dataclass
class DispatchRow:
    package: CasePackage
    kind: str
    leader: str
    cases: list[str]
    goal: str
    due_on: datetime.date
    progress: list[ProgressReport]
    state: str
    lagging: bool
    lag_reason: str

    @property
    def progress_text(self) -> str:
        return "\n".join(f"{p.reported_on:%m月%d日}：{p.text}" for p in self.progress) or "本月未报送"

    def cells(self, n: int) -> list[str]:
        return [
            str(n),
            self.kind,
            self.leader,
            "、".join(self.cases),
            self.goal,
            f"{self.due_on:%Y-%m-%d}",
            self.progress_text,
            self.state,
            f"是（{self.lag_reason}）" if self.lagging else "否",
        ]


@dataclass
class DispatchTable:
    month: datetime.date  # the first day
    as_of: datetime.date
    rows: list[DispatchRow]

    @property
    def title(self) -> str:
        return f"{self.month:%Y年%-m月}领导包案按月调度表"

    @property
    def lagging(self) -> int:
        return sum(r.lagging for r in self.rows)


def parse_month(text: str, today: datetime.date) -> datetime.date:
    """``YYYY-MM`` → its first day; anything else → the current month."""
    try:
        year, month = (int(p) for p in text.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def build_table(
    packages: QuerySet[CasePackage], month: datetime.date, today: datetime.date | None = None
) -> DispatchTable:
    """The table of ``packages`` (already scoped) for ``month``: four queries, whatever the number of rows."""
    today = today or timezone.localdate()
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    as_of = min(today, last)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last, datetime.time.max))
    qs = (
        packages.filter(created_at__lte=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .select_related("leader")
        .prefetch_related(
            Prefetch("cases", queryset=Case.objects.order_by("number")),
            Prefetch(
                "progress",
                queryset=ProgressReport.objects.filter(reported_on__range=(first, last)).order_by("reported_on", "id"),
                to_attr="month_progress",
            ),
        )
        .order_by("kind", "due_on", "id")
    )
    rows = []
    for p in qs:
        # As of the month's end, a package closed after it was still active then.
        active_then = p.closed_at is None or timezone.localtime(p.closed_at).date() > as_of
        lagging = active_then and (p.due_on < as_of or _no_progress(p, as_of))
        rows.append(
            DispatchRow(
                package=p,
                kind=p.get_kind_display(),
                leader=p.leader.display_name,
                cases=[c.number for c in p.cases.all()],
                goal=p.goal,
                due_on=p.due_on,
                progress=list(p.month_progress),
                state="进行中" if active_then else p.get_state_display(),
                lagging=lagging,
                lag_reason=(p.lag_reason(as_of) or "一个月内未报送进展") if lagging else "",
            )
        )
    return DispatchTable(month=first, as_of=as_of, rows=rows)


def _no_progress(package: CasePackage, as_of: datetime.date) -> bool:
    # For a past month this reads the latest activity, not the activity as it stood then: a report made later
    # clears the flag of the earlier month's table too.
    return package.last_activity_on < month_before(as_of)
