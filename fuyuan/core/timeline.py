"""Writing and reading the Event timeline. Every workflow transition calls ``record_event`` inside its
transaction, so a state change and its event are committed together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

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
    """Write many events in one statement (a ledger import of 100,000 rows writes 100,000 events)."""
    actor = Actor.of(by)
    now = timezone.now()
    content_types: dict[type, ContentType] = {}
    rows = []
    for p in pending:
        model = type(p.record)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            Event(
                content_type=content_types[model],
                object_id=p.record.pk,
                at=now,
                actor=actor.user,
                actor_label=actor.label,
                action=p.action,
                summary=p.summary,
                changes=p.changes,
            )
        )
    Event.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def timeline(record: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor")
