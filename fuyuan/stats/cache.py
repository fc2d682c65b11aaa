"""The supervision dashboard's cache (issue 5 §5: "cache per (region, window) and invalidate on case changes").

The figures read counts kept current in the transaction of every case change (``stats.counts``, issue 19 §1), so
an uncached dashboard over a province's 1,000,000 cases reads month rows instead of the cases
(bench/bench_dashboard.py). The cache is kept as it was: a repeated view (the same person paging through the
ranking's sorts, a leader's morning look) still skips the remaining work, and every case change still raises the
generation — which now costs the next viewer the small uncached price rather than seconds. Its case-derived part
(``dashboard.figures``: cards, year on year, ranking, trend, losses, loss causes, dispute cards) is kept in Django's
cache (the default per-process LocMemCache; no cache server is needed) under a key of

- the user's scope — role, region, organisation (what ``cases.queries.visible_to`` and
  ``stats.views.disputes_for_figures`` narrow by): two users who may see different cases never share an entry;
- the chosen region, the window and the ranking's sort;
- the figures' generation: ``FiguresGeneration``, one row in the database, read once per request.

The week's hearings, the overdue deadlines, the open written-report duties and the overdue rectification items
(``dashboard.live``) change without any case changing (the calendar, the sweep, a report handed in) and are cheap:
they are always read live.

With a shared cache (FUYUAN_CACHE_URL: Redis, several application servers) the generation is also a counter in the
cache itself, raised beside the row and read instead of it: the dashboard's request then reads the generation and
its entry from Redis without a query, and every process on every server sees a change at once.

Invalidation: the generation is raised (``UPDATE value = value + 1``) whenever something the cached part counts
changes, so that every process's entries stop matching at once:

- ``cases_changed`` (cases.signals): a case registered, edited (unless the edit changed only fields no figure reads,
  ``COUNTED_FIELDS``) or its hearing attendance recorded
  (``cases.workflow``, also reached from the hearings and dispute workflows), a ledger import
  (``cases.ledger``), the demo data (``demo.generator``) — every case write sends it;
- a Case deleted (``post_delete``): no workflow deletes cases, but the admin or a shell may;
- a Dispute saved or deleted (``post_save``/``post_delete``): the dispute cards count concluded disputes, and
  every change of a dispute goes through ``dispute.save()`` in ``disputes.workflow``; the demo's ``bulk_create``
  sends no signal but runs in the same transaction as its cases, whose ``cases_changed`` raises the generation;
- a Benchmark saved or deleted: the cards and the ranking show the 全省/全国平均 beside the rates;
- a LossReview saved or deleted: the 败诉原因 section counts the causes recorded in the reviews' 倒查
  (``accountability.losses`` saves the review at every step; the demo writes its reviews in the transaction of its
  cases, whose ``cases_changed`` raises the generation).

The raise runs when the transaction commits (``transaction.on_commit``), not inside it: an UPDATE inside would
lock the row until the commit and so serialise every case write behind, say, a long ledger import on PostgreSQL.
A request that reads the old generation between the commit and the raise computes the new figures under the old
key, which no request reads once the generation has moved. A rolled-back change raises nothing.

What the generation does not follow — a region or organisation renamed (the names in the ranking and the losses),
a process that died between a commit and the raise — lasts at most FUYUAN_DASHBOARD_CACHE_SECONDS (default 600),
the entries' lifetime.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.cases.signals import touches
from fuyuan.core.models import Region, User
from fuyuan.disputes.models import Dispute
from fuyuan.stats import dashboard as board
from fuyuan.stats.counts import SNAPSHOT
from fuyuan.stats.models import FiguresGeneration

log = logging.getLogger(__name__)

KEY_PREFIX = "fuyuan:dashboard"
GENERATION_KEY = f"{KEY_PREFIX}:generation"


def timeout() -> int:
    return int(settings.FUYUAN_DASHBOARD_CACHE_SECONDS)


def shared_cache() -> bool:
    """True with FUYUAN_CACHE_URL: the cache is Redis, shared by every process on every application server."""
    return bool(getattr(settings, "FUYUAN_CACHE_URL", ""))


def generation() -> str:
    """The figures' current generation: with a shared cache, its counter there (no query); otherwise the database's
    row (one query), "0" while the row has never been written."""
    if shared_cache():
        value = cache.get(GENERATION_KEY)
        if value is None:
            # First use, or the key was evicted: start from the clock, so that the new counter never comes back to
            # a value an entry still in the cache was keyed with.
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            value = cache.get(GENERATION_KEY)
        return f"s{value}"
    row = FiguresGeneration.objects.filter(pk=1).values_list("value", "changed_at").first()
    return "0" if row is None else f"{row[0]}.{row[1].timestamp():.6f}"


def raise_generation() -> None:
    if shared_cache():
        with contextlib.suppress(ValueError):  # not there: the next read starts a new counter from the clock
            cache.incr(GENERATION_KEY)
    updated = FiguresGeneration.objects.filter(pk=1).update(value=F("value") + 1, changed_at=timezone.now())
    if updated:
        return
    try:
        with transaction.atomic():
            FiguresGeneration.objects.create(pk=1, value=1)
    except IntegrityError:  # another process created it meanwhile
        FiguresGeneration.objects.filter(pk=1).update(value=F("value") + 1, changed_at=timezone.now())


# The case fields the cached figures read: those the counts keep (``stats.counts.SNAPSHOT``: every measure's kind,
# condition, date and grouping, and the region and agency a case counts under) and those that decide whose dashboard
# counts the case (``cases.queries.case_scope``: the court, the reconsideration body). An edit of other fields alone
# — the 备注, 案情摘要, 诉讼请求, the parties' names, the 案号 — changes no figure.
COUNTED_FIELDS = frozenset({name.removesuffix("_id") for name in SNAPSHOT} | {"court", "reconsideration_body"})


def figures_changed(**kwargs: Any) -> None:
    """Raise the generation once the current transaction commits (at once outside one). A signal receiver.

    ``cases_changed`` from an edit (``cases.workflow.update_case``) names the ``fields`` it changed: when none of them
    is counted (``COUNTED_FIELDS``) the figures are what they were, and every cached dashboard is kept."""
    if touches(kwargs, COUNTED_FIELDS):
        transaction.on_commit(raise_generation, robust=True)


def key(user: User, region: Region | None, window: board.Window, sort: str, generation_value: str) -> str:
    scope_region = user.scope_region
    parts = [
        KEY_PREFIX,
        generation_value,
        user.role,
        scope_region.pk if scope_region else "-",
        user.organisation_id or "-",
        region.pk if region else "-",
        window[0].isoformat(),
        window[1].isoformat(),
        board.normal_sort(sort),
    ]
    return ":".join(str(p) for p in parts)


def build(
    user: User,
    cases: QuerySet[Case],
    disputes: QuerySet[Dispute] | None,
    region: Region | None,
    window: board.Window,
    sort: str = board.DEFAULT_SORT,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """``dashboard.build``'s result, its case-derived part from the cache when this scope, region, window and sort
    were computed since the figures last changed."""
    entry = key(user, region, window, sort, generation())
    data = cache.get(entry)
    if data is None:
        data = board.figures(cases, disputes, region, window, sort, user)
        cache.set(entry, data, timeout())
    # The page keeps the figures' HTML under the same key (``{% cache %}`` in stats/dashboard.html): rendering them
    # was half a cached view's time.
    return {**data, **board.live(user, region, today), "cache_key": entry, "cache_seconds": timeout()}


def connect() -> None:
    """Called from StatsConfig.ready."""
    from django.db.models.signals import post_delete, post_save

    from fuyuan.accountability.models import LossReview
    from fuyuan.cases.signals import cases_changed
    from fuyuan.stats.models import Benchmark

    cases_changed.connect(figures_changed, weak=False, dispatch_uid="stats.cache.cases_changed")
    post_delete.connect(figures_changed, sender=Case, weak=False, dispatch_uid="stats.cache.case_deleted")
    for model in (Dispute, Benchmark, LossReview):
        for signal, what in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                figures_changed, sender=model, weak=False, dispatch_uid=f"stats.cache.{model.__name__}.{what}"
            )
