"""Downloads of the Word documents (SPEC §7). A document is another view of a record: who cannot see the record
gets a 404, as on its page."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import reverse

from fuyuan.core.models import User
from fuyuan.disputes.queries import visible_to
from fuyuan.documents.agreement import AgreementError, render_agreement

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The page shown instead of a document the record cannot have (a dispute not mediated has no agreement).
_REFUSAL = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block content %}
<h1 class="h4 mb-3">{{ heading }}</h1>
<div class="alert alert-warning" role="alert" data-testid="document-refused">{{ message }}</div>
<a class="btn btn-outline-secondary" href="{{ back }}">返回</a>
{% endblock %}"""
)


def _docx_response(content: bytes, filename: str, fallback: str) -> HttpResponse:
    """The file as an attachment; the Chinese name per RFC 6266/5987 (``filename*``), an ASCII one for old clients."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename)}"
    return response


def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """调解协议书 of a mediated dispute; 409 with the reason for a dispute that has none."""
    user = cast(User, request.user)
    dispute = get_object_or_404(visible_to(user).select_related("agency", "centre"), pk=pk)
    try:
        content = render_agreement(dispute)
    except AgreementError as error:
        context = {
            "heading": "无法生成调解协议书",
            "message": str(error),
            "back": reverse("disputes:detail", args=[dispute.pk]),
        }
        return HttpResponse(_REFUSAL.render(context, request), status=409)
    return _docx_response(content, f"调解协议书-{dispute.number}.docx", f"agreement-{dispute.pk}.docx")
