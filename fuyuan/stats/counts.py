"""The figures' counts kept current (issue 19 §1): ``FigureCount`` rows per month, changed in the transaction of
every case change, so that the dashboard and ``fuyuan stats`` read a small table instead of the cases.

Every write of a case calls ``refresh(case_ids)`` by name after writing, inside its transaction:
``cases.workflow`` (register, edit, hearing attendance — and so the reconsideration, dispute, hearing and API
workflows that go through it), ``cases.ledger`` (an import, new and updated cases), the demo data and the test
factory; a case deleted (no workflow deletes one; the admin or a shell may) is refreshed from ``post_delete``
(``stats.apps``). ``refresh`` compares each case with its ``CountedCase`` (its values as last counted), takes the
old contribution away and adds the new one: it needs nothing from its caller but the ids, and running it twice
changes nothing.

The 败诉原因 (SPEC §6.3) are counted too (grains "review" and "reason", ``FigureCount``): a case's snapshot keeps its
loss review as counted (its agency and causes while its 倒查 is recorded and it is not withdrawn), so a case edit
moves its review's causes with it, and the review's own workflow (``accountability.losses``: the 倒查 recorded, a
review withdrawn or resumed) calls ``refresh`` by name for its case; a review deleted is refreshed from
``post_delete`` (``stats.apps``).

Reading (``figures``): a window is cut into whole months, read from ``FigureCount``, and the days at either end
that do not fill a month, read from the cases through the dates' indexes (``split``); so every window, today's
included, gives exactly the numbers of a full recount. ``fuyuan stats --verify`` recounts the cases and compares
(``verify``); ``fuyuan stats --rebuild`` writes the counts afresh (``rebuild``), for an operator after a restore. Changing the
outcome settings (``FUYUAN_LOSS_OUTCOMES`` …) needs no rebuild: the rows keep the outcome itself, and the sets are
applied when reading, as on the cases.
"""

from __future__ import annotations

import calendar
import datetime
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Substr, TruncMonth
from django.db.models.lookups import StartsWith

from fuyuan.accountability.models import LossCause, LossReviewState
from fuyuan.cases.choices import CaseKind, Instance
from fuyuan.cases.models import Case
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Region
from fuyuan.stats.models import CountedCase, FigureCount

# The dates a figure places a case by (SPEC §9), per kind; litigation counts 一审 only.
DATES = {
    CaseKind.LITIGATION: ("filed_on", "concluded_on", "hearing_on"),
    CaseKind.RECONSIDERATION: ("received_on", "concluded_on"),
}
# The values the measures of each date read (figures._measures' conditions); the others are left blank.
CONDITIONS = {
    "filed_on": (),
    "concluded_on": ("outcome",),
    "hearing_on": ("head_appeared", "head_spoke", "head_absence_reason"),
    "received_on": ("acceptance",),
}
# Each grain and the grouping column it keeps; "cause" only for 结案 (the losses by 案由).
GRAINS = {"county": "", "agency": "defendant_id", "domain": "domain", "cause": "cause"}
KEY = (
    "grain",
    "field",
    "month",
    "region_id",
    "county_id",
    "defendant_id",
    "domain",
    "cause",
    "kind",
    "instance",
    "outcome",
    "acceptance",
    "head_appeared",
    "head_spoke",
    "head_absence_reason",
)
BLANK: dict[str, Any] = {
    "defendant_id": None,
    "domain": "",
    "cause": "",
    "outcome": "",
    "acceptance": "",
    "head_appeared": None,
    "head_spoke": None,
    "head_absence_reason": "",
}
SNAPSHOT = (
    "kind",
    "instance",
    "region_id",
    "county_id",
    "defendant_id",
    "domain",
    "cause",
    "filed_on",
    "concluded_on",
    "hearing_on",
    "received_on",
    "outcome",
    "acceptance",
    "head_appeared",
    "head_spoke",
    "head_absence_reason",
)
# The case's loss review as counted (``CountedCase.review_agency_id``, ``review_causes``): grains "review" and
# "reason" (the 败诉原因, under 结案日期).
REVIEW = ("review_agency_id", "review_causes")
REVIEW_GRAINS = ("review", "reason")
# A review's states that count: every one but 已撤销 (its case is no longer a loss; figures.analysed_filter).
COUNTED_STATES = tuple(s for s in LossReviewState.values if s != LossReviewState.WITHDRAWN)
CHUNK = 900
# Up to this many changed keys are looked up by their keys; more (an import) by their months and counties.
EXACT = 64

