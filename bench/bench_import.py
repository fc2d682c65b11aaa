"""Ledger import speed: ``fuyuan import-cases`` against the bare reading of the same workbook.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--reset]

Writes a ledger workbook (sheets 行政诉讼 and 行政复议 with the SPEC §9 headers, about 30 % litigation and 70 %
reconsideration, realistic values over a handful of regions and organisations), then times
(a) the bare parse: ``openpyxl.load_workbook(path, read_only=True)`` reading every row with ``values_only=True``;
(b) ``import_cases FILE --region 滨海州`` into the empty database;
and prints both and their ratio. Goal: the import takes at most 3 × the bare parse. The import itself reads the
workbook with python-calamine (``fuyuan.cases.ledger``); its bare read of every row is printed too, with the import's
ratio to it: what the import does beyond reading.
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import sys
import tempfile
from pathlib import Path

from _setup import best_of, start_django, timed

REGION = "滨海州"
COUNTIES = ["东城区", "西江县", "南岭县", "北山县", "临海市"]
AGENCIES = ["人民政府", "自然资源局", "公安局", "市场监督管理局", "人力资源和社会保障局", "住房和城乡建设局"]
DOMAINS = {"人民政府": "征地拆迁", "自然资源局": "自然资源", "公安局": "公安", "市场监督管理局": "市场监管",
           "人力资源和社会保障局": "劳动社保", "住房和城乡建设局": "住房城建"}  # fmt: skip
CAUSES = ["行政处罚", "行政强制", "行政许可", "行政征收", "行政确认", "行政登记", "不履行法定职责", "政府信息公开"]
LITIGATION_OUTCOMES = {"驳回诉讼请求": 45, "裁定驳回起诉": 12, "撤诉": 8, "行政机关改变行为后撤诉": 7, "调解": 3,
                       "撤销": 12, "确认违法": 6, "责令履行": 4, "部分撤销": 2, "变更": 1}  # fmt: skip
RECONSIDERATION_OUTCOMES = {"维持": 38, "驳回": 8, "调解": 22, "和解": 16, "撤回": 4, "终止": 2,
                            "撤销": 6, "确认违法": 2, "责令履行": 2}  # fmt: skip
LITIGATION_HEADERS = ["案号", "法院", "审级", "被告", "被告所属地区", "原告", "案由", "领域", "立案日期", "开庭日期",
                      "负责人出庭", "出庭负责人", "结案日期", "结案方式"]  # fmt: skip
RECONSIDERATION_HEADERS = ["案号", "复议机构", "被申请人", "被申请人所属地区", "申请人", "案由", "领域", "收案日期",
                           "受理情况", "受理日期", "结案日期", "结案方式"]  # fmt: skip
# Filed over 1000 days from here, concluded up to 180 days later: all of it past, as the case rules require.
START = datetime.date(2023, 1, 1)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def as_cell(rng: random.Random, day: datetime.date | None) -> object:
    """Most ledgers hold real dates; some clerks type text (SPEC §9 accepts both)."""
    if day is None or rng.random() < 0.9:
        return day
    return rng.choice([f"{day:%Y-%m-%d}", f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日"])


def write_ledger(path: Path, rows: int, seed: int = 1) -> tuple[int, int]:
    from openpyxl import Workbook

    rng = random.Random(seed)
    litigation_rows = round(rows * 0.3)
    workbook = Workbook(write_only=True)
    litigation = workbook.create_sheet("行政诉讼")
    litigation.append(LITIGATION_HEADERS)
    for n in range(1, litigation_rows + 1):
        county = rng.choice(COUNTIES)
        agency = rng.choice(AGENCIES)
        filed = START + datetime.timedelta(days=rng.randrange(1000))
        hearing = filed + datetime.timedelta(days=rng.randint(30, 120)) if rng.random() < 0.85 else None
        appeared = rng.random() < 0.8 if hearing else None
        concluded = (hearing or filed) + datetime.timedelta(days=rng.randint(5, 60)) if rng.random() < 0.9 else None
        litigation.append(
            [
                f"（{filed.year}）滨{COUNTIES.index(county) + 1:02d}行初{n}号",
                f"{county}人民法院",
                "一审",
                f"{county}{agency}",
                county,
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                rng.choice(CAUSES),
                DOMAINS[agency],
                as_cell(rng, filed),
                as_cell(rng, hearing),
                {True: "是", False: "否", None: None}[appeared],
                "张副局长" if appeared else None,
                as_cell(rng, concluded),
                pick(rng, LITIGATION_OUTCOMES) if concluded else None,
            ]
        )
    reconsideration = workbook.create_sheet("行政复议")
    reconsideration.append(RECONSIDERATION_HEADERS)
    for n in range(1, rows - litigation_rows + 1):
        county = rng.choice(COUNTIES)
        agency = rng.choice(AGENCIES)
        received = START + datetime.timedelta(days=rng.randrange(1000))
        roll = rng.random()
        acceptance = "受理" if roll < 0.85 else "不予受理" if roll < 0.93 else "审查中"
        accepted = received + datetime.timedelta(days=rng.randint(1, 7)) if acceptance != "审查中" else None
        concluded = None
        if acceptance == "受理" and rng.random() < 0.92:
            assert accepted is not None
            concluded = accepted + datetime.timedelta(days=rng.randint(20, 60))
        reconsideration.append(
            [
                f"{county}府复〔{received.year}〕{n}号",
                f"{county}司法局",
                f"{county}{agency}",
                county,
                rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                rng.choice(CAUSES),
                DOMAINS[agency],
                as_cell(rng, received),
                acceptance,
                as_cell(rng, accepted),
                as_cell(rng, concluded),
                pick(rng, RECONSIDERATION_OUTCOMES) if concluded else None,
            ]
        )
    workbook.save(path)
    return litigation_rows, rows - litigation_rows


def bare_parse(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    count = 0
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return count


def bare_read(path: Path) -> int:
    """What the import's own reader (python-calamine) takes to read every row of every sheet."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    count = 0
    for name in workbook.sheet_names:
        for _row in workbook.get_sheet_by_name(name).iter_rows():
            count += 1
    workbook.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="ledger rows (default 100000)")
    parser.add_argument("--reset", action="store_true", help="empty the DATABASE_URL database first (flush)")
    args = parser.parse_args()

    database = start_django(reset=args.reset)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from fuyuan.cases.models import Case

    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="fuyuan-bench-") as folder:
        path = Path(folder) / "ledger.xlsx"
        with timed(times, "write"):
            litigation, reconsideration = write_ledger(path, args.rows)
        print(f"数据库：{database}")
        print(f"台账：{args.rows} 行（行政诉讼 {litigation}，行政复议 {reconsideration}），"
              f"{path.stat().st_size / 1e6:.1f} MB，写出用时 {times['write']:.1f} 秒")  # fmt: skip
        parse = best_of(1, lambda: bare_parse(path))
        print(f"(a) openpyxl 只读解析全部行：{parse:.2f} 秒")
        read = best_of(1, lambda: bare_read(path))
        print(f"(a') python-calamine 读取全部行（导入所用的读取方式）：{read:.2f} 秒")
        with timed(times, "import"):
            try:
                call_command("import_cases", str(path), "--region", REGION, stdout=io.StringIO())
            except CommandError as error:
                sys.exit(f"import_cases 失败：{error}")
    imported = Case.objects.count()
    print(f"(b) import_cases 导入：{times['import']:.2f} 秒，库中案件 {imported} 件")
    print(f"比值 (b)/(a) = {times['import'] / parse:.2f}（目标 ≤ 3）")
    print(f"比值 (b)/(a') = {times['import'] / read:.2f}（读取之外的检查与写入）")
    if imported != args.rows:
        sys.exit(f"导入的案件数 {imported} 与台账行数 {args.rows} 不符")


if __name__ == "__main__":
    main()
