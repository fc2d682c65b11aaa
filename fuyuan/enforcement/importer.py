"""The exam platform's workbook of officers, certificates, training hours and exam results, imported all or nothing
like the case ledger (``cases.ledger``): ``plan_import`` reads and checks every row against the database without
writing, ``apply_import`` writes the plan in one transaction, and a plan with any error is never applied. Every error
reads ``sheet, row N, column: reason``.

Sheets (either or both; row 1 holds the headers, matched by text in any order, unknown columns ignored):

- ``执法人员``: 姓名*, 执法主体*, 执法证号*, 证件种类* (行政执法证/行政执法监督证), 发证日期*, 有效期至*, 最近审验日期,
  在岗起 (default: the issue date), 离岗日期, 原执法证号 (a renewal: the new certificate goes to that officer).
  A certificate number already known updates that certificate and its officer.
- ``培训考试``: 执法证号*, 年度*, 培训学时*, 考试日期, 考试成绩 (0-100), 考试结果 (合格/不合格/缺考). One record per
  officer and year: a year imported again is replaced.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from fuyuan.cases.ledger import CellError, LedgerError, LedgerFileError, parse_date
from fuyuan.core.models import User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.enforcement import rules
from fuyuan.enforcement.choices import CertificateKind, ExamResult
from fuyuan.enforcement.models import Certificate, EnforcementBody, Officer, TrainingRecord
from fuyuan.enforcement.workflow import can_manage_officers, keep_certificate_warnings

OFFICER_SHEET = "执法人员"
TRAINING_SHEET = "培训考试"
NUMBER = re.compile(r"^[0-9A-Za-z\-]{4,40}$")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalise_number(value: Any) -> str:
    """A certificate number as stored: its text without spaces, letters upper case."""
    return re.sub(r"\s+", "", _text(value)).upper()


def _number(value: Any) -> str:
    text = normalise_number(value)
    if text and not NUMBER.match(text):
        raise CellError(f"证号“{text}”格式不对（4至40位字母、数字或“-”）")
    return text


def _choice(choices: Any, what: str) -> Callable[[Any], str]:
    by_label = {str(label): value for value, label in choices.choices}

    def parse(value: Any) -> str:
        text = _text(value)
        if text and text not in by_label:
            raise CellError(f"未知的{what}“{text}”（可填：{'、'.join(by_label)}）")
        return by_label.get(text, "")

    return parse


def _decimal(low: int, high: int) -> Callable[[Any], Decimal | None]:
    def parse(value: Any) -> Decimal | None:
        text = _text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"不是数字“{text}”") from None
        if not number.is_finite() or not low <= number <= high:
            raise CellError(f"应在 {low} 至 {high} 之间（现为 {text}）")
        return number.quantize(Decimal("0.1"))

    return parse


def _year(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit() or not 2000 <= int(text) <= timezone.localdate().year:
        raise CellError(f"年度“{text}”不对（2000 年至今年的四位年份）")
    return int(text)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    parse: Callable[[Any], Any] = _text


OFFICER_COLUMNS = (
    Column("姓名", "name", True),
    Column("执法主体", "body", True),
    Column("执法证号", "number", True, _number),
    Column("证件种类", "kind", True, _choice(CertificateKind, "证件种类")),
    Column("发证日期", "issued_on", True, parse_date),
    Column("有效期至", "valid_to", True, parse_date),
    Column("最近审验日期", "reviewed_on", False, parse_date),
    Column("在岗起", "joined_on", False, parse_date),
    Column("离岗日期", "left_on", False, parse_date),
    Column("原执法证号", "previous", False, _number),
)
TRAINING_COLUMNS = (
    Column("执法证号", "number", True, _number),
    Column("年度", "year", True, _year),
    Column("培训学时", "hours", True, _decimal(0, 1000)),
    Column("考试日期", "exam_on", False, parse_date),
    Column("考试成绩", "score", False, _decimal(0, 100)),
    Column("考试结果", "result", False, _choice(ExamResult, "考试结果")),
)
SHEETS = {OFFICER_SHEET: OFFICER_COLUMNS, TRAINING_SHEET: TRAINING_COLUMNS}


# One refused cell, worded as the ledger's (SPEC §9: ``sheet, row N, column: reason``): the same type, not a copy.
RowError = LedgerError


@dataclass
class Row:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class ImportPlan:
    officers: list[Row] = field(default_factory=list)
    training: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    bodies: dict[str, EnforcementBody] = field(default_factory=dict)
    known: dict[str, Certificate] = field(default_factory=dict)
    applied: bool = False
    new_officers: int = 0
    certificates_new: int = 0
    certificates_updated: int = 0
    training_written: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        verb = "已" if self.applied else "将"
        lines = [f"执法人员：{len(self.officers)} 行，培训考试：{len(self.training)} 行"]
        if self.applied:
            lines.append(
                f"{verb}新增执法人员 {self.new_officers} 人，新增执法证 {self.certificates_new} 个，"
                f"更新执法证 {self.certificates_updated} 个，写入培训考试记录 {self.training_written} 条"
            )
        return lines


def _open(source: str | Path | IO[bytes]) -> Any:
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError:
        raise LedgerFileError(f"文件不存在：{source}") from None
    except (InvalidFileException, KeyError, OSError, ValueError, SyntaxError, zlib.error, zipfile.BadZipFile):
        raise LedgerFileError("无法读取该文件：请使用 Excel 工作簿（.xlsx）") from None


def _read(sheet: str, columns: tuple[Column, ...], rows: Iterator[tuple[Any, ...]], plan: ImportPlan) -> list[Row]:
    header = next(rows, None)
    if header is None:
        plan.errors.append(RowError(sheet, 1, "表头", "工作表为空"))
        return []
    at = {_text(h): i for i, h in enumerate(header) if _text(h)}
    missing = [c.header for c in columns if c.required and c.header not in at]
    for name in missing:
        plan.errors.append(RowError(sheet, 1, name, "缺少必填列"))
    if missing:
        return []
    found: list[Row] = []
    for n, cells in enumerate(rows, start=2):
        if all(_text(v) == "" for v in cells):
            continue
        values: dict[str, Any] = {}
        for c in columns:
            i = at.get(c.header)
            raw = cells[i] if i is not None and i < len(cells) else None
            try:
                values[c.field] = c.parse(raw)
            except CellError as error:
                plan.errors.append(RowError(sheet, n, c.header, str(error)))
                values[c.field] = None
                continue
            if c.required and values[c.field] in ("", None):
                plan.errors.append(RowError(sheet, n, c.header, "必填"))
        found.append(Row(sheet, n, values))
    return found


def read_rows(source: str | Path | IO[bytes], plan: ImportPlan) -> None:
    workbook = _open(source)
    try:
        known = [name for name in SHEETS if name in workbook.sheetnames]
        if not known:
            raise LedgerFileError(f"工作簿中没有“{OFFICER_SHEET}”或“{TRAINING_SHEET}”工作表")
        for name in known:
            try:
                rows = _read(name, SHEETS[name], workbook[name].iter_rows(values_only=True), plan)
            except (SyntaxError, zlib.error, zipfile.BadZipFile, EOFError, KeyError, ValueError):
                raise LedgerFileError(f"无法读取工作表“{name}”：文件已损坏，请用 Excel 重新保存后再导入") from None
            (plan.officers if name == OFFICER_SHEET else plan.training).extend(rows)
    finally:
        workbook.close()


def _certificates(numbers: set[str]) -> dict[str, Certificate]:
    found: dict[str, Certificate] = {}
    ordered = sorted(n for n in numbers if n)
    for i in range(0, len(ordered), 900):
        for cert in Certificate.objects.filter(number__in=ordered[i : i + 900]).select_related(
            "officer__body__organisation__region"
        ):
            found[cert.number] = cert
    return found


def plan_import(source: str | Path | IO[bytes], *, by: User | None) -> ImportPlan:
    """Read and check the workbook; ``by`` may only import for bodies they manage (None: the command line, any)."""
    plan = ImportPlan()
    read_rows(source, plan)
    today = timezone.localdate()
    names = {r.values["body"] for r in plan.officers if r.values.get("body")}
    plan.bodies = {
        b.organisation.name: b
        for b in EnforcementBody.objects.filter(organisation__name__in=names).select_related("organisation__region")
    }
    numbers = {r.values.get("number") or "" for r in plan.officers + plan.training}
    numbers |= {r.values.get("previous") or "" for r in plan.officers}
    plan.known = _certificates(numbers)

    def error(row: Row, column: str, reason: str) -> None:
        plan.errors.append(RowError(row.sheet, row.row, column, reason))

    def managed(body: EnforcementBody) -> bool:
        return by is None or can_manage_officers(by, body)

    in_sheet: dict[str, Row] = {}
    for row in plan.officers:
        v = row.values
        body = plan.bodies.get(v.get("body") or "")
        if v.get("body") and body is None:
            error(row, "执法主体", f"“{v['body']}”不是已登记的执法主体（请先在“执法主体”中登记）")
        elif body is not None and not managed(body):
            error(row, "执法主体", f"您无权导入{body.organisation.name}的执法人员")
        number = v.get("number")
        if number:
            if number in in_sheet:
                error(row, "执法证号", f"与第 {in_sheet[number].row} 行重复")
            in_sheet.setdefault(number, row)
            existing = plan.known.get(number)
            if existing is not None and body is not None and existing.officer.body_id != body.pk:
                error(
                    row, "执法证号", f"该证号已属于{existing.officer.body.organisation.name}的{existing.officer.name}"
                )
        issued, valid_to = v.get("issued_on"), v.get("valid_to")
        for fname, header in (("issued_on", "发证日期"), ("reviewed_on", "最近审验日期"), ("joined_on", "在岗起")):
            if v.get(fname) and v[fname] > today:
                error(row, header, "不能晚于今天")
        if issued and valid_to and valid_to < issued:
            error(row, "有效期至", f"早于发证日期（{issued:%Y-%m-%d}）")
        if issued and v.get("reviewed_on") and v["reviewed_on"] < issued:
            error(row, "最近审验日期", f"早于发证日期（{issued:%Y-%m-%d}）")
        joined = v.get("joined_on") or issued
        if joined and v.get("left_on") and v["left_on"] < joined:
            error(row, "离岗日期", f"早于在岗起（{joined:%Y-%m-%d}）")
        previous = v.get("previous")
        if previous:
            old = plan.known.get(previous)
            if old is None:
                error(row, "原执法证号", f"“{previous}”不存在")
            elif body is not None and old.officer.body_id != body.pk:
                error(row, "原执法证号", f"“{previous}”属于{old.officer.body.organisation.name}，不是本执法主体")
            elif number and number in plan.known and plan.known[number].officer_id != old.officer_id:
                error(row, "原执法证号", "与本行执法证号不属于同一执法人员")
    seen: dict[tuple[str, int], int] = {}
    for row in plan.training:
        v = row.values
        number = v.get("number")
        if number:
            cert = plan.known.get(number)
            if cert is None and number not in in_sheet:
                error(row, "执法证号", f"“{number}”不存在（既未登记，也不在“{OFFICER_SHEET}”工作表中）")
            elif cert is not None and not managed(cert.officer.body):
                error(row, "执法证号", f"您无权导入{cert.officer.body.organisation.name}的执法人员")
            if v.get("year"):
                key = (number, v["year"])
                if key in seen:
                    error(row, "年度", f"与第 {seen[key]} 行重复（同一证号同一年度）")
                seen.setdefault(key, row.row)
        if v.get("exam_on") and v["exam_on"] > today:
            error(row, "考试日期", "不能晚于今天")
        if v.get("score") is not None and not v.get("result"):
            error(row, "考试结果", "填写了考试成绩时必填")
    plan.errors.sort(key=lambda e: (list(SHEETS).index(e.sheet), e.row))
    return plan


@transaction.atomic
def apply_import(plan: ImportPlan, *, by: User | Actor) -> ImportPlan:
    """Write a plan without errors: officers and certificates first, then the training records."""
    if not plan.ok:
        raise ValueError("有错误的导入计划不能写入")
    touched: list[Certificate] = []
    replaced: list[int] = []
    by_number: dict[str, Certificate] = dict(plan.known)
    for row in plan.officers:
        v = row.values
        body = plan.bodies[v["body"]]
        issued = v["issued_on"]
        fields = {
            "kind": v["kind"],
            "issued_on": issued,
            "valid_to": v["valid_to"],
            "reviewed_on": v.get("reviewed_on"),
            "review_due_on": rules.review_due(issued, v.get("reviewed_on")),
        }
        cert = by_number.get(v["number"])
        if cert is not None:
            officer = cert.officer
            changed = {
                k: [str(getattr(cert, k) or ""), str(val or "")] for k, val in fields.items() if getattr(cert, k) != val
            }
            for k, val in fields.items():
                setattr(cert, k, val)
            cert.save()
            plan.certificates_updated += 1
            summary = f"导入更新执法证{cert.number}"
        else:
            old = by_number.get(v.get("previous") or "")
            if old is not None:
                officer = old.officer
                replaced.append(old.pk)
                # 换发: the old number stops being valid the day the new one is issued.
                if old.revoked_on is None or old.revoked_on > issued:
                    old.revoked_on = issued
                    old.save(update_fields=["revoked_on"])
                summary = f"导入换发执法证{v['number']}（原证{old.number}）"
            else:
                officer = Officer.objects.create(
                    body=body, name=v["name"], joined_on=v.get("joined_on") or issued, left_on=v.get("left_on")
                )
                plan.new_officers += 1
                summary = f"导入执法人员，执法证{v['number']}"
            cert = Certificate.objects.create(officer=officer, number=v["number"], **fields)
            cert.officer = officer
            by_number[cert.number] = cert
            plan.certificates_new += 1
            changed = {}
        held = {"name": v["name"], "left_on": v.get("left_on"), "joined_on": v.get("joined_on") or officer.joined_on}
        if any(getattr(officer, name) != value for name, value in held.items()):  # a new officer holds them already
            for name, value in held.items():
                setattr(officer, name, value)
            officer.save(update_fields=list(held))
        touched.append(cert)
        record_event(officer, by=by, action="officer_imported", summary=summary, changes=changed)
    keep_certificate_warnings(touched, replaced)
    _write_training(plan, by_number)
    plan.applied = True
    return plan


def _write_training(plan: ImportPlan, by_number: dict[str, Certificate]) -> None:
    """The training sheet's rows: a year the officer has on record is replaced, the others are added. One read of the
    records on file and two bulk writes, instead of an ``update_or_create`` (three or four statements) a row."""
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    for row in plan.training:
        v = row.values
        wanted[(by_number[v["number"]].officer_id, v["year"])] = {
            "hours": v["hours"], "exam_on": v.get("exam_on"), "score": v.get("score"), "result": v.get("result") or "",
        }  # fmt: skip
    officer_ids = {officer_id for officer_id, _year in wanted}
    on_file = {
        (r.officer_id, r.year): r for r in TrainingRecord.objects.filter(officer_id__in=officer_ids).select_for_update()
    }
    changed, added = [], []
    for (officer_id, year), values in wanted.items():
        record = on_file.get((officer_id, year))
        if record is None:
            added.append(TrainingRecord(officer_id=officer_id, year=year, **values))
            continue
        for name, value in values.items():
            setattr(record, name, value)
        changed.append(record)
    TrainingRecord.objects.bulk_update(changed, ["hours", "exam_on", "score", "result"], batch_size=500)
    TrainingRecord.objects.bulk_create(added, batch_size=500)
    plan.training_written += len(plan.training)


def write_template(stream: IO[bytes]) -> None:
    """An empty workbook with both sheets' headers (required ones in bold)."""
    workbook = Workbook()
    first = True
    for name, columns in SHEETS.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        first = False
        sheet.append([c.header for c in columns])
        for cell, c in zip(sheet[1], columns, strict=True):
            cell.font = Font(bold=c.required)
    workbook.save(stream)
