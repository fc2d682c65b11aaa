"""``fuyuan risk-train [--region NAME] [--force]``: train each 州/市's loss-risk model and set the levels, as the sweep
does (order 66), only where the data changed unless ``--force``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.core.models import Region, RegionLevel
from fuyuan.risk.workflow import model_region, refresh_region


class Command(BaseCommand):
    help = "训练各州（市）的败诉风险模型并更新三色预警（数据未变化时跳过，--force 强制重新训练）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="地区名称（其所属州/市；默认全部州/市）")
        parser.add_argument("--force", action="store_true", help="数据未变化也重新训练")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["region"]:
            region = Region.objects.filter(name=options["region"]).first()
            if region is None:
                raise CommandError(f"未知的地区“{options['region']}”")
            regions = [model_region(region)]
        else:
            regions = list(Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("path"))
        for region in regions:
            done = refresh_region(region, force=options["force"])
            if not done.trained:
                self.stdout.write(f"{region.name}：数据未变化，未重新训练")
            elif done.shortfall:
                self.stdout.write(f"{region.name}：{done.shortfall}")
            else:
                self.stdout.write(f"{region.name}：已重新训练，预警等级变化 {done.changed_levels} 件")
