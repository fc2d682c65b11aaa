"""THE acceptance test of the figures (SPEC §8): a ledger that yields the figures 黔南州 published for
2021-01..08, and 安阳市's for 2024-01..06, imported with ``import_cases`` and counted by ``stats``.

The ledgers carry distractors that a wrong count would pick up: second-instance cases, another prefecture's
cases, conclusions a day outside the window, withdrawals (not losses), pending cases and a reconsideration
backlog received in 2020 and concluded in the window.
"""

from __future__ import annotations

import datetime
import itertools
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

D = datetime.date
LITIGATION_HEADERS = [
    "案号", "法院", "审级", "被告", "被告所属地区", "原告", "案由", "领域",
    "立案日期", "开庭日期", "负责人出庭", "出庭负责人", "结案日期", "结案方式",
]  # fmt: skip
RECONSIDERATION_HEADERS = [
    "案号", "复议机构", "被申请人", "被申请人所属地区", "申请人", "案由", "领域",
    "收案日期", "受理情况", "受理日期", "结案日期", "结案方式",
]  # fmt: skip
QIANNAN_COUNTIES = ["都匀市", "福泉市", "瓮安县", "长顺县", "黔南州"]
LOSSES = ["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "判决给付", "判决赔偿"]
NOT_LOSSES = ["驳回诉讼请求", "裁定驳回起诉", "撤诉", "行政机关改变行为后撤诉", "调解", "终结"]
CORRECTIONS = ["撤销", "变更", "确认违法", "确认无效", "责令履行"]
NOT_CORRECTIONS = ["维持", "驳回", "终止", "撤回"]


class Ledger:
    """Rows of the two sheets, with a running case number per prefix."""

    def __init__(self) -> None:
        self.litigation: list[list[Any]] = []
        self.reconsideration: list[list[Any]] = []
        self._numbers = itertools.count(1)

    def lawsuit(
        self,
        county: str,
        *,
        filed: D,
        instance: str = "一审",
        hearing: D | None = None,
        appeared: bool | None = None,
        concluded: D | None = None,
        outcome: str = "",
        province: str = "黔",
    ) -> None:
        n = next(self._numbers)
        kind = "行初" if instance == "一审" else "行终"
        self.litigation.append(
            [
                f"（{filed.year}）{province}27{kind}{n}号",
                f"{county}人民法院",
                instance,
                f"{county}自然资源局" if n % 2 else f"{county}公安局",
                county,
                f"原告{n}",
                "行政处罚",
                "自然资源" if n % 3 else "",
                filed,
                hearing,
                {True: "是", False: "否", None: ""}[appeared],
                "局长" if appeared else "",
                concluded,
                outcome,
            ]
        )

    def application(
        self,
        county: str,
        *,
        received: D,
        acceptance: str = "受理",
        concluded: D | None = None,
        outcome: str = "",
    ) -> None:
        n = next(self._numbers)
        self.reconsideration.append(
            [
                f"黔南复〔{received.year}〕{n}号",
                "黔南州司法局",
                f"{county}人民政府",
                county,
                f"申请人{n}",
                "行政确认",
                "征地拆迁",
                received,
                acceptance,
                received + datetime.timedelta(days=3) if acceptance != "审查中" else None,
                concluded,
                outcome,
            ]
        )

    def save(self, path: Path) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "行政诉讼"
        sheet.append(LITIGATION_HEADERS)
        for row in self.litigation:
            sheet.append(row)
        recon = book.create_sheet("行政复议")
        recon.append(RECONSIDERATION_HEADERS)
        for row in self.reconsideration:
            recon.append(row)
        book.save(path)
        return path


def _cycle(values: list[str], i: int) -> str:
    return values[i % len(values)]


def qiannan_2021() -> Ledger:
    ledger = Ledger()
    county = lambda i: _cycle(QIANNAN_COUNTIES, i)  # noqa: E731
    # 506 first-instance cases concluded in the window (two on its very edges): 110 losses; withdrawals are not.
    # The first 363 had a hearing in the window, a head appearing in 275; half were filed in the window.
    for i in range(506):
        concluded = D(2021, 1, 1) if i == 0 else D(2021, 8, 31) if i == 1 else D(2021, 4, 20)
        ledger.lawsuit(
            county(i),
            filed=D(2021, 1, 1) if i % 2 == 0 else D(2020, 11, 10),
            hearing=D(2021, 1, 1) if i < 363 and i in (0, 2) else D(2021, 3, 15) if i < 363 else None,
            appeared=(i < 275) if i < 363 else None,
            concluded=concluded,
            outcome=_cycle(LOSSES, i) if i < 110 else _cycle(NOT_LOSSES, i),
        )
    # Losses concluded a day outside the window, pending cases, second instance, another prefecture.
    for i in range(7):
        ledger.lawsuit(
            county(i),
            filed=D(2020, 6, 1),
            hearing=D(2020, 11, 1),
            appeared=True,
            concluded=D(2020, 12, 31),
            outcome="撤销",
        )
    for i in range(5):
        ledger.lawsuit(
            county(i),
            filed=D(2021, 2, 1),
            hearing=D(2021, 9, 1),
            appeared=True,
            concluded=D(2021, 9, 1),
            outcome="撤销",
        )
    for i in range(30):
        ledger.lawsuit(county(i), filed=D(2021, 7, 1))
    for i in range(20):
        ledger.lawsuit(
            county(i),
            instance="二审",
            filed=D(2021, 3, 1),
            hearing=D(2021, 4, 1),
            appeared=True,
            concluded=D(2021, 5, 1),
            outcome="撤销",
        )
    for _ in range(10):
        ledger.lawsuit(
            "安阳市",
            filed=D(2021, 3, 1),
            hearing=D(2021, 4, 1),
            appeared=True,
            concluded=D(2021, 5, 1),
            outcome="撤销",
            province="豫",
        )

    # Reconsideration: 181 received in the window (149 accepted, 13 refused, 19 under review).
    # 169 concluded in the window: 140 of this year's and a backlog of 29 received in 2020.
    concluded_outcomes = (
        [_cycle(CORRECTIONS, i) for i in range(14)]
        + ["调解"] * 40
        + ["和解"] * 36
        + [_cycle(NOT_CORRECTIONS, i) for i in range(79)]
    )
    outcomes = iter(concluded_outcomes)
    for i in range(181):
        received = D(2021, 1, 1) if i == 0 else D(2021, 8, 31) if i == 180 else D(2021, 2, 1)
        acceptance = "受理" if i < 149 else "不予受理" if i < 162 else "审查中"
        if i < 140:
            ledger.application(county(i), received=received, concluded=D(2021, 6, 1), outcome=next(outcomes))
        elif i < 149:
            ledger.application(county(i), received=received, concluded=D(2021, 9, 1), outcome="撤销")
        else:
            ledger.application(county(i), received=received, acceptance=acceptance)
    for i in range(29):
        ledger.application(county(i), received=D(2020, 11, 1), concluded=D(2021, 1, 15), outcome=next(outcomes))
    for i in range(4):
        ledger.application(county(i), received=D(2020, 10, 1), concluded=D(2020, 12, 31), outcome="撤销")
    for _ in range(5):
        ledger.application("安阳市", received=D(2021, 3, 1), concluded=D(2021, 5, 1), outcome="撤销")
    assert next(outcomes, None) is None
    return ledger


def anyang_2024() -> Ledger:
    ledger = Ledger()
    counties = ["安阳市", "林州市", "滑县"]
    # 266 first-instance cases filed 2024-01..06, 41 of them lost within the half-year.
    for i in range(266):
        concluded = D(2024, 6, 30) if i < 141 else None
        outcome = "撤销" if i < 41 else "驳回诉讼请求" if i < 141 else ""
        ledger.lawsuit(
            _cycle(counties, i), filed=D(2024, 1 + i % 6, 10), concluded=concluded, outcome=outcome, province="豫"
        )
    for day in (D(2023, 12, 31), D(2024, 7, 1)):
        ledger.lawsuit("安阳市", filed=day, concluded=D(2024, 7, 15), outcome="撤销", province="豫")
    for _ in range(8):
        ledger.lawsuit(
            "林州市", instance="二审", filed=D(2024, 2, 1), concluded=D(2024, 3, 1), outcome="撤销", province="豫"
        )
    return ledger


def _stats(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_published_figures_come_out_exactly_from_the_imported_ledgers(tmp_path: Path) -> None:
    call_command(
        "import_cases", str(anyang_2024().save(tmp_path / "安阳.xlsx")), "--region", "安阳市", stdout=StringIO()
    )
    call_command(
        "import_cases", str(qiannan_2021().save(tmp_path / "黔南.xlsx")), "--region", "黔南州", stdout=StringIO()
    )

    qiannan = _stats("--region", "黔南州", "--from", "2021-01-01", "--to", "2021-08-31")
    anyang = _stats("--region", "安阳市", "--from", "2024-01-01", "--to", "2024-06-30")

    assert qiannan["region"] == "黔南州"
    assert qiannan["total"]["reconsideration"] == {
        "received": 181,
        "accepted": 149,
        "rejected": 13,
        "concluded": 169,
        "corrected": 14,
        "correction_rate": 8.28,
        "mediated": 76,
        "mediation_rate": 44.97,
    }
    assert qiannan["total"]["litigation"] == {
        "filed": 253 + 5 + 30,
        "concluded": 506,
        "lost": 110,
        "loss_rate": 21.74,
        "hearings": 363,
        "head_appeared": 275,
        "appearance_rate": 75.76,
    }
    assert anyang["total"]["litigation"]["filed"] == 266
    assert anyang["total"]["litigation"]["lost"] == 41


@pytest.mark.django_db
def test_the_counties_of_the_prefecture_add_up_to_its_published_figures(tmp_path: Path) -> None:
    call_command(
        "import_cases", str(anyang_2024().save(tmp_path / "安阳.xlsx")), "--region", "安阳市", stdout=StringIO()
    )
    call_command(
        "import_cases", str(qiannan_2021().save(tmp_path / "黔南.xlsx")), "--region", "黔南州", stdout=StringIO()
    )

    result = _stats("--region", "黔南州", "--from", "2021-01-01", "--to", "2021-08-31", "--by", "county")

    assert {row["key"] for row in result["rows"]} == set(QIANNAN_COUNTIES)
    assert sum(row["litigation"]["lost"] for row in result["rows"]) == 110
    assert sum(row["reconsideration"]["concluded"] for row in result["rows"]) == 169
