"""Keeping 类案检索's index current, with no hidden signal: ``refresh`` follows a changed-since mark.

Every change to a case or to a text held for it writes an Event on a timeline (the case's, its loss review's, its
reconsideration file's, a typical-case compilation's) and every case write moves ``Case.updated_at`` (the ledger's
bulk path too). ``refresh`` reads both since the mark (less a margin, for transactions that committed late),
re-reads those cases' texts (``texts.case_documents``), writes their ``CaseText`` rows and raises the generation.
The sweep runs it (order 65), and the search page, the case page's panel and ``fuyuan similar`` run it before they
search, so a search never misses an edit; a workflow that must be searchable at once may call ``reindex_cases``
by name.

The ranking itself (``engine.Bm25Index``) lives in each process's memory and is rebuilt from the ``CaseText`` rows
when the generation moved: it works the same on SQLite and PostgreSQL (the database only stores rows).
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from fuyuan.accountability.models import Compilation, LossReview, TypicalCase
from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from fuyuan.reconsideration.models import Application
from fuyuan.similar.engine import Bm25Index
from fuyuan.similar.models import CaseText, IndexMark
from fuyuan.similar.texts import case_documents

# A transaction that began before the last refresh may commit after it with older timestamps: look back this far.
MARGIN = datetime.timedelta(minutes=10)
CHUNK = 500


@dataclass
class IndexRefresh:
    """The sweep's report of one refresh."""

    indexed: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"更新检索文本 {self.indexed} 件"


def _mark() -> IndexMark:
    mark = IndexMark.objects.order_by("pk").first()
    return mark if mark is not None else IndexMark.objects.create()


def changed_case_ids(since: datetime.datetime | None) -> set[int]:
    """The cases whose own fields or held texts changed since ``since`` (all cases when there is no mark yet)."""
    if since is None:
        return set(Case.objects.values_list("pk", flat=True))
    ids = set(Case.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    types = ContentType.objects.get_for_models(Case, LossReview, Application, Compilation)
    events = Event.objects.filter(at__gte=since, content_type__in=types.values())
    by_type: dict[int, set[int]] = {}
    for type_id, object_id in events.values_list("content_type_id", "object_id"):
        by_type.setdefault(type_id, set()).add(object_id)
    ids |= by_type.get(types[Case].pk, set())
    ids |= set(
        LossReview.objects.filter(pk__in=by_type.get(types[LossReview].pk, ())).values_list("case_id", flat=True)
    )
    ids |= set(
        Application.objects.filter(pk__in=by_type.get(types[Application].pk, ())).values_list("case_id", flat=True)
    )
    ids |= set(
        TypicalCase.objects.filter(compilation_id__in=by_type.get(types[Compilation].pk, ())).values_list(
            "case_id", flat=True
        )
    )
    return ids


def reindex_cases(case_ids: Iterable[int]) -> int:
    """Write the ``CaseText`` rows of these cases from their texts now, and raise the generation. Returns how many."""
    ids = sorted(set(case_ids))
    now = timezone.now()
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        documents = case_documents(chunk)
        with transaction.atomic():
            CaseText.objects.filter(case_id__in=chunk).delete()
            CaseText.objects.bulk_create(
                CaseText(case_id=d.case_id, text=d.text, terms=" ".join(d.terms), indexed_at=now) for d in documents
            )
        written += len(documents)
    if ids:
        IndexMark.objects.filter(pk=_mark().pk).update(generation=uuid.uuid4().hex)
    return written


def refresh() -> int:
    """Bring the index up to date with what changed since its mark; returns how many cases were re-read."""
    mark = _mark()
    started = timezone.now()
    since = mark.followed_until - MARGIN if mark.followed_until else None
    ids = changed_case_ids(since)
    written = reindex_cases(ids)
    IndexMark.objects.filter(pk=mark.pk).update(followed_until=started)
    return written


def refresh_for_sweep(now: datetime.datetime) -> IndexRefresh:
    return IndexRefresh(indexed=refresh())


_cache_lock = threading.Lock()
_cache: dict[str, tuple[str, Bm25Index]] = {}


def ranking() -> Bm25Index:
    """This process's ranking of every indexed case, reloaded when the index's generation moved."""
    generation = _mark().generation
    with _cache_lock:
        cached = _cache.get("bm25")
        if cached is not None and cached[0] == generation:
            return cached[1]
        rows = CaseText.objects.order_by("case_id").values_list("case_id", "terms")
        keys: list[int] = []
        documents: list[list[str]] = []
        for case_id, terms in rows.iterator(chunk_size=2000):
            keys.append(case_id)
            documents.append(terms.split())
        built = Bm25Index(keys, documents)
        _cache["bm25"] = (generation, built)
        return built


def forget() -> None:
    """Drop this process's ranking (tests that rebuild the database between cases)."""
    with _cache_lock:
        _cache.clear()
