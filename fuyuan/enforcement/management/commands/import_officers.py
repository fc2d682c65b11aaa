"""``fuyuan import-officers FILE.xlsx [--dry-run]``: the exam platform's workbook of officers, certificates, training
hours and exam results (``enforcement.importer``), all or nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.cases.ledger import LedgerFileError
from fuyuan.core.timeline import Actor
from fuyuan.enforcement.importer import apply_import, plan_import


class Command(BaseCommand):
    help = "导入执法人员、执法证与培训考试记录（Excel）。任何一处有错误时不写入任何数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="考试平台导出的工作簿（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_import(options["file"], by=None)
        except LedgerFileError as exc:
            raise CommandError(str(exc)) from None
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"工作簿有 {len(plan.errors)} 处错误，未导入任何数据")
        if options["dry_run"]:
            self.stdout.write("检查通过（--dry-run：未写入任何数据）")
        else:
            apply_import(plan, by=Actor(label="执法人员导入（命令行）"))
        for line in plan.summary_lines():
            self.stdout.write(line)
