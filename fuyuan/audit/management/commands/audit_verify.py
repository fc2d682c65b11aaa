"""``fuyuan audit_verify`` (``fuyuan audit-verify``): check the audit log's hash chain; exit 1 on a break."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from fuyuan.audit.chain import verify_and_remember


class Command(BaseCommand):
    help = "校验审计日志的哈希链：完整则报告条数，被改动或删除则指出第一条断裂的记录并以状态 1 退出"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_and_remember()
        if not report.ok:
            self.stderr.write(report.message)
            sys.exit(1)
        self.stdout.write(report.message)
