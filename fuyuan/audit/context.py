"""The request being served, for audit receivers that Django calls without one (model signals)."""

from __future__ import annotations

from contextvars import ContextVar

from django.db.models import Model
from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("fuyuan_audit_request", default=None)


def shown_record(request: HttpRequest, record: Model) -> None:
    """Tell the audit middleware which case file the page showed or changed (as it now is, after the change), so that
    the audit record names it without loading it again (one query less on every case-file page and save)."""
    request.audit_shown = record  # type: ignore[attr-defined]


def record_shown(request: HttpRequest, target_type: str, target_id: str) -> Model | None:
    """The case file the view said it showed, if it is the one the URL names."""
    record: Model | None = getattr(request, "audit_shown", None)
    if record is not None and record._meta.label_lower == target_type and str(record.pk) == target_id:
        return record
    return None
