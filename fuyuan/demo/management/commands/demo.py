"""``fuyuan demo [--if-empty] [--seed N] [--cases N]``: fill an empty database with the demo prefecture 云岭州.

``make run`` calls it with ``--if-empty`` after every migrate, so that form is quick on a populated database and
always ends with the table of demo logins.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fuyuan.demo.generator import (
    DEFAULT_CASES,
    DEFAULT_SEED,
    PREFECTURE,
    database_has_data,
    demo_logins,
    generate_demo,
)
from fuyuan.demo.reconsideration import DEMO_FOLLOW_CODE, ReconsiderationCounts
from fuyuan.demo.supervision import SupervisionCounts
from fuyuan.similar import index as similar_index


def supervision_summary(counts: SupervisionCounts) -> str:
    """书面报告 2 项（已办结 1，逾期 1）…: each supervision list and its states."""
    parts = []
    for label, states in (
        ("书面报告", counts.report_duties),
        ("移送纪委", counts.transfers),
        ("领导包案", counts.packages),
        ("整改事项", counts.items),
    ):
        detail = "，".join(f"{state} {n}" for state, n in sorted(states.items(), key=lambda kv: -kv[1]))
        parts.append(f"{label} {sum(states.values())} 项（{detail}）")
    parts.append(f"典型案例汇编 {counts.compilations} 期")
    return "；".join(parts)


def reconsideration_summary(counts: ReconsiderationCounts) -> str:
    """行政复议办案 36 件（审理中 12，待补正 3…），查询码 …: the files by stage, and the code to follow them with."""
    detail = "，".join(f"{stage} {n}" for stage, n in sorted(counts.stages.items(), key=lambda kv: -kv[1]))
    return f"行政复议办案 {counts.files} 件（{detail}；网上查询各件的查询码均为 {DEMO_FOLLOW_CODE}）"


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]  # fmt: skip
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        f"生成演示数据：虚构的{PREFECTURE}（8 个县市区 + 州本级）、单位与负责人名册、各角色用户、约两万件案件，"
        "以今天为准前后两周的开庭，各协调化解中心自 2024 年至今的约 1500 件争议和专业协调员库，"
        "以及经各工作流程办理的书面报告、典型案例、移送纪委、领导包案和销账本事项，"
        "和州司法局经办案流程办理的约二十件行政复议案件（不计入 --cases）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库已有地区或案件时跳过生成（仍然打印演示账号）"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help=f"案件数（默认 {DEFAULT_CASES}）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 10:
            raise CommandError("--cases 至少为 10")
        if database_has_data():
            if not options["if_empty"]:
                raise CommandError("数据库已有数据（地区或案件），未生成演示数据；请在空数据库上运行，或加 --if-empty")
            self.stdout.write("数据库已有数据，跳过演示数据生成。")
        else:
            started = time.monotonic()
            result = generate_demo(seed=options["seed"], cases=options["cases"])
            # 类案检索's index, built now so that the first case page opened does not wait for it.
            indexed = similar_index.refresh()
            counts = "，".join(f"{k} {v} 件" for k, v in result.cases.items())
            d = result.disputes
            self.stdout.write(
                f"已生成演示数据（{PREFECTURE}，种子 {options['seed']}）：地区 {result.regions} 个，单位 "
                f"{result.organisations} 个，负责人 {result.heads} 人，用户 {result.users} 个；案件 "
                f"{sum(result.cases.values())} 件（{counts}）；今天前后各两周的开庭 {result.hearings} 场；"
                f"协调化解中心争议 {d.disputes} 件（在办 {d.open} 件，办结 {d.closed} 件，其中调解成功 {d.mediated} 件），"
                f"专业协调员 {d.coordinators} 人；{supervision_summary(result.supervision)}；"
                f"{reconsideration_summary(result.reconsideration)}；类案检索已索引 {indexed} 件；"
                f"用时 {time.monotonic() - started:.1f} 秒。"
            )
        self.print_logins()

    def print_logins(self) -> None:
        rows = demo_logins()
        if not rows:
            self.stdout.write("（此数据库中没有演示账号）")
            return
        self.stdout.write("\n演示账号（所有账号同一密码）：")
        self.stdout.write(table(("用户名", "密码", "角色", "范围"), rows))
