"""``fuyuan similar (CASE_NUMBER | --text TEXT) [--region NAME] [--limit N] [--format text|json]`` (SPEC §9)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.cases.models import Case
from fuyuan.core.models import Region
from fuyuan.similar.queries import (
    DEFAULT_LIMIT,
    NothingToCompare,
    as_json,
    region_scope,
    similar_to_case,
    similar_to_text,
)


class Command(BaseCommand):
    help = "类案检索：查找与某一案件（案号）或一段案情描述最相似的案件，按相似度从高到低列出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", nargs="?", help="案号；与 --text 二选一")
        parser.add_argument("--text", help="案情描述（自由文字）；与案号二选一")
        parser.add_argument("--region", help="只在该地区（含下级地区）的案件中查找；默认全部")
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"最多列出的件数，默认 {DEFAULT_LIMIT}")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        number, text = (options["number"] or "").strip(), options["text"]
        if bool(number) == (text is not None):
            raise CommandError("请给出一个案号，或用 --text 给出案情描述（二者只能选一）")
        if options["limit"] < 1:
            raise CommandError(f"--limit 应为正整数，而不是 {options['limit']}")
        region_path = None
        if options["region"]:
            region = Region.objects.filter(name=options["region"]).order_by("path").first()
            if region is None:
                raise CommandError(f"未知的地区：“{options['region']}”")
            region_path = region.path
        scope = region_scope(region_path)
        if number:
            case = Case.objects.select_related("defendant").filter(number=number).first()
            if case is None:
                raise CommandError(f"未找到案号为“{number}”的案件")
            results = similar_to_case(case, scope, limit=options["limit"])
        else:
            try:
                results = similar_to_text(text or "", scope, limit=options["limit"])
            except NothingToCompare as exc:
                raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(results), ensure_ascii=False))
            return
        self.stdout.write(f"与“{results.query}”最相似的案件（{len(results.results)} 件）：")
        for i, r in enumerate(results.results, start=1):
            self.stdout.write(f"{i}. {r.case.number}  相似度 {r.score:.2f}  结果：{r.outcome or '未结案'}")
            for reason in r.reasons:
                self.stdout.write(f"   - {reason}")
        if results.loss_share is not None:
            self.stdout.write(
                f"其中已结一审 {results.concluded_first_instance} 件，败诉 {results.lost} 件（{results.loss_share:.2f}%）"
            )
