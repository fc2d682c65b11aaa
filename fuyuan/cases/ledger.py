"""The Excel ledger (台账) of cases: reading, validating and importing it, and writing it back out (SPEC §9).

An import is two steps sharing one report: ``plan_import`` reads and checks every row against the database
without writing, and ``apply_import`` writes the plan in one transaction. If any row has an error the plan is
never applied, so an import is all or nothing. The export writes the same sheets and columns, so an exported
list can be imported again and changes nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from fuyuan.cases.choices import (
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
)
from fuyuan.cases.models import Case, ImportStage
from fuyuan.cases.rules import DATE_ORDERS, PAST_DATES, CaseError, CaseInvalid, case_errors, check_case
from fuyuan.cases.rules import label as rule_label
from fuyuan.cases.signals import cases_changed
from fuyuan.cases.workflow import (
    FILE_KEPT_MESSAGE,
    case_values,
    cases_with_a_file,
    describe_changes,
    insert_new_cases,
    moves_the_file,
    place_case,
)
from fuyuan.core.masking import mask_personal_text
from fuyuan.core.models import Organisation, OrganisationKind, Region
from fuyuan.core.queries import county_map
from fuyuan.core.timeline import Actor, PendingEvent, record_events
from fuyuan.core.xlsx_stream import stream_workbook
from fuyuan.stats import counts as figure_counts

LITIGATION_SHEET = "行政诉讼"
RECONSIDERATION_SHEET = "行政复议"


# A long import reports how far it is (the web import's job, ``cases.import_jobs``): the stage, the rows done and
# the rows in all (None while unknown), every PROGRESS_EVERY rows and at the end of each stage.
Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 500


class _Counter:
    def __init__(self, progress: Progress | None, stage: str, total: int | None) -> None:
        self.progress, self.stage, self.total, self.done = progress, stage, total, 0
        if progress is not None:
            progress(stage, 0, total)

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.stage, self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.stage, self.done, self.total if self.total is not None else self.done)


class CellError(Exception):
    """A cell's value cannot be used; the message says why, in Chinese."""


class LedgerFileError(Exception):
    """The file as a whole cannot be read (not a workbook, no known sheet)."""


