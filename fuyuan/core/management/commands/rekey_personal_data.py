"""``fuyuan rekey_personal_data``: after a key rotation, rewrite every encrypted column in the current key."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fuyuan.core.crypto import reencrypt_all


class Command(BaseCommand):
    help = "密钥轮换后，用当前密钥（FUYUAN_FIELD_KEY）重新加密全部个人信息字段"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="重写每一行并重算检索索引（首次设置 FUYUAN_INDEX_KEY 后使用）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = reencrypt_all(force=options["all"])
        for label, rows in changed.items():
            self.stdout.write(f"{label}：{rows} 行")
        self.stdout.write(f"已用当前密钥重新加密，共 {sum(changed.values())} 行")
