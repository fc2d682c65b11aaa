"""The registry of assessment indicators (SPEC §6.7): where each indicator's records come from.

Every indicator counts a numerator over a denominator per organisation (or per county) for a year; a county's
value sums numerators and denominators over its organisations (or takes its own, for the county-level duties), and
the value is the rate in percent (``rate``) or the average (``average``: 案卷评查's sum of scores over files).

Four kinds of source:

- ``stats`` — the rates of SPEC §4 from ``fuyuan.stats.figures``, the one figures module: the numerator and the
  denominator are its measures, counted by its ``table(by="agency")``; never recomputed here.
- ``own`` — records of modules already in the platform (销账本, 书面报告, 重大行政决策), counted in
  ``fuyuan.assessment.sources``.
- ``module`` — records of modules built beside this one (执法证, 案卷评查, 旁听庭审, 重大执法决定), resolved by dotted
  path when the assessment runs: ``path(year) -> {organisation_id: (numerator, denominator)}``; a source marked
  ``regional`` takes ``within=`` (the scheme's region path, as ``own`` sources do) and counts only that region's
  records, so that a prefecture's assessment does not count the whole province's. Until the module
  exists, the indicator says its records are missing — never a silent zero. ``records_url`` (optional), a dotted
  path ``(year, organisation_ids) -> str``, names the page listing the records behind a value.
- ``manual`` — items entered by the 依法治办 with evidence (述法, 督察 findings), a value 0–100 per unit.

``SOURCES`` may be extended at run time (``register``); a test registers a fake module indicator that way.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Counts = dict[int, tuple[Any, Any]]
COUNTY, DEPARTMENT = "county", "department"
BOTH = frozenset({COUNTY, DEPARTMENT})


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    kind: str  # stats | own | module | manual
    # stats: the rate's name in fuyuan.stats.figures.RATES; own/module: a dotted path to ``(year) -> Counts``.
    path: str = ""
    measure: str = "rate"  # rate (percent) | average
    keyed_by: str = "organisation"  # organisation | county (the county-level duties, keyed by region id)
    applies_to: frozenset[str] = BOTH
    records_url: str = ""
    # own/module: the callable takes ``within=`` (a region path) and counts only the records of that subtree.
    regional: bool = False
    description: str = ""
    # What the records are, in words (for "缺少记录" when the module is absent).
    records: str = ""
    # The defaults of a first scheme (a later year copies the previous one).
    weight: Decimal = Decimal(10)
    rule: str = "linear"
    floor: Decimal = Decimal(0)
    target: Decimal = Decimal(100)
    lower_is_better: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _d(value: str) -> Decimal:
    return Decimal(value)


_BUILT_IN = (
    # SPEC §4 败诉率: lower is better; 30% is the threshold of the written-report duty (SPEC §4), 10% the target.
    Source("loss_rate", "败诉率", "stats", "loss_rate", weight=_d("15"), floor=_d("30"), target=_d("10"),
           lower_is_better=True, description="一审结案中败诉的比例（统计模块口径）"),
    Source("correction_rate", "被纠错率", "stats", "correction_rate", weight=_d("10"), floor=_d("20"),
           target=_d("5"), lower_is_better=True, description="复议办结中被纠错的比例（统计模块口径）"),
    Source("appearance_rate", "负责人出庭应诉率", "stats", "appearance_rate", weight=_d("10"), floor=_d("60"),
           description="一审开庭中负责人出庭的比例（统计模块口径）"),
    # 法释〔2020〕3号 第11条第3款 出庭又出声: recorded on the case's hearing (Case.head_spoke), counted by stats.
    Source("speaking_rate", "出声率", "stats", "speaking_rate", weight=_d("5"), floor=_d("50"),
           description="负责人出庭且有出声记录的案件中出声的比例（统计模块口径）"),
    Source("rectification_on_time", "销账按期率", "own", "fuyuan.assessment.sources.rectification_on_time",
           weight=_d("10"), floor=_d("60"), description="整改期限在本年度的整改事项中，按期报送整改并已核验销账的比例"),
    # SPEC §4: a county over the loss-rate threshold owes a written report; departments owe none.
    Source("written_report", "书面报告报送率", "own", "fuyuan.assessment.sources.written_report",
           keyed_by="county", applies_to=frozenset({COUNTY}), weight=_d("5"), rule="met",
           description="本年度书面报告事项中已报送（含已办结）的比例"),
    Source("decision_steps", "重大决策程序完备率", "own", "fuyuan.assessment.sources.decision_steps",
           weight=_d("10"), floor=_d("80"),
           description="本年度集体讨论决定的重大行政决策中，公众参与、专家论证、风险评估、合法性审查均已完成的比例"),
    Source("certificate_coverage", "执法证持证率", "module",
           "fuyuan.enforcement.indicators.certificate_coverage",
           records_url="fuyuan.enforcement.indicators.certificate_coverage_url", weight=_d("5"), floor=_d("80"),
           records="执法人员和执法证记录",
           description="年末持有效执法证的执法人员 / 执法人员"),
    Source("file_review_score", "案卷评查平均分", "module", "fuyuan.filereview.indicators.file_review_score",
           measure="average", records_url="fuyuan.filereview.indicators.file_review_score_url", weight=_d("10"),
           records="案卷评查记录",
           floor=_d("60"), target=_d("90"), description="评查案卷得分之和 / 评查案卷数"),
    Source("attendance_compliance", "旁听庭审达标率", "module",
           "fuyuan.attendance.indicators.attendance_compliance",
           records_url="fuyuan.attendance.indicators.attendance_compliance_url", weight=_d("5"),
           records="旁听庭审记录",
           description="旁听庭审次数（以规定次数为限） / 规定次数"),
    Source("major_decisions_in_order", "重大执法决定审核备案率", "module",
           "fuyuan.enforcement.indicators.major_decisions_in_order",
           records_url="fuyuan.enforcement.indicators.major_decisions_in_order_url", weight=_d("5"), floor=_d("80"),
           records="重大执法决定的法制审核和备案记录",
           description="经法制审核并按期备案的重大执法决定 / 重大执法决定"),
    Source("law_report", "述法", "manual", weight=_d("5"), description="述法评议得分率，依据述法评议材料录入"),
    Source("inspection", "法治督察", "manual", weight=_d("5"), description="法治督察发现问题整改情况得分率，依据督察意见录入"),
)  # fmt: skip

# Every built-in own and module source narrows its count to the scheme's region (``within``).
SOURCES: dict[str, Source] = {
    source.code: dataclasses.replace(source, regional=True) if source.kind in ("own", "module") else source
    for source in _BUILT_IN
}


def register(source: Source) -> None:
    """Add (or replace) a source: how a test puts a fake module indicator in place."""
    SOURCES[source.code] = source


def unregister(code: str) -> None:
    SOURCES.pop(code, None)


class RecordsMissing(Exception):
    """The module holding this indicator's records is not installed (yet)."""


def resolve(path: str) -> Callable[..., Any]:
    """The callable at a dotted path; ``RecordsMissing`` when its module or the name is absent. A module that exists
    but fails to import for another reason is a bug and raises as such."""
    module_name, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            raise RecordsMissing(path) from None
        raise
    found = getattr(module, name, None)
    if not callable(found):
        raise RecordsMissing(path)
    return found
