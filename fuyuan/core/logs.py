"""Structured logs: one JSON object a line on stderr (python-json-logger), and one line per request.

Every log record written while a request is handled carries that request's id and user id (``RequestContext``
filter), so the lines of one request can be found together; the request id is sent back as ``X-Request-ID``
and taken from the client (a proxy) when it is well formed. The request line names the path only: query
strings (which can hold names and ID numbers typed into a filter) and request bodies are never logged
(个人信息保护法 第51条: measures against leaking personal information; GB/T 22239-2019 8.1.4.3 audit records
name the event, its subject and result, not the data).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import pythonjsonlogger.json
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only if it looks like an id (a UUID, a proxy's hex or base64url token): anything else
# could inject text into the logs, and is replaced.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
request_var: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("request", default=None)

logger = logging.getLogger("fuyuan.request")


class RequestContext(logging.Filter):
    """Put the current request's id and user id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django's own request lines (django.request) are written after the middleware has returned, and name
        # their request on the record instead.
        request = getattr(record, "request", None) or request_var.get()
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get() or getattr(request, "request_id", "")
        if not hasattr(record, "user_id"):
            record.user_id = _known_user_id(request) if isinstance(request, HttpRequest) else None
        return True


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """python-json-logger's formatter without the request object Django puts on its own records: its text is
    the full URL, query string included."""

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.pop("request", None)


def request_id_of(request: HttpRequest) -> str:
    """The client's ``X-Request-ID`` if well formed, otherwise a new one."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if WELL_FORMED_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _known_user_id(request: HttpRequest) -> int | None:
    """The request's user id if authentication has already looked the user up; never a query from a log call."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return int(user.pk) if user.is_authenticated else None


class RequestLogMiddleware:
    """One log line per request: method, path, status, duration, request id and user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user_id = _known_user_id(request)
            level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
            logger.log(
                level,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                status,
                duration_ms,
                extra={
                    "user_id": user_id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )
            request_id_var.reset(id_token)
            request_var.reset(request_token)