Key = tuple[Any, ...]


def _grains(field: str) -> Iterator[tuple[str, str]]:
    for grain, column in GRAINS.items():
        if grain != "cause" or field == "concluded_on":
            yield grain, column


def contributions(values: dict[str, Any]) -> Iterator[Key]:
    """The ``FigureCount`` keys one case (its ``SNAPSHOT`` values) adds one to."""
    kind = values["kind"]
    if kind == CaseKind.LITIGATION and values["instance"] != Instance.FIRST:
        return
    for field in DATES.get(kind, ()):
        day = values[field]
        if day is None:
            continue
        base = {
            **BLANK,
            "field": field,
            "month": day.replace(day=1),
            "region_id": values["region_id"],
            "county_id": values["county_id"],
            "kind": kind,
            "instance": values["instance"],
            **{name: values[name] for name in CONDITIONS[field]},
        }
        for grain, column in _grains(field):
            row = {**base, "grain": grain}
            if column:
                row[column] = values[column]
            yield tuple(row[k] for k in KEY)
    day = values["concluded_on"]
    if kind == CaseKind.LITIGATION and day is not None and values.get("review_agency_id") is not None:
        # The 败诉原因: the review once, and once under each cause it names.
        base = {
            **BLANK,
            "field": "concluded_on",
            "month": day.replace(day=1),
            "region_id": values["region_id"],
            "county_id": values["county_id"],
            "kind": kind,
            "instance": values["instance"],
            "outcome": values["outcome"],
            "defendant_id": values["review_agency_id"],
            "domain": values["domain"],
        }
        yield tuple({**base, "grain": "review"}[k] for k in KEY)
        for cause in values["review_causes"].split(",") if values["review_causes"] else ():
            yield tuple({**base, "grain": "reason", "cause": cause}[k] for k in KEY)


def review_values(state: str | None, analysis_on: Any, agency_id: int | None, causes: Any) -> dict[str, Any]:
    """A case's loss review as counted (``REVIEW``): its agency and its causes (the codes of ``LossCause`` it names,
    in their order) when its 倒查 is recorded and it is not withdrawn; null and blank otherwise (no review)."""
    if agency_id is None or analysis_on is None or state not in COUNTED_STATES:
        return {"review_agency_id": None, "review_causes": ""}
    if isinstance(causes, str):
        causes = json.loads(causes)
    named = set(causes or ())
    return {"review_agency_id": agency_id, "review_causes": ",".join(c for c in LossCause.values if c in named)}


def _current(ids: list[int]) -> dict[int, dict[str, Any]]:
    """The cases ``ids`` as counted now (``SNAPSHOT`` and ``REVIEW``), by id: one query, the review joined."""
    found = {}
    rows = Case.objects.filter(pk__in=ids).values(
        "id",
        *SNAPSHOT,
        review_state=F("loss_review__state"),
        review_analysed=F("loss_review__analysis_on"),
        review_agency=F("loss_review__agency_id"),
        review_named=F("loss_review__causes"),
    )
    for row in rows:
        review = review_values(
            row.pop("review_state"), row.pop("review_analysed"), row.pop("review_agency"), row.pop("review_named")
        )
        case_id = row.pop("id")
        found[case_id] = {**row, **review}
    return found


