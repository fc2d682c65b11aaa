"""``fuyuan send_notifications``: send the due notifications once and say how it went."""

from typing import Any

from django.core.management.base import BaseCommand

from fuyuan.notifications.sender import send_due


class Command(BaseCommand):
    help = "发送到期的通知（站内消息、电子邮件、短信），失败的稍后重试"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=500, help="本次最多发送的条数（默认 500）")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        report = send_due(limit=limit)
        self.stdout.write(report.summary())
