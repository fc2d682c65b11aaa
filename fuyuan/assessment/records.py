"""The records behind an ``own`` indicator's value (SPEC §6.7: every score traceable to its records): each source's
rows, read from that module's own ``visible_to(user)`` and narrowed exactly as ``sources`` counts them, so the list's
length equals the value's denominator and its ticked rows the numerator."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from fuyuan.accountability import queries as accountability
from fuyuan.assessment import sources
from fuyuan.core.models import User
from fuyuan.decisions import queries as decisions
from fuyuan.rectification import queries as rectification


@dataclass
class RecordRow:
    title: str
    url: str
    counted: bool
    cells: list[str]


def _date(value: Any) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _rectification(user: User, year: int, keys: Iterable[int]) -> list[RecordRow]:
    items = sources.rectification_on_time_records(rectification.items_visible_to(user), year, keys)
    on_time = set(items.filter(sources.RECTIFIED_ON_TIME).values_list("pk", flat=True))
    return [
        RecordRow(
            f"{item.recommendation.number} 第{item.position}项",
            reverse("rectification:detail", args=[item.recommendation_id]),
            item.pk in on_time,
            [item.owner.name, _date(item.due_on), item.get_state_display(), _date(item.reported_at)],
        )
        for item in items.select_related("recommendation", "owner").order_by("due_on", "pk")
    ]


def _reports(user: User, year: int, keys: Iterable[int]) -> list[RecordRow]:
    duties = sources.written_report_records(accountability.visible_to(user), year, keys)
    filed = set(duties.filter(sources.REPORT_FILED).values_list("pk", flat=True))
    return [
        RecordRow(
            str(duty),
            reverse("accountability:detail", args=[duty.pk]),
            duty.pk in filed,
            [duty.county.name, _date(duty.due_on), duty.get_state_display(), _date(duty.submitted_at)],
        )
        for duty in duties.select_related("county").order_by("due_on", "pk")
    ]


def _decisions(user: User, year: int, keys: Iterable[int]) -> list[RecordRow]:
    found = sources.decision_steps_records(decisions.visible_to(user), year, keys)
    complete = set(found.filter(sources.STEPS_COMPLETE).values_list("pk", flat=True))

    def done(value: Any) -> str:
        return "✓" if value else "缺"

    return [
        RecordRow(
            d.title,
            reverse("decisions:detail", args=[d.pk]),
            d.pk in complete,
            [
                d.owner.name,
                _date(d.meeting_on),
                done(d.comment_until),
                done(d.experts_done_on),
                done(d.risk_assessed_on),
                d.get_review_conclusion_display() or "缺",
            ],
        )
        for d in found.select_related("owner").order_by("meeting_on", "pk")
    ]


# code → (the counted column's header, the other headers, the rows).
RECORDS: dict[str, tuple[str, list[str], Callable[[User, int, Iterable[int]], list[RecordRow]]]] = {
    "rectification_on_time": ("按期销账", ["责任单位", "整改期限", "状态", "报送时间"], _rectification),
    "written_report": ("已报送", ["县(市、区)", "报告期限", "状态", "报送时间"], _reports),
    "decision_steps": (
        "程序完备",
        ["承办单位", "集体讨论日期", "公众参与", "专家论证", "风险评估", "合法性审查"],
        _decisions,
    ),
}
