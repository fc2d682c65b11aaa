"""Writing and reading the Event timeline. Every workflow transition calls ``record_event`` inside its
transaction, so a state change and its event are committed together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Event, User


@dataclass
class Actor:
    """Who did it: a logged-in user, or a named non-user source such as ``台账导入 (命令行)``."""

    user: User | None = None
    label: str = ""

    @classmethod
    def of(cls, by: User | Actor | None) -> Actor:
        if isinstance(by, Actor):
            return by
        return cls(user=by)


@dataclass
class PendingEvent:
    record: models.Model
    action: str
    summary: str
    changes: dict[str, Any] = field(default_factory=dict)


def record_event(
    record: models.Model,
    *,
    by: User | Actor | None,
    action: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> Event:
    actor = Actor.of(by)
    event = Event(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        at=timezone.now(),
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        summary=summary,
        changes=changes or {},
    )
    event.save()
    return event


def record_events(pending: Iterable[PendingEvent], *, by: User | Actor | None) -> int:
    """Write many events at once (a ledger import of 100,000 rows writes 100,000 events).

    Events are only ever inserted, so they take the raw bulk path of ``core.bulk`` (the ORM's per-value
    preparation was a large share of the import's time).
    """
    actor = Actor.of(by)
    now = timezone.now()
    actor_id = actor.user.pk if actor.user is not None else None
    content_type_ids: dict[type, int] = {}
    rows = []
    for p in pending:
        model = type(p.record)
        content_type_id = content_type_ids.get(model)
        if content_type_id is None:
            content_type_id = content_type_ids[model] = ContentType.objects.get_for_model(model).pk
        rows.append((content_type_id, p.record.pk, now, actor_id, actor.label, p.action, p.summary, p.changes))
    fields = ("content_type_id", "object_id", "at", "actor_id", "actor_label", "action", "summary", "changes")
    return insert_rows(Event, fields, rows)


def timeline(record: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor")


# How many events a record's own page shows: a case edited every day for a year has hundreds, and each edit of a
# long text shows it twice (old → new); the rest are on the record's whole-timeline page.
RECENT_EVENTS = 20


def recent(record: models.Model, limit: int = RECENT_EVENTS) -> tuple[list[Event], int]:
    """The record's latest ``limit`` events, oldest first like ``timeline``, and how many earlier ones are not among
    them (counted only when there are more: one query, two for a long history)."""
    latest = list(timeline(record).order_by("-at", "-id")[: limit + 1])
    if len(latest) <= limit:
        return latest[::-1], 0
    return latest[:limit][::-1], timeline(record).count() - limit
