"""``fuyuan stats``: the figures of a region and window, as text or JSON (SPEC §9).

The operator's command reads every case (it is not scoped to a user).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.cases.models import Case
from fuyuan.core.models import Region
from fuyuan.stats import figures


def _day(text: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{name} 日期“{text}”无效，应为 YYYY-MM-DD") from None


def _rate_text(value: float | None, numerator: int, denominator: int) -> str:
    shown = "—" if value is None else f"{value:.2f}%"
    return f"{shown}（{numerator}/{denominator}）"


def render_text(figs: dict[str, Any], counts: dict[str, int], rates: dict[str, float | None]) -> list[str]:
    """One block of the text output: FIGURES, and the rates outside the JSON contract from ``counts``/``rates``."""
    lit, rec = figs["litigation"], figs["reconsideration"]
    due, spoke = counts["litigation.head_due"], counts["litigation.head_spoke"]
    return [
        f"  行政诉讼（一审）  立案 {lit['filed']}  结案 {lit['concluded']}  败诉 {lit['lost']}  "
        f"败诉率 {_rate_text(lit['loss_rate'], lit['lost'], lit['concluded'])}",
        f"                    开庭 {lit['hearings']}  负责人出庭 {lit['head_appeared']}  "
        f"负责人出庭应诉率 {_rate_text(lit['appearance_rate'], lit['head_appeared'], lit['hearings'])}",
        f"                    应出庭 {due}  应出尽出率 {_rate_text(rates['due_appearance_rate'], lit['head_appeared'], due)}"
        f"  出声 {spoke}  出声率 {_rate_text(rates['speaking_rate'], spoke, lit['head_appeared'])}",
        f"  行政复议          收案 {rec['received']}  受理 {rec['accepted']}  不予受理 {rec['rejected']}  "
        f"办结 {rec['concluded']}",
        f"                    被纠错 {rec['corrected']}  "
        f"被纠错率 {_rate_text(rec['correction_rate'], rec['corrected'], rec['concluded'])}  "
        f"调解成功 {rec['mediated']}  "
        f"复议调解成功率 {_rate_text(rec['mediation_rate'], rec['mediated'], rec['concluded'])}",
    ]


class Command(BaseCommand):
    help = "统计一个地区（含下级）在起止日期内的诉讼与复议数据（起止日期均含当日）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="地区名称（含全部下级地区；默认全部）")
        parser.add_argument("--from", dest="date_from", required=True, help="起始日期 YYYY-MM-DD（含）")
        parser.add_argument("--to", dest="date_to", required=True, help="截止日期 YYYY-MM-DD（含）")
        parser.add_argument("--by", help="分组：county|agency|domain|month")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式 text|json")

    def handle(self, *args: Any, **options: Any) -> None:
        date_from = _day(options["date_from"], "--from")
        date_to = _day(options["date_to"], "--to")
        if date_from > date_to:
            raise CommandError(f"起始日期 {date_from} 晚于截止日期 {date_to}")
        by = options["by"]
        if by is not None and by not in figures.GROUPINGS:
            raise CommandError(f"未知的分组方式“{by}”，可选 county、agency、domain、month")
        cases = Case.objects.all()
        region_name = options["region"]
        if region_name is not None:
            region = Region.objects.filter(name=region_name).first()
            if region is None:
                raise CommandError(f"未知的地区“{region_name}”")
            cases = cases.filter(region__path__startswith=region.path)

        if options["format"] == "json":
            # SPEC §9: exactly FIGURES, whatever other measures the module counts.
            result = figures.compute(cases, date_from, date_to, by)
            payload = {
                "region": region_name,
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
                "total": result["total"],
                "rows": result["rows"],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        full = figures.table(cases, date_from, date_to, by)
        lines = [f"{region_name or '全部地区'}  {date_from} 至 {date_to}（含）", "合计"]
        lines += render_text(full["total"], full["counts"], full["rates"])
        for row in full["rows"]:
            lines += ["", f"{figures.GROUPINGS[by]}：{row['key']}"]
            lines += render_text(row, row["counts"], row["rates"])
        self.stdout.write("\n".join(lines))
