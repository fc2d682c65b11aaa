"""The assessment's report (.docx, in the official layout of GB/T 9704 through ``documents.official``) and its
ranking workbook (.xlsx rows for ``core.xlsx_stream``), both from one ``scoring.compute`` result."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fuyuan.assessment.indicators import SOURCES
from fuyuan.assessment.models import Indicator, RuleKind
from fuyuan.assessment.scoring import SCORED, Assessment, Cell, Row
from fuyuan.documents import official


def num(value: Decimal) -> str:
    """A number as people write it: 15, 7.5, 33.33 (no trailing zeros, never an exponent)."""
    return f"{value.normalize():f}"


def rule_text(indicator: Indicator) -> str:
    if indicator.rule == RuleKind.MET:
        sign = "≤" if indicator.lower_is_better else "≥"
        return f"{sign}{num(indicator.target)}得满分，否则0分"
    better = "越低越好" if indicator.lower_is_better else "越高越好"
    return f"{num(indicator.floor)}得0分，{num(indicator.target)}得满分，其间按比例（{better}）"


def cell_text(cell: Cell) -> str:
    if cell.status != SCORED or cell.value is None:
        return {"empty": "无记录", "missing": "缺少记录", "not_applicable": "不适用"}[cell.status]
    return num(cell.value)


def _score(row: Row) -> str:
    return "—" if row.score is None else f"{row.score:.2f}"


def render_report(result: Assessment) -> bytes:
    scheme = result.scheme
    issuer = f"{scheme.region.name}依法治办"
    today = timezone.localdate()
    title = f"{scheme.region.name}{scheme.year}年度法治建设考核情况"
    doc = official.new_document(title=title, author=issuer)
    official.add_title(doc, title)
    official.add_paragraph(doc)
    total = sum(i.weight for i in result.indicators)
    official.add_paragraph(
        doc,
        f"按照{scheme.year}年度法治建设考核方案，依据平台记录的行政诉讼、行政复议、出庭应诉、销账整改、书面报告、"
        f"重大行政决策等数据和录入的述法、督察情况，对{len(result.counties)}个县(市、区)和"
        f"{len(result.departments)}个州直部门进行了考核。方案共{len(result.indicators)}项指标，总分值{num(Decimal(total))}分；"
        "得分按实际适用的指标折算为百分制。现将考核情况通报如下。",
    )
    official.add_heading(doc, 1, 1, "考核指标")
    official.add_table(
        doc, ["指标", "分值", "计分规则", "数据来源"],
        [[i.name, num(i.weight), rule_text(i), SOURCES[i.code].description if i.code in SOURCES else ""]
         for i in result.indicators],
        widths=[2.6, 1.1, 3.8, 4.2], left=frozenset({0, 2, 3}),
    )  # fmt: skip
    for n, (label, rows) in enumerate((("县(市、区)", result.counties), ("州直部门", result.departments)), start=2):
        official.add_heading(doc, 1, n, f"{label}考核排名")
        if not rows:
            official.add_paragraph(doc, f"本地区没有需考核的{label}。")
            continue
        official.add_table(
            doc, ["名次", label, "得分", "实得/应得分值", "缺少记录的指标"],
            [[str(r.rank or "—"), r.name, _score(r), f"{num(r.points)}/{num(r.full)}", "、".join(r.missing) or "无"]
             for r in rows],
            widths=[0.8, 3, 1.2, 2, 4], left=frozenset({1, 4}),
        )  # fmt: skip
    official.add_heading(doc, 1, 4, "有关说明")
    if result.missing:
        for reason in result.missing.values():
            official.add_paragraph(doc, f"{reason}。")
    official.add_paragraph(
        doc,
        "各项得分均可在平台“法治考核”页面逐项查看所依据的案件和记录；对考核结果有异议的，请于通报之日起10个工作日内向本办反映。",
    )
    closing = official.add_paragraph(doc)
    official.keep_together([closing, *official.add_signature(doc, issuer, today)])
    official.add_imprint(doc, issuer, today)
    return official.to_bytes(doc)


def xlsx_rows(result: Assessment) -> Sequence[tuple[str, Iterator[Sequence[Any]]]]:
    """Two sheets (counties, departments): rank, unit, score, then each indicator's numerator, denominator, value and
    points (or why it has none)."""

    def sheet(rows: list[Row]) -> Iterator[Sequence[Any]]:
        header: list[Any] = ["名次", "单位", "得分（百分制）", "实得分值", "应得分值"]
        for i in result.indicators:
            header += [f"{i.name}·分子", f"{i.name}·分母", f"{i.name}·数值", f"{i.name}·得分"]
        yield header
        for r in rows:
            line: list[Any] = [r.rank, r.name, r.score, r.points, r.full]
            for c in r.cells:
                if c.status == SCORED:
                    line += [c.numerator, c.denominator, c.value, c.points]
                else:
                    line += [c.numerator, c.denominator, cell_text(c), None]
            yield line

    return [("县(市、区)", sheet(result.counties)), ("州直部门", sheet(result.departments))]
