"""Reads from a replica (issue 19): the figures and the exports read from ``DATABASE_REPLICA_URL`` when it is set.

Which reads go there is said by the view, not guessed from the model: a view decorated ``@reads_replica`` (the
figures pages, the dashboard, the figures API, the ledger and figures exports) runs with the replica as the
database of its reads — the whole view, its template included, so that the numbers on one page come from one
database. Everything else reads from the primary, and every write goes to the primary whatever the view.

Read-your-own-writes: a replica lags behind the primary by a moment. A person who has just saved something must
see it on the next page, so every write request (any method other than GET, HEAD, OPTIONS) sets a cookie
``fuyuan_primary`` for FUYUAN_REPLICA_PIN_SECONDS; while a request carries it, ``@reads_replica`` stays on the
primary. The cookie, not server memory, so that it holds whichever application server the next request reaches.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and nothing changes: one database for all.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import SimpleTemplateResponse

REPLICA = "replica"
PIN_COOKIE = "fuyuan_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("fuyuan_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica (when there is one); writes still go to the primary."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def pinned_to_primary(request: HttpRequest) -> bool:
    """True while the person's own write may not have reached the replica yet (the cookie of ``PrimaryPinMiddleware``)."""
    return PIN_COOKIE in request.COOKIES or request.method not in SAFE_METHODS


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def reads_replica(view: View) -> View:
    """Decorator for a view whose reads may come from the replica: figures and exports, never a form."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if pinned_to_primary(request) or not replica_configured():
            return view(request, *args, **kwargs)
        with replica_reads():
            response = view(request, *args, **kwargs)
            if isinstance(response, StreamingHttpResponse) and not response.is_async:
                # an export: its rows are read while it streams
                response.streaming_content = _on_replica(cast(Iterator[bytes], response.streaming_content))
            elif isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()  # its queries too, while the replica is chosen
            return response

    return cast(View, wrapped)


def _on_replica(chunks: Iterator[bytes]) -> Iterator[bytes]:
    with replica_reads():
        yield from chunks


class ReplicaRouter:
    """Reads inside ``replica_reads`` go to the replica alias; every other read, and every write, to the primary.
    Migrations run on the primary only (the replica receives them by replication)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA


class PrimaryPinMiddleware:
    """After a write request, the person's reads stay on the primary for FUYUAN_REPLICA_PIN_SECONDS (a cookie)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.FUYUAN_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
