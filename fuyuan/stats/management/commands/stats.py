"""``fuyuan stats``: the figures of a region and window, as text or JSON (SPEC §9).

The operator's command reads every case and dispute (it is not scoped to a user). The coordination centre's
figures (SPEC §4 调解成功率, 化解数) are added only when asked for (``--disputes``, or ``--by centre|coordinator``),
so the JSON of the contract's options keeps exactly its keys.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.cases.models import Case
from fuyuan.core.models import Region
from fuyuan.disputes.models import Dispute
from fuyuan.stats import counts, figures

BY_HELP = (
    "分组：county|agency|domain|month|centre|coordinator。centre（协调化解中心）、coordinator（协调员）只统计协调化解，"
    "各行只有 disputes 一组（自动含 --disputes）；按协调员分组时，一件争议计入曾指派给它的每一名协调员（含已退出的），"
    "故各行之和可大于合计"
)


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


def render_disputes(counts: dict[str, int], with_cases: bool = True) -> list[str]:
    """The coordination centre's lines (SPEC §4): 调解成功率, 化解数 and, where cases count, 化解/败诉比."""
    group = figures.dispute_figures(counts, with_cases)
    lines = [
        f"  协调化解          办结 {group['closed']}（不含不予受理）  调解成功 {group['mediated']}  "
        f"调解成功率 {_rate_text(group['mediation_rate'], group['mediated'], group['closed'])}"
    ]
    if not with_cases:
        return [*lines, f"                    化解数 {group['resolved']}"]
    ratio = group["resolved_to_loss_ratio"]
    lost = counts["litigation.lost"]
    return [
        *lines,
        f"                    化解数 {group['resolved']}（争议 {counts['disputes.resolved']} + 一审调解或改变行为后撤诉 "
        f"{counts['litigation.resolved']}）  化解/败诉比 {'—' if ratio is None else f'{ratio:.2f}'}"
        f"（{group['resolved']}/{lost}）",
    ]


class Command(BaseCommand):
    help = (
        "统计一个地区（含下级）在起止日期内的诉讼与复议数据（起止日期均含当日）；"
        "加 --disputes 另统计协调化解数据（调解成功率、化解数、化解/败诉比）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="地区名称（含全部下级地区；默认全部）")
        parser.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD（含；统计时必填）")
        parser.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD（含；统计时必填）")
        parser.add_argument("--by", help=BY_HELP)
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式 text|json")
        parser.add_argument(
            "--disputes",
            action="store_true",
            help="另加协调化解数据：JSON 的合计与各行增加 disputes 一组"
            "（closed、mediated、mediation_rate、resolved、resolved_to_loss_ratio）",
        )
        upkeep = parser.add_mutually_exclusive_group()
        upkeep.add_argument(
            "--verify",
            action="store_true",
            help="核对：从全部案件重算统计计数，与随案件变更维护的计数比较，列出不一致之处；有不一致时以非零状态退出",
        )
        upkeep.add_argument(
            "--rebuild", action="store_true", help="重建：从全部案件重新写入统计计数（恢复备份后由运维人员执行）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            self.verify()
            return
        if options["rebuild"]:
            written = counts.rebuild()
            self.stdout.write(f"已从 {Case.objects.count()} 件案件重建统计计数：{written} 行")
            return
        for name, flag in (("date_from", "--from"), ("date_to", "--to")):
            if not options[name]:
                raise CommandError(f"缺少 {flag} 日期（YYYY-MM-DD）", returncode=2)  # as argparse refuses a usage
        date_from = _day(options["date_from"], "--from")
        date_to = _day(options["date_to"], "--to")
        if date_from > date_to:
            raise CommandError(f"起始日期 {date_from} 晚于截止日期 {date_to}")
        by = options["by"]
        if by is not None and by not in figures.ALL_GROUPINGS:
            raise CommandError(f"未知的分组方式“{by}”，可选 {'、'.join(figures.ALL_GROUPINGS)}")
        cases = Case.objects.all()
        disputes = Dispute.objects.all() if options["disputes"] or by in figures.DISPUTE_GROUPINGS else None
        region_name = options["region"]
        if region_name is not None:
            region = Region.objects.filter(name=region_name).first()
            if region is None:
                raise CommandError(f"未知的地区“{region_name}”")
            cases = cases.filter(region__path__startswith=region.path)
            if disputes is not None:
                disputes = disputes.filter(region__path__startswith=region.path)

        if options["format"] == "json":
            # SPEC §9: exactly FIGURES (and the group "disputes" only when asked for).
            result = figures.compute(cases, date_from, date_to, by, disputes)
            payload = {
                "region": region_name,
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
                "total": result["total"],
                "rows": result["rows"],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        full = figures.table(cases, date_from, date_to, by, disputes)
        lines = [f"{region_name or '全部地区'}  {date_from} 至 {date_to}（含）", "合计"]
        lines += render_text(full["total"], full["counts"], full["rates"])
        if disputes is not None:
            lines += render_disputes(full["counts"])
        for row in full["rows"]:
            lines += ["", f"{figures.ALL_GROUPINGS[by]}：{row['key']}"]
            if by in figures.DISPUTE_GROUPINGS:
                lines += render_disputes(row["counts"], with_cases=False)
                continue
            lines += render_text(row, row["counts"], row["rates"])
            if disputes is not None:
                lines += render_disputes(row["counts"])
        self.stdout.write("\n".join(lines))

    def verify(self) -> None:
        """``--verify``: the kept counts against a recount of the cases; non-zero exit when any differs."""
        differences = counts.verify()
        if differences:
            self.stdout.write("\n".join(differences))
            raise CommandError(f"统计计数与重算不一致：{len(differences)} 处（可执行 fuyuan stats --rebuild 重建）")
        self.stdout.write(f"统计计数与重算一致（{Case.objects.count()} 件案件）")
