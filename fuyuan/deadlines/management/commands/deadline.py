"""``fuyuan deadline RULE START_DATE [--format text|json]`` (SPEC §9)."""

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from fuyuan.core.models import CalendarDay
from fuyuan.core.queries import work_calendar
from fuyuan.core.workdays import WorkCalendar
from fuyuan.deadlines.rules import RULES, UnknownRule, compute_due

COUNTING_LABELS = {"calendar": "自然日", "working": "工作日"}


class Command(BaseCommand):
    help = "计算期限届满日：起算日当日不计入；法定期间届满日遇节假日顺延至其后第一个工作日。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", help="规则编号，例如 litigation.defence；可用：" + "、".join(RULES))
        parser.add_argument("start", help="起算日（送达、收到或作出之日），YYYY-MM-DD")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = datetime.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(f"日期无效：“{options['start']}”（应为存在的日期，格式 YYYY-MM-DD）") from None
        try:
            result = compute_due(options["rule"], start, calendar())
        except UnknownRule:
            raise CommandError(
                f"未知的期限规则：“{options['rule']}”（运行 fuyuan deadline --help 查看全部规则）"
            ) from None
        r = result.rule
        if options["format"] == "json":
            # The keys of SPEC §9, no more: the owner is in the text answer only.
            payload = {
                "rule": r.id,
                "start": start.isoformat(),
                "due": result.due.isoformat(),
                "counting": r.counting.value,
                "source": r.source,
                "calendar_known": result.calendar_known,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"{r.label}（{r.id}）：{r.period_label}，按{COUNTING_LABELS[r.counting.value]}计算")
        self.stdout.write(f"起算日：{start.isoformat()}（当日不计入）")
        moved = f"（原应于 {result.nominal_end.isoformat()} 届满，遇节假日顺延）" if result.moved else ""
        self.stdout.write(f"届满日：{result.due.isoformat()}{moved}")
        self.stdout.write(f"依据：{r.source}")
        self.stdout.write(f"责任方：{r.owner.label}")
        if not result.calendar_known:
            self.stdout.write("注意：所涉年份的节假日安排尚未录入，已仅按周末计算，请核对。")


def calendar() -> WorkCalendar:
    """The working-day calendar with the administrator's entered years; on a machine whose database is not created
    yet (before ``fuyuan migrate``) there are no entries, and the package's calendar is the whole answer."""
    try:
        created = CalendarDay._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        created = False
    return work_calendar() if created else WorkCalendar()
