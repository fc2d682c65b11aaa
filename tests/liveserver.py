"""The live test server one request at a time when it shares the test's in-memory SQLite connection.

pytest-django's ``live_server`` hands the test's own SQLite connection (an in-memory database no other connection can
open) to Django's threaded server, so every request thread uses that one ``sqlite3`` connection. SQLite serialises the
calls on a connection with its own mutex, which a thread takes while it holds Python's GIL in some calls and must take
the GIL again inside others (Django's SQL functions are Python callbacks): two request threads on one connection can
each wait for what the other holds. A browser test froze that way in CI (both request threads in ``execute``, the test
waiting on chromium). Here each request runs alone, from the application call until its response is closed (a streamed
export included); connections are still accepted by a thread each, so a browser's idle or pre-opened connection
blocks nothing. On PostgreSQL each request thread has its own connection and the server stays as Django makes it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer

WSGIApp = Callable[..., Iterable[bytes]]


class _Released:
    """The response's body; the request's turn ends when the server closes it (always, even when the client went)."""

    def __init__(self, body: Iterable[bytes], release: Callable[[], None]) -> None:
        self.body = body
        self.release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.release()


class OneRequestAtATime(ThreadedWSGIServer):
    """Django's threaded live server whose requests take turns when it shares the test's SQLite connection."""

    def set_app(self, application: WSGIApp) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        turn = threading.Lock()

        def in_turn(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            turn.acquire()
            released = threading.Event()

            def release() -> None:
                if not released.is_set():
                    released.set()
                    turn.release()

            try:
                body = application(environ, start_response)
            except BaseException:
                release()
                raise
            return _Released(body, release)

        super().set_app(in_turn)
