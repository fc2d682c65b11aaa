"""``fuyuan restore PATH [--yes]``: replace the database's contents with a verified backup (core/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.backup import BackupError, failures, one_line, restore_backup


class Command(BaseCommand):
    help = (
        "从备份恢复数据库：先核对备份文件的 sha256 与清单，恢复后逐表核对记录数与校验和。会覆盖当前数据，须加 --yes。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="备份文件（旁边须有同名的 .manifest.json 清单）")
        parser.add_argument("--yes", action="store_true", help="确认用备份覆盖当前数据库的全部数据")

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        if not yes:
            raise CommandError("恢复会用备份覆盖当前数据库的全部数据，请先停止服务，确认后加 --yes 重新执行")
        try:
            result = restore_backup(path)
        except BackupError as e:
            raise CommandError(str(e)) from e
        except failures() as e:
            raise CommandError(f"恢复失败：{one_line(e)}") from e
        # Written after the verification, so that the check compares the backup's records only.
        record(
            AuditKind.CHANGE,
            f"从备份恢复数据库：{result.path.name}",
            username="命令行",
            detail={
                "file": str(result.path),
                "sha256": result.manifest["sha256"],
                "backup_at": result.manifest["created_at"],
            },
        )
        self.stdout.write(f"恢复完成并已校验：{result.tables} 张表，{result.rows} 条记录与备份一致")
        self.stdout.write(f"备份时间：{result.manifest['created_at']}；用时 {result.seconds:.1f} 秒")
