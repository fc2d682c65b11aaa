"""The live test server: requests that take turns on the test's in-memory SQLite connection, and a way to wait until
the browser's last requests are answered.

One at a time. pytest-django's ``live_server`` hands the test's own SQLite connection (an in-memory database no other
connection can open) to Django's threaded server, so every request thread uses that one ``sqlite3`` connection. SQLite
serialises the calls on a connection with its own mutex, which a thread takes while it holds Python's GIL in some calls
and must take the GIL again inside others (Django's SQL functions are Python callbacks): two request threads on one
connection can each wait for what the other holds. A browser test froze that way in CI (both request threads in
``execute``, the test waiting on chromium). Here each request runs alone, from the application call until its response
is closed (a streamed export included); connections are still accepted by a thread each, so a browser's idle or
pre-opened connection blocks nothing. On PostgreSQL each request thread has its own connection and requests run at once
as Django makes them.

Idle. A page may still be loading a part of itself (an HTMX panel, the case page's similar cases) when its test ends;
that request writes (the similar-cases index) while the test's database is being emptied, and on PostgreSQL the
emptying then failed on a row it had not seen. ``wait_until_idle`` returns once every connection the browser opened is
closed and its requests answered: the browser test's ``page`` fixture closes the browser context, then waits."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer

WSGIApp = Callable[..., Iterable[bytes]]


class _InTurn:
    """The response's body, holding the request's turn until the server closes it (it always does, even when the
    client went away)."""

    def __init__(self, body: Iterable[bytes], turn: threading.Lock) -> None:
        self.body = body
        self.turn: threading.Lock | None = turn

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            if self.turn is not None:
                self.turn, turn = None, self.turn
                turn.release()


class LiveTestServer(ThreadedWSGIServer):
    """Django's threaded live server whose requests take turns when it shares the test's SQLite connection, and which
    knows how many connections it is serving."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._serving = 0
        self._changed = threading.Condition()

    def set_app(self, application: WSGIApp) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        turn = threading.Lock()

        def in_turn(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            turn.acquire()
            try:
                body = application(environ, start_response)
            except BaseException:
                turn.release()
                raise
            return _InTurn(body, turn)

        super().set_app(in_turn)

    # Counted when the connection is accepted (in the server's thread, before its own thread starts), uncounted when
    # its thread is done with it.
    def process_request(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        with self._changed:
            self._serving += 1
        super().process_request(request, client_address)  # type: ignore[arg-type]

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._changed:
                self._serving -= 1
                self._changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until no connection is open (the browser closed them) and every request on them is answered."""
        with self._changed:
            return self._changed.wait_for(lambda: self._serving == 0, timeout)
