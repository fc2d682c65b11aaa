"""``fuyuan import-cases FILE.xlsx [--region NAME] [--dry-run]`` (SPEC §9)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.cases.ledger import LedgerFileError, apply_import, plan_import
from fuyuan.core.timeline import Actor


class Command(BaseCommand):
    help = "导入行政诉讼/行政复议案件台账（Excel）。任何一行有错误时不写入任何数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="台账文件（.xlsx）")
        parser.add_argument("--region", help="新地区的上级地区名称（不存在时作为顶级地区新建）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_import(options["file"], root=options["region"])
        except LedgerFileError as exc:
            raise CommandError(str(exc)) from None
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"台账有 {len(plan.errors)} 处错误，未导入任何数据")
        if not options["dry_run"]:
            apply_import(plan, by=Actor(label="台账导入（命令行）"))
        else:
            self.stdout.write("检查通过（--dry-run：未写入任何数据）")
        for line in plan.summary_lines():
            self.stdout.write(line)
