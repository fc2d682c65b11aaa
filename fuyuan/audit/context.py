"""The request being served, for audit receivers that Django calls without one (model signals)."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("fuyuan_audit_request", default=None)