# Parsers: cell value → field value, raising CellError.


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> datetime.date | None:
    """Real Excel dates, or text ``2021-03-05``, ``2021/3/5``, ``2021.3.5``, ``2021年3月5日``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = _DATE_TEXT.match(text)
    if not match:
        raise CellError(f"不是日期“{text}”（应为 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日）")
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(f"日期不存在“{text}”") from None


def _choice(choices: type[models.TextChoices], what: str) -> Callable[[Any], str]:
    by_label = {str(label): value for value, label in choices.choices}

    def parse(value: Any) -> str:
        text = _text(value)
        if not text:
            return ""
        if text not in by_label:
            raise CellError(f"未知的{what}“{text}”（可填：{'、'.join(by_label)}）")
        return by_label[text]

    return parse


def _yes_no(value: Any) -> bool | None:
    text = _text(value)
    if not text:
        return None
    if text in {"是", "否"}:
        return text == "是"
    raise CellError(f"只能填“是”“否”或留空，而不是“{text}”")


def _label_of(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, "")) if value else ""


def _date_out(value: Any) -> Any:
    return value


def _masked_text(value: Any) -> str:
    """Free text as an export shows it: ID numbers and phones masked (``core.masking.mask_personal_text``)."""
    return mask_personal_text(_text(value))


def _yes_no_out(value: Any) -> str:
    return "" if value is None else ("是" if value else "否")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    parse: Callable[[Any], Any] = _text
    render: Callable[[Any], Any] = _text
    allowed: str = ""


def _choice_column(header: str, name: str, choices: type[models.TextChoices], required: bool = False) -> Column:
    return Column(
        header,
        name,
        required,
        _choice(choices, header),
        _label_of(choices),
        "、".join(str(label) for _, label in choices.choices),
    )


def _date_column(header: str, name: str, required: bool = False) -> Column:
    return Column(header, name, required, parse_date, _date_out, "日期")


# Fields named with a leading underscore are resolved to organisations/regions by name.
LITIGATION_COLUMNS = (
    Column("案号", "number", True),
    Column("法院", "_forum", True),
    _choice_column("审级", "instance", Instance, True),
    Column("被告", "_defendant", True),
    Column("被告所属地区", "_region", True),
    Column("原告", "plaintiffs"),
    _choice_column("案由", "cause", ActType),
    _choice_column("领域", "domain", Domain),
    # SPEC §9 "Case summaries": optional on both sheets; its length is a case rule (``rules.SUMMARY_MAX``).
    Column("案情摘要", "summary", False, _text, _masked_text, "文字，最多 2000 字"),
    _date_column("立案日期", "filed_on", True),
    _date_column("开庭日期", "hearing_on"),
    Column("负责人出庭", "head_appeared", False, _yes_no, _yes_no_out, "是、否或留空"),
    Column("出庭负责人", "appeared_head"),
    # Not among SPEC §9's columns (unknown columns are ignored, so this one is additive): feeds 出声率.
    Column("负责人出声", "head_spoke", False, _yes_no, _yes_no_out, "是、否或留空（仅负责人出庭为“是”时填写）"),
    _date_column("结案日期", "concluded_on"),
    _choice_column("结案方式", "outcome", LitigationOutcome),
)
RECONSIDERATION_COLUMNS = (
    Column("案号", "number", True),
    Column("复议机构", "_forum", True),
    Column("被申请人", "_defendant", True),
    Column("被申请人所属地区", "_region", True),
    Column("申请人", "plaintiffs"),
    _choice_column("案由", "cause", ActType),
    _choice_column("领域", "domain", Domain),
    Column("案情摘要", "summary", False, _text, _masked_text, "文字，最多 2000 字"),
    _date_column("收案日期", "received_on", True),
    _choice_column("受理情况", "acceptance", Acceptance),
    _date_column("受理日期", "accepted_on"),
    _date_column("结案日期", "concluded_on"),
    _choice_column("结案方式", "outcome", ReconsiderationOutcome),
)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    kind: str
    columns: tuple[Column, ...]
    forum_field: str
    forum_kind: str

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def header_of(self, name: str) -> str:
        return next(c.header for c in self.columns if c.field == name)


SHEETS = (
    SheetSpec(LITIGATION_SHEET, CaseKind.LITIGATION, LITIGATION_COLUMNS, "court", OrganisationKind.COURT),
    SheetSpec(
        RECONSIDERATION_SHEET,
        CaseKind.RECONSIDERATION,
        RECONSIDERATION_COLUMNS,
        "reconsideration_body",
        OrganisationKind.JUSTICE_BUREAU,
    ),
)


@dataclass(frozen=True)
class LedgerError:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}, {self.column}: {self.reason}"


@dataclass
class LedgerRow:
    sheet: SheetSpec
    row: int
    values: dict[str, Any]
    forum: str
    defendant: str
    region: str

    @property
    def number(self) -> str:
        return str(self.values["number"])


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot: the report shown before and after writing."""

    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    root: str | None = None
    root_is_new: bool = False
    new_regions: list[str] = field(default_factory=list)
    new_organisations: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (kind, region name)
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        verb = "已" if self.applied else "将"
        lines = []
        for sheet, c in self.counts.items():
            lines.append(f"{sheet}：{verb}新增 {c.created} 件，{verb}更新 {c.updated} 件，未变 {c.unchanged} 件")
        if self.root_is_new and self.root:
            lines.append(f"{verb}新建顶级地区：{self.root}")
        if self.new_regions:
            lines.append(f"{verb}新建地区（{self.root} 下）：{'、'.join(self.new_regions)}")
        if self.new_organisations:
            kinds = dict(OrganisationKind.choices)
            listed = "、".join(f"{n}（{kinds[k]}，{r}）" for n, (k, r) in self.new_organisations.items())
            lines.append(f"{verb}新建单位：{listed}")
        return lines


def _open_workbook(source: str | Path | IO[bytes]) -> CalamineWorkbook:
    """The ledger opened by calamine (python-calamine), which reads a workbook's cells in Rust: a tenth of the time
    openpyxl took, which was the largest part of an import."""
    if isinstance(source, str | Path) and not Path(source).is_file():
        raise LedgerFileError(f"文件不存在：{source}")
    try:
        if isinstance(source, str | Path):
            return CalamineWorkbook.from_path(source)
        return CalamineWorkbook.from_filelike(source)
    except (CalamineError, OSError, ValueError):
        raise LedgerFileError("无法读取该文件：请使用 Excel 工作簿（.xlsx）") from None