def refresh(case_ids: Iterable[int]) -> int:
    """Bring the counts up to date with the cases ``case_ids`` as they are now (created, changed or deleted), in the
    caller's transaction; returns how many of them had changed since last counted. Three queries per 900 cases,
    and those that write the changed counts, once for all the chunks: an import's 20,000 cases change about 25,000
    counts a few times each."""
    ids = sorted(set(case_ids))
    counted = (*SNAPSHOT, *REVIEW)  # a CountedCase's columns but its case's id
    changed_total = 0
    deltas: Counter[Key] = Counter()
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            old = {
                r.pop("case_id"): r for r in CountedCase.objects.filter(case_id__in=chunk).values("case_id", *counted)
            }
            new = _current(chunk)
            changed = []
            for case_id in chunk:
                before, after = old.get(case_id), new.get(case_id)
                if before == after:
                    continue
                changed.append(case_id)
                for key in contributions(before) if before else ():
                    deltas[key] -= 1
                for key in contributions(after) if after else ():
                    deltas[key] += 1
            if not changed:
                continue
            changed_total += len(changed)
            stale = [i for i in changed if i in old]
            if stale:
                CountedCase.objects.filter(case_id__in=stale).delete()
            insert_rows(
                CountedCase,
                ("case_id", *counted),
                [(i, *(new[i][name] for name in counted)) for i in changed if i in new],
            )
        _apply(deltas)
    return changed_total


