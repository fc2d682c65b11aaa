"""``fuyuan risk``: the loss risk of every pending first-instance case of a region on a day (SPEC §9).

Scored by a model learnt only from the region's cases concluded before that day (``risk.model.assess``), highest
first, with level and reasons, and the back-test on a time split. A region whose history is below
``model.MIN_HISTORY`` is told so (``insufficient_history``) and nothing is scored: the command does not guess.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fuyuan.core.forms import date_param
from fuyuan.core.models import Region
from fuyuan.risk.features import load_region
from fuyuan.risk.model import assess
from fuyuan.risk.models import Level
from fuyuan.risk.workflow import thresholds_for


class Command(BaseCommand):
    help = "列出一个地区在某日的全部在审一审行政案件的败诉风险（评分、等级、主要原因）及模型回测结果"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="地区名称（含全部下级地区；默认全部）")
        parser.add_argument("--as-of", dest="as_of", help="评估日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式 text|json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = timezone.localdate()
        if options["as_of"] is not None:
            parsed = date_param(options["as_of"])
            if parsed is None:
                raise CommandError(f"--as-of 不是有效日期：“{options['as_of']}”（应为 YYYY-MM-DD）")
            as_of = parsed
        region = None
        if options["region"] is not None:
            region = Region.objects.filter(name=options["region"]).first()
            if region is None:
                raise CommandError(f"未知的地区“{options['region']}”")
        assessment = assess(load_region(region), as_of)
        thresholds = thresholds_for(region)
        cases: list[dict[str, Any]] = [
            {"number": s.facts.number, "level": thresholds.level_of(s.score), "score": s.score, "reasons": s.reasons}
            for s in assessment.scored
        ]
        backtest = assessment.backtest
        if options["format"] == "json":
            payload: dict[str, Any] = {"as_of": as_of.isoformat(), "cases": cases, "backtest": backtest.as_json()}
            if assessment.shortfall:
                payload["insufficient_history"] = assessment.shortfall
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        name = region.name if region else "全部地区"
        lines = [f"{name}  截至 {as_of}：在审一审案件 {len(assessment.pending)} 件"]
        if assessment.shortfall:
            lines.append(assessment.shortfall)
        for c in cases:
            lines.append(f"{Level(c['level']).label}  {c['score']:.2f}  {c['number']}  {'；'.join(c['reasons'])}")
        auc = "—" if backtest.model.auc is None else f"{backtest.model.auc:.3f}"
        brier = "—" if backtest.model.brier is None else f"{backtest.model.brier:.3f}"
        lines.append(
            f"回测（时间切分，{backtest.cases} 件）：AUC {auc}，Brier {brier}{'（' + backtest.note + '）' if backtest.note else ''}"
        )
        self.stdout.write("\n".join(lines))
