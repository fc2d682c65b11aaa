"""``fuyuan backup [--output PATH]``: copy the database, write its manifest, and verify the copy (core/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.core.backup import BackupError, create_backup, failures, manifest_path, one_line


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump），写出清单（各表记录数与校验和）并打开备份逐表校验。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="备份文件路径（默认：数据目录 backups/fuyuan-YYYYmmdd-HHMMSS.sqlite3 或 .dump）",
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        try:
            result = create_backup(output)
        except BackupError as e:
            raise CommandError(str(e)) from e
        except failures() as e:
            raise CommandError(f"备份失败：{one_line(e)}") from e
        # GB/T 22239-2019 8.1.4.3 a): a copy of every record is an event the audit log names.
        record(
            AuditKind.EXPORT,
            f"备份数据库：{result.path.name}",
            username="命令行",
            detail={"file": str(result.path), "sha256": result.manifest["sha256"], "rows": result.rows},
        )
        self.stdout.write(f"备份完成并已校验：{result.tables} 张表，{result.rows} 条记录")
        self.stdout.write(
            f"文件：{result.path}（{result.size / 1024 / 1024:.1f} MB，用时 {result.seconds:.1f} 秒）"
            f"；清单：{manifest_path(result.path).name}"
        )