def read_rows(
    source: str | Path | IO[bytes], progress: Progress | None = None
) -> tuple[list[LedgerRow], list[LedgerError]]:
    """Parse every row of the known sheets, with no database access."""
    workbook = _open_workbook(source)
    try:
        known = [spec for spec in SHEETS if spec.name in workbook.sheet_names]
        if not known:
            raise LedgerFileError(f"工作簿中没有“{LITIGATION_SHEET}”或“{RECONSIDERATION_SHEET}”工作表")
        sheets = []
        for spec in known:
            try:
                sheets.append((spec, workbook.get_sheet_by_name(spec.name)))
            except (CalamineError, ValueError):
                # The sheet's XML is read when the sheet is taken: a damaged sheet (broken XML, a corrupt zip member)
                # shows here, not when the file is opened.
                raise LedgerFileError(f"无法读取工作表“{spec.name}”：文件已损坏，请用 Excel 重新保存后再导入") from None
        rows: list[LedgerRow] = []
        errors: list[LedgerError] = []
        counter = _Counter(progress, ImportStage.READ, sum(_rows_below_headers(sheet) for _, sheet in sheets))
        for spec, sheet in sheets:
            _read_sheet(spec, sheet.iter_rows(), rows, errors, counter)
        counter.finish()
        return rows, errors
    finally:
        workbook.close()


def _rows_below_headers(sheet: CalamineSheet) -> int:
    """The rows the sheet holds below its first (the headers): calamine's rows start at the sheet's first row, empty
    rows above the first filled one included, so that a row's index is its row number in Excel less one."""
    return max((sheet.start[0] + sheet.height if sheet.start else 0) - 1, 0)


def _read_sheet(
    spec: SheetSpec,
    cells: Iterator[list[Any]],
    rows: list[LedgerRow],
    errors: list[LedgerError],
    counter: _Counter,
) -> None:
    header_row = next(cells, None) or ()
    positions = {_text(h): i for i, h in enumerate(header_row) if _text(h)}
    missing = [c.header for c in spec.columns if c.required and c.header not in positions]
    for header in missing:
        errors.append(LedgerError(spec.name, 1, header, "缺少必填列"))
    if missing:
        return
    present = [(c, positions[c.header]) for c in spec.columns if c.header in positions]
    for row_number, raw in enumerate(cells, start=2):
        counter.tick()
        if not raw or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        values: dict[str, Any] = {}
        row_errors: list[LedgerError] = []
        for column, index in present:
            cell = raw[index] if index < len(raw) else None
            try:
                value = column.parse(cell)
            except CellError as exc:
                row_errors.append(LedgerError(spec.name, row_number, column.header, str(exc)))
                continue
            if column.required and value in ("", None):
                row_errors.append(LedgerError(spec.name, row_number, column.header, "必填项为空"))
                continue
            limit = _max_length(column.field)
            if isinstance(value, str) and limit and len(value) > limit:
                row_errors.append(
                    LedgerError(spec.name, row_number, column.header, f"内容过长：{len(value)} 个字，最多 {limit} 个字")
                )
                continue
            values[column.field] = value
        if not row_errors:
            row_errors = _check_row(spec, row_number, values)
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            LedgerRow(
                sheet=spec,
                row=row_number,
                forum=values.pop("_forum"),
                defendant=values.pop("_defendant"),
                region=values.pop("_region"),
                values={**values, "kind": spec.kind},
            )
        )


def _max_length(field: str) -> int | None:
    """The most characters the column's database field holds (names of organisations and regions included)."""
    if field in ("_forum", "_defendant"):
        return Organisation._meta.get_field("name").max_length
    if field == "_region":
        return Region._meta.get_field("name").max_length
    return getattr(Case._meta.get_field(field), "max_length", None)


def _check_row(spec: SheetSpec, row: int, values: dict[str, Any]) -> list[LedgerError]:
    """What the row alone says beyond its cells: a reconsideration left without 受理情况 was accepted if it was
    concluded, else is pending. The case rules are checked on the case as the row would leave it (``plan_import``)."""
    if spec.kind == CaseKind.RECONSIDERATION and "acceptance" in values and not values["acceptance"]:
        values["acceptance"] = Acceptance.ACCEPTED if values.get("concluded_on") else Acceptance.PENDING
    return []