def _apply(deltas: Counter[Key]) -> None:
    """Add each key's delta to its row, inserting the keys without one (``core.bulk.insert_rows``). The rows are
    updated by one statement run for every row (``executemany``: SQLite's prepared statement, psycopg's pipeline):
    Django's ``UPDATE … CASE WHEN`` of 500 rows took 0.1 s to build, and the ORM's inserts another tenth of a second
    per thousand rows; a 20,000-row import spent two thirds of its time here (48 s of 73, now 2 s)."""
    deltas = Counter({k: d for k, d in deltas.items() if d})
    if not deltas:
        return
    if len(deltas) <= EXACT:
        # A case or a few: their rows by their very keys (a blank value matched as such, a null by IS NULL).
        wanted: Q | RawSQL = _by_keys(deltas)
    else:
        # An import: the rows of its months and counties, matched here.
        wanted = Q(month__in={k[2] for k in deltas}, county_id__in={k[4] for k in deltas})
    existing: dict[Key, int] = {}
    for row in FigureCount.objects.filter(wanted).values("pk", *KEY):
        existing.setdefault(tuple(row[k] for k in KEY), row["pk"])
    # In the order of the rows' ids, so that two writers lock the rows they share in the same order.
    updates = sorted((existing[k], d) for k, d in deltas.items() if k in existing)
    if updates:
        quote = connection.ops.quote_name
        table, pk_column = quote(FigureCount._meta.db_table), quote(FigureCount._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET n = n + %s WHERE {pk_column} = %s", [(d, pk) for pk, d in updates])
    insert_rows(FigureCount, (*KEY, "n"), [(*k, d) for k, d in deltas.items() if k not in existing])


def _by_keys(keys: Iterable[Key]) -> RawSQL:
    """The condition matching the ``FigureCount`` rows of ``keys`` exactly: one OR of each key's 15 equalities, the SQL
    the ORM would write for ``Q(**key) | Q(**key) …``, written here because the ORM took 8 ms of CPU to build and
    compile it for the dozen keys of one case, most of the cost of every case written (bench/bench_counts.py)."""
    quote = connection.ops.quote_name
    column_of = {field.attname: field.column for field in FigureCount._meta.concrete_fields}
    columns = [quote(column_of[name]) for name in KEY]
    terms: list[str] = []
    params: list[Any] = []
    for key in keys:
        equal = []
        for column, value in zip(columns, key, strict=True):
            if value is None:
                equal.append(f"{column} IS NULL")
            else:
                equal.append(f"{column} = %s")
                params.append(
                    connection.ops.adapt_datefield_value(value) if isinstance(value, datetime.date) else value
                )
        terms.append(f"({' AND '.join(equal)})")
    return RawSQL(" OR ".join(terms), params, output_field=BooleanField())


# --- Recounting from the cases (rebuild, verify) ---


def _month_of(field: str) -> Any:
    """The first day of the month of date ``field``, computed by the database itself: PostgreSQL's date_trunc, and
    on SQLite (where a date is its ISO text and Django's TruncMonth calls back into Python for every row) the text
    'YYYY-MM-01'."""
    if connection.vendor == "sqlite":
        return Concat(Substr(field, 1, 7), Value("-01"), output_field=CharField())
    return TruncMonth(field)


def _grouped(case_model: Any, kind: str, field: str, grain: str) -> QuerySet[Any]:
    """The counts of one (kind, date, grain) over the cases: one grouped query, with the month as ``month``."""
    cases = case_model.objects.filter(kind=kind, **{f"{field}__isnull": False}).order_by()
    if kind == CaseKind.LITIGATION:
        cases = cases.filter(instance=Instance.FIRST)
    group = ["region_id", "county_id", "kind", "instance", *CONDITIONS[field]]
    if GRAINS[grain]:
        group.append(GRAINS[grain])
    return cases.annotate(month=_month_of(field)).values("month", *group).annotate(n=Count("id"))


def _reviewed(case_model: Any, cause: str) -> QuerySet[Any]:
    """The 败诉原因 counts over the cases (grain "review" with ``cause`` blank, else "reason" of ``cause``): the
    first-instance cases concluded whose loss review has its 倒查 recorded and is not withdrawn (and names ``cause``,
    matched quoted in the JSON text as ``figures.cause_filter`` does), grouped by the month, the case's regions,
    outcome and 领域 and the review's agency (``agency``); one query."""
    cases = case_model.objects.filter(
        kind=CaseKind.LITIGATION,
        instance=Instance.FIRST,
        concluded_on__isnull=False,
        loss_review__analysis_on__isnull=False,
        loss_review__state__in=COUNTED_STATES,
    ).order_by()
    if cause:
        cases = cases.filter(loss_review__causes__icontains=f'"{cause}"')
    group = ("region_id", "county_id", "kind", "instance", "outcome", "domain")
    return (
        cases.annotate(month=_month_of("concluded_on"), agency=F("loss_review__agency_id"))
        .values("month", "agency", *group)
        .annotate(n=Count("id"))
    )


# A slice of the recount: its grouped query, the key's columns it sets to a value of its own (grain, field …) and
# those it reads from the query (key column → the query's column).
Slice = tuple[QuerySet[Any], dict[str, Any], dict[str, str]]


def _slices(case_model: Any, reviews: bool = True) -> Iterator[Slice]:
    for kind, fields in DATES.items():
        for field in fields:
            for grain, column in _grains(field):
                read = ["month", "region_id", "county_id", "kind", "instance", *CONDITIONS[field]]
                if column:
                    read.append(column)
                yield (
                    _grouped(case_model, kind, field, grain),
                    {"grain": grain, "field": field},
                    {name: name for name in read},
                )
    if not reviews:
        return
    columns = ("month", "region_id", "county_id", "kind", "instance", "outcome", "domain")
    for cause in ("", *LossCause.values):
        fixed = {"grain": "reason" if cause else "review", "field": "concluded_on", "cause": cause}
        yield _reviewed(case_model, cause), fixed, {**{c: c for c in columns}, "defendant_id": "agency"}


def recount(case_model: Any = Case) -> Counter[Key]:
    """Every key's count over the cases (and their loss reviews) as they are: one grouped query per (kind, date,
    grain), and one per grain and cause of the 败诉原因."""
    counts: Counter[Key] = Counter()
    for grouped, fixed, read in _slices(case_model):
        for row in grouped.iterator(chunk_size=5000):
            month = row["month"]
            if isinstance(month, str):
                month = datetime.date.fromisoformat(month)
            elif isinstance(month, datetime.datetime):
                month = month.date()
            values = {**BLANK, **fixed, **{name: row[column] for name, column in read.items()}, "month": month}
            counts[tuple(values[k] for k in KEY)] += row["n"]
    return counts


def stored() -> Counter[Key]:
    """Every key's count as ``FigureCount`` keeps it (rows of one key summed, zeros left out)."""
    counts: Counter[Key] = Counter()
    for row in FigureCount.objects.order_by().values(*KEY).annotate(total=Sum("n")).iterator(chunk_size=5000):
        if row["total"]:
            counts[tuple(row[k] for k in KEY)] += row["total"]
    return counts


def verify() -> list[str]:
    """The differences between the kept counts and a recount of the cases, one line each (empty when equal)."""
    expected, kept = recount(), stored()
    lines = []
    differing = [key for key in set(expected) | set(kept) if expected.get(key, 0) != kept.get(key, 0)]
    for key in sorted(differing, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        described = "，".join(
            f"{name}={value}" for name, value in zip(KEY, key, strict=True) if value not in ("", None)
        )
        lines.append(f"{described}：计数 {kept.get(key, 0)}，重算 {expected.get(key, 0)}")
    return lines


def _snapshot_sql(case_table: str, review_table: str, counted_table: str) -> tuple[str, list[Any]]:
    """``INSERT … SELECT`` of every case's ``CountedCase`` row, its review's ``REVIEW`` values computed as
    ``review_values`` computes them (the causes matched quoted in the JSON text, in ``LossCause``'s order)."""
    text = "r.causes::text" if connection.vendor == "postgresql" else "r.causes"
    counted = f"r.analysis_on IS NOT NULL AND r.state IN ({', '.join(['%s'] * len(COUNTED_STATES))})"
    named = " || ".join(f"CASE WHEN {text} LIKE '%%\"{c}\"%%' THEN '{c},' ELSE '' END" for c in LossCause.values)
    columns = ", ".join(SNAPSHOT)
    sql = (
        f"INSERT INTO {counted_table} (case_id, {columns}, {', '.join(REVIEW)}) "
        f"SELECT c.id, {', '.join(f'c.{name}' for name in SNAPSHOT)}, "
        f"CASE WHEN {counted} THEN r.agency_id END, "
        f"CASE WHEN {counted} THEN RTRIM({named}, ',') ELSE '' END "
        f"FROM {case_table} c LEFT JOIN {review_table} r ON r.case_id = c.id"
    )
    return sql, [*COUNTED_STATES, *COUNTED_STATES]


@transaction.atomic
def rebuild(case_model: Any = Case, count_model: Any = FigureCount, counted_model: Any = CountedCase) -> int:
    """Write every count and every case's snapshot afresh from the cases and their loss reviews (after a restore,
    or to drop the rows left at zero); returns the number of count rows written. On PostgreSQL the cases and the
    reviews are locked against writes meanwhile, so that no change is lost between the recount and the snapshot.
    The models: a migration's own (before ``CountedCase`` had the reviews' columns, migration 0003, the 败诉原因 are
    left out: 0004 writes everything afresh)."""
    case_table, counted_table = case_model._meta.db_table, counted_model._meta.db_table
    reviews = any(f.name == "review_agency_id" for f in counted_model._meta.get_fields())
    tables = [case_table]
    if reviews:
        tables.append(case_model._meta.get_field("loss_review").related_model._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE")
    count_model.objects.all().delete()
    counted_model.objects.all().delete()
    with connection.cursor() as cursor:
        if reviews:
            cursor.execute(*_snapshot_sql(case_table, tables[1], counted_table))
        else:
            columns = ", ".join(SNAPSHOT)
            cursor.execute(f"INSERT INTO {counted_table} (case_id, {columns}) SELECT id, {columns} FROM {case_table}")
    written = 0
    for grouped, fixed, read in _slices(case_model, reviews):
        # INSERT … SELECT of the grouped query: the rows never pass through Python.
        sql, params = grouped.query.sql_with_params()
        outer = ", ".join(
            "%s" if name in fixed else f"sub.{read[name]}" if name in read else "NULL" if BLANK[name] is None else "''"
            for name in KEY
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {count_model._meta.db_table} ({', '.join(KEY)}, n) SELECT {outer}, sub.n FROM ({sql}) sub",
                [*(fixed[name] for name in KEY if name in fixed), *params],
            )
            written += cursor.rowcount
    return written


# --- Reading ---

Window = tuple[datetime.date, datetime.date]


def split(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[tuple[datetime.date, datetime.date] | None, list[Window]]:
    """The window's whole months (first days of the first and last, or None) and the windows of days at either end
    that fill no month, read from the cases: at most two, each within one month."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    last_end = (
        date_to
        if date_to.day == calendar.monthrange(date_to.year, date_to.month)[1]
        else date_to.replace(day=1) - datetime.timedelta(days=1)
    )
    if first > last_end:
        # No whole month: the window is within one month, or the end of one and the start of the next.
        if (date_from.year, date_from.month) == (date_to.year, date_to.month):
            return None, [(date_from, date_to)]
        return None, [(date_from, first - datetime.timedelta(days=1)), (first, date_to)]
    edges = []
    if date_from < first:
        edges.append((date_from, first - datetime.timedelta(days=1)))
    if last_end < date_to:
        edges.append((last_end + datetime.timedelta(days=1), date_to))
    return (first, last_end.replace(day=1)), edges


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def region_paths(cases: QuerySet[Case]) -> list[str] | None:
    """The region paths ``cases`` is narrowed to (``region__path__startswith``, as ``cases.queries.visible_to``
    and the region filters narrow it), or None when it is narrowed by anything else: the figures of such a set are
    counted from the cases themselves. An empty list: all the cases."""
    if cases.model is not Case:
        return None
    query = cases.query
    if (
        query.is_empty()
        or query.distinct
        or query.annotations
        or query.combinator
        or query.extra
        or query.low_mark
        or query.high_mark is not None
        or query.where.negated
        or query.where.connector != "AND"
    ):
        return None
    path_field = Region._meta.get_field("path")
    paths = []
    for child in query.where.children:
        if not isinstance(child, StartsWith) or getattr(child.lhs, "target", None) is not path_field:
            return None
        if not isinstance(child.rhs, str):
            return None
        paths.append(child.rhs)
    rebuilt = Case.objects.all()
    for path in paths:
        rebuilt = rebuilt.filter(region__path__startswith=path)
    try:
        if str(rebuilt.order_by().query) != str(cases.order_by().query):
            return None
    except Exception:  # a query that cannot be shown as text is not one of ours
        return None
    return paths


def rows(
    paths: list[str],
    grain: str | tuple[str, ...],
    months: tuple[datetime.date, datetime.date],
    fields: Iterable[str] | None = None,
) -> QuerySet[FigureCount]:
    """The count rows of ``grain`` (or of any of several) in the months (first days, inclusive) within the regions
    ``paths``, those of the date ``fields`` only if given (the index leads with grain, field and month: every part of
    it is then used)."""
    grains = Q(grain=grain) if isinstance(grain, str) else Q(grain__in=grain)
    found = FigureCount.objects.filter(grains, month__range=months).order_by()
    if fields is not None:
        found = found.filter(field__in=sorted(fields))
    for path in paths:
        found = found.filter(region__path__startswith=path)
    return found


def as_date(value: Any) -> Any:
    return value.date() if isinstance(value, datetime.datetime) else value
