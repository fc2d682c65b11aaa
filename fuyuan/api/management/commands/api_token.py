"""``fuyuan api_token create --system NAME [--days N]`` / ``revoke PREFIX`` / ``list``: the system administrator's
tokens for external systems from the command line. A new token is printed once; only its digest is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fuyuan.api.models import ApiToken, ExternalSystem
from fuyuan.api.workflow import SystemRefused, issue_token, revoke_token

CLI = "命令行（fuyuan api_token）"


class Command(BaseCommand):
    help = "管理外部系统的接口令牌：create 生成（只显示一次）、revoke 吊销、list 列出"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为外部系统生成令牌")
        create.add_argument("--system", required=True, help="外部系统名称")
        create.add_argument("--days", type=int, default=None, help="有效天数（默认见 FUYUAN_API_TOKEN_DAYS；0 为长期）")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌前缀（前 8 位）")
        revoke.add_argument("--system", help="外部系统名称（前缀重复时用于区分）")
        sub.add_parser("list", help="列出全部令牌（不显示令牌本身）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            system = ExternalSystem.objects.filter(name=options["system"]).first()
            if system is None:
                raise CommandError(f"未知的外部系统“{options['system']}”")
            if options["days"] is not None and options["days"] < 0:
                raise CommandError("--days 不能为负数")
            try:
                token, secret = issue_token(system, by=None, days=options["days"], username=CLI)
            except SystemRefused as exc:
                raise CommandError(str(exc)) from None
            until = f"{timezone.localtime(token.expires_at):%Y-%m-%d}" if token.expires_at else "长期"
            self.stdout.write(f"已为“{system.name}”生成令牌（有效至 {until}，只显示这一次，请妥善保存）：")
            self.stdout.write(secret)
        elif action == "revoke":
            tokens = ApiToken.objects.filter(prefix=options["prefix"]).select_related("system")
            if options["system"]:
                tokens = tokens.filter(system__name=options["system"])
            found = list(tokens)
            if not found:
                raise CommandError(f"未找到前缀为“{options['prefix']}”的令牌")
            if len(found) > 1:
                raise CommandError("有多个令牌使用该前缀，请用 --system 指明外部系统")
            if not revoke_token(found[0], by=None, username=CLI):
                raise CommandError(f"令牌 {found[0].prefix}… 已于此前吊销")
            self.stdout.write(f"已吊销“{found[0].system.name}”的令牌 {found[0].prefix}…")
        else:
            for token in ApiToken.objects.select_related("system").order_by("system__name", "-created_at"):
                until = f"{timezone.localtime(token.expires_at):%Y-%m-%d}" if token.expires_at else "长期"
                self.stdout.write(f"{token.system.name}\t{token.prefix}…\t{token.state_label}\t有效至 {until}")