def _rule_errors(row: LedgerRow, case: Case | None, today: datetime.date) -> list[LedgerError]:
    """The case rules (``cases.rules``) on the case as this row would leave it — a case on file keeps the fields
    the ledger has no column for — each reported on the row's column of the first field it concerns."""
    values = {
        **(case_values(case) if case is not None else {}),
        **row.values,
        row.sheet.forum_field: row.forum,
        "defendant": row.defendant,
    }
    columns = {c.field: c.header for c in row.sheet.columns}
    columns.update({row.sheet.forum_field: columns["_forum"], "defendant": columns["_defendant"]})
    errors = []
    for error in case_errors(values, today=today):
        header = next((columns[f] for f in error.fields if f in columns), "案号")
        errors.append(LedgerError(row.sheet.name, row.row, header, error.message))
    return errors


def _chunks(items: list[str], size: int = 900) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def plan_import(
    source: str | Path | IO[bytes],
    *,
    root: str | None = None,
    scope: Region | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and check a ledger against the database. Writes nothing.

    ``root`` is ``--region``: unknown region names are created under it. ``scope`` (the web import) limits the
    rows to the user's region subtree. ``progress`` hears how far the reading (读取) and the checking (校验) are.
    """
    plan = ImportPlan(root=root)
    plan.rows, plan.errors = read_rows(source, progress)
    for spec in SHEETS:
        if any(r.sheet is spec for r in plan.rows) or any(e.sheet == spec.name for e in plan.errors):
            plan.counts[spec.name] = SheetCounts()

    seen: dict[str, LedgerRow] = {}
    for r in plan.rows:
        if r.number in seen:
            first = seen[r.number]
            plan.errors.append(
                LedgerError(r.sheet.name, r.row, "案号", f"案号重复（与{first.sheet.name}第 {first.row} 行相同）")
            )
        else:
            seen[r.number] = r

    regions = {r.name: r for r in Region.objects.all()}
    orgs = {o.name: o for o in Organisation.objects.select_related("region")}
    root_region = regions.get(root) if root else None
    plan.root_is_new = bool(root) and root_region is None
    existing = _existing_cases(list(seen))
    today = timezone.localdate()

    new_regions: dict[str, None] = {}
    # Rows that would give a reconsideration case another body: refused if the case is a file's (``check_file_kept``).
    moving: list[tuple[LedgerRow, Case]] = []
    counter = _Counter(progress, ImportStage.CHECK, len(plan.rows))
    for r in plan.rows:
        counter.tick()
        plan.errors.extend(_rule_errors(r, existing.get(r.number), today))
        region = regions.get(r.region)
        sheet = r.sheet.name
        region_header = r.sheet.header_of("_region")
        if region is None:
            if not root:
                plan.errors.append(
                    LedgerError(
                        sheet, r.row, region_header, f"地区“{r.region}”不存在；请用 --region 指定新地区的上级地区"
                    )
                )
                continue
            if r.region != root:
                new_regions[r.region] = None
        elif scope is not None and not region.path.startswith(scope.path):
            plan.errors.append(LedgerError(sheet, r.row, region_header, f"地区“{r.region}”超出您的管辖范围"))
            continue
        defendant_header = r.sheet.header_of("_defendant")
        forum_header = r.sheet.header_of("_forum")
        for name, header, kind in (
            (r.defendant, defendant_header, OrganisationKind.AGENCY),
            (r.forum, forum_header, r.sheet.forum_kind),
        ):
            org = orgs.get(name)
            if org is not None:
                if org.region.name != r.region and header == defendant_header:
                    plan.errors.append(
                        LedgerError(
                            sheet, r.row, header, f"“{name}”已登记在“{org.region.name}”，与本行的“{r.region}”不一致"
                        )
                    )
                continue
            planned = plan.new_organisations.get(name)
            if planned is None:
                plan.new_organisations[name] = (kind, r.region)
            elif planned[1] != r.region and header == defendant_header:
                plan.errors.append(
                    LedgerError(sheet, r.row, header, f"“{name}”在本表中出现于不同地区（“{planned[1]}”与“{r.region}”）")
                )
        known = existing.get(r.number)
        if known is not None:
            if known.kind != r.sheet.kind:
                other = LITIGATION_SHEET if known.kind == CaseKind.LITIGATION else RECONSIDERATION_SHEET
                plan.errors.append(LedgerError(sheet, r.row, "案号", f"该案号已登记为{other}案件"))
            elif scope is not None and not known.region.path.startswith(scope.path):
                plan.errors.append(LedgerError(sheet, r.row, "案号", "该案件超出您的管辖范围"))
            elif known.kind == CaseKind.RECONSIDERATION and getattr(known.reconsideration_body, "name", "") != r.forum:
                moving.append((r, known))
    counter.finish()
    handled = cases_with_a_file(known.pk for _, known in moving)
    for r, known in moving:
        if known.pk in handled:
            plan.errors.append(LedgerError(r.sheet.name, r.row, r.sheet.header_of("_forum"), FILE_KEPT_MESSAGE))
    plan.new_regions = list(new_regions)
    sheet_order = [spec.name for spec in SHEETS]
    plan.errors.sort(key=lambda e: (sheet_order.index(e.sheet), e.row))
    if plan.ok:
        compare_orgs = {**orgs, **{name: Organisation(name=name) for name in plan.new_organisations}}
        for r in plan.rows:
            counts = plan.counts[r.sheet.name]
            case = existing.get(r.number)
            if case is None:
                counts.created += 1
            elif describe_changes(case, _row_values(r, compare_orgs)):
                counts.updated += 1
            else:
                counts.unchanged += 1
    return plan


def _existing_cases(numbers: list[str]) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for chunk in _chunks(numbers):
        qs = Case.objects.filter(number__in=chunk).select_related(
            "court", "reconsideration_body", "defendant", "predecessor", "region"
        )
        cases.update((c.number, c) for c in qs)
    return cases


def _row_values(row: LedgerRow, orgs: dict[str, Organisation]) -> dict[str, Any]:
    """The row's field values with its organisations resolved (what a case would hold after the import)."""
    return {**row.values, row.sheet.forum_field: orgs[row.forum], "defendant": orgs[row.defendant]}


class UnconfirmedRegions(ValueError):
    """The web import names regions the person importing has not confirmed one by one (issue 13 item 4)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"以下新地区未经确认，未导入任何数据：{'、'.join(names)}")
        self.names = names


@transaction.atomic
def apply_import(plan: ImportPlan, *, by: Actor, confirmed_regions: Collection[str] | None = None) -> ImportPlan:
    """Write a checked plan in one transaction: regions, organisations, cases and their timeline events.
    ``confirmed_regions`` (the web import) are the new region names the person ticked; any other new region makes
    the import refuse (``UnconfirmedRegions``) before anything is written. The command line passes none: there
    ``--region`` is the consent (SPEC §9)."""
    if not plan.ok:
        raise ValueError("有错误的台账不能导入")
    if confirmed_regions is not None:
        unconfirmed = [name for name in plan.new_regions if name not in confirmed_regions]
        if unconfirmed:
            raise UnconfirmedRegions(unconfirmed)
    regions = {r.name: r for r in Region.objects.all()}
    if plan.root and plan.root not in regions:
        regions[plan.root] = Region.objects.create(name=plan.root, level=Region.child_level(None))
    for name in plan.new_regions:
        parent = regions[plan.root] if plan.root else None
        regions[name] = Region.objects.create(name=name, level=Region.child_level(parent), parent=parent)
    orgs = {o.name: o for o in Organisation.objects.all()}
    for name, (kind, region_name) in plan.new_organisations.items():
        orgs[name] = Organisation.objects.create(name=name, kind=kind, region=regions[region_name])
    county_of = county_map()

    by_number = {r.number: r for r in plan.rows}
    existing = _existing_cases(list(by_number))
    today = timezone.localdate()

    for counts in plan.counts.values():
        counts.created = counts.updated = counts.unchanged = 0
    created: list[Case] = []
    updated: list[tuple[Case, dict[str, list[str]]]] = []
    fields_touched: set[str] = set()
    moved: list[int] = []
    for number, r in by_number.items():
        values = _row_values(r, orgs)
        case = existing.get(number)
        # The plan was checked; the cases are checked again as written, by the one function every write passes.
        check_case({**(case_values(case) if case is not None else {}), **values}, today=today)
        defendant = values.pop("defendant")
        counts = plan.counts[r.sheet.name]
        if case is None:
            case = Case(**values)
            place_case(case, defendant, county_of)
            created.append(case)
            counts.created += 1
            continue
        values["defendant"] = defendant
        if moves_the_file(case, values):
            moved.append(case.pk)
        changes = describe_changes(case, values)
        if not changes:
            counts.unchanged += 1
            continue
        for name, value in values.items():
            setattr(case, name, value)
        place_case(case, defendant, county_of)
        fields_touched.update(values)
        updated.append((case, changes))
        counts.updated += 1

    if moved and cases_with_a_file(moved):  # checked by the plan; a file received since is kept too
        raise CaseInvalid([CaseError("reconsideration_body", FILE_KEPT_MESSAGE, ("kind",))])
    insert_new_cases(created)
    if updated:
        fields = sorted({*fields_touched, "defendant", "region", "county"} - {"kind", "number"})
        Case.objects.bulk_update([c for c, _ in updated], [*fields, "updated_at"], batch_size=1000)
        ids = [c.pk for c, _ in updated]
        for i in range(0, len(ids), 900):
            Case.objects.filter(pk__in=ids[i : i + 900]).update(version=F("version") + 1)
    record_events(
        [
            *(PendingEvent(c, "imported", f"台账导入登记 {c.number}") for c in created),
            *(PendingEvent(c, "import_updated", "台账导入更新", changes) for c, changes in updated),
        ],
        by=by,
    )
    cases_changed.send(sender=Case, case_ids=[c.pk for c in created], cases=created, new=True)
    cases_changed.send(sender=Case, case_ids=[c.pk for c, _ in updated], cases=[c for c, _ in updated])
    # The figures' counts, in the import's transaction (stats.counts).
    figure_counts.refresh([*(c.pk for c in created), *(c.pk for c, _ in updated)])
    plan.applied = True
    return plan


# Writing ledgers: the export and the empty template.

REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FONT = Font(bold=True)


def _export_row(spec: SheetSpec, case: Case) -> list[Any]:
    row: list[Any] = []
    for column in spec.columns:
        if column.field == "_forum":
            forum = case.court if spec.kind == CaseKind.LITIGATION else case.reconsideration_body
            row.append(forum.name if forum else "")
        elif column.field == "_defendant":
            row.append(case.defendant.name)
        elif column.field == "_region":
            row.append(case.region.name)
        elif column.field == "outcome":
            row.append(case.outcome_label)
        else:
            row.append(column.render(getattr(case, column.field)))
    return row


def stream_ledger(cases: QuerySet[Case]) -> Iterator[bytes]:
    """``write_ledger``'s workbook as it is written (``core.xlsx_stream``): each sheet's cases are read in chunks
    while the bytes already written are sent, so a long export starts at once and never waits to the end."""

    def rows_of(spec: SheetSpec) -> Iterator[list[Any]]:
        yield list(spec.headers)
        qs = cases.filter(kind=spec.kind).select_related("court", "reconsideration_body", "defendant", "region")
        for case in qs.order_by("id").iterator(chunk_size=2000):
            yield _export_row(spec, case)

    return stream_workbook([(spec.name, rows_of(spec)) for spec in SHEETS])


def _date_rules_note() -> str:
    """The case rules' dates (``cases.rules``) as the template states them, for the columns a ledger has."""
    columns = {c.field for spec in SHEETS for c in spec.columns}
    past = "、".join(dict.fromkeys(rule_label(f) for f in PAST_DATES if f in columns))
    orders = "；".join(
        f"{rule_label(o.later)}不能早于{rule_label(o.earlier)}"
        for o in DATE_ORDERS
        if o.later in columns and o.earlier in columns
    )
    return f"日期须真实：{past}不能晚于导入当天；{orders}。"


def write_template(stream: IO[bytes]) -> None:
    """An empty ledger: both sheets with their headers (required ones shaded) and a sheet of instructions."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.name)
        sheet.append(spec.headers)
        for cell, column in zip(sheet[1], spec.columns, strict=True):
            cell.font = HEADER_FONT
            if column.required:
                cell.fill = REQUIRED_FILL
            sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 4)
    notes = workbook.create_sheet("填写说明")
    notes.append(["工作表", "列名", "是否必填", "可填写的内容"])
    for cell in notes[1]:
        cell.font = HEADER_FONT
    for spec in SHEETS:
        for column in spec.columns:
            allowed = column.allowed
            if allowed == "日期":
                allowed = "日期：Excel 日期，或 2021-03-05、2021/3/5、2021.3.5、2021年3月5日"
            notes.append([spec.name, column.header, "必填" if column.required else "", allowed or "文字"])
    notes.append([])
    notes.append(["说明", "第一行为列名，列的顺序不限，未知的列将被忽略；案号已存在的案件将被更新而不是重复登记。"])
    notes.append(["说明", "任何一行有错误时整个台账都不会导入，并逐行列出错误（工作表、行号、列名、原因）。"])
    notes.append(["说明", _date_rules_note()])
    for letter, width in zip("ABCD", (12, 18, 10, 90), strict=True):
        notes.column_dimensions[letter].width = width
    workbook.save(stream)
