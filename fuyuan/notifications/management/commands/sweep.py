"""``fuyuan sweep [--now ISO-DATETIME]``: run the sweep once and say what it did (cron runs it every minute)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fuyuan.notifications.sweep import run_sweep


def parse_now(text: str) -> datetime.datetime:
    """An ISO date-time (``2026-10-05T09:00``, ``2026-10-05 09:00+08:00``); without an offset, local time."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now 的时间无效：“{text}”（应为 ISO 格式，例如 2026-10-05T09:00）") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    # No system checks on each run: they import every URL configuration and model, so a broken module elsewhere
    # (or a half-written file during a deployment) would stop the reminders. `fuyuan check` and the web server run them.
    requires_system_checks: list[str] = []
    help = "执行一次定时任务：标记逾期期限并提醒、临期提醒、开庭前7日和前1日提醒、未指定负责人督办，再发送到期的通知。可重复执行，不会重复提醒。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="以该时刻作为“现在”（ISO 格式，例如 2026-10-05T09:00；默认当前时间）")

    def handle(self, *args: Any, now: str | None, **options: Any) -> None:
        report = run_sweep(parse_now(now) if now else None)
        self.stdout.write(report.summary())
