"""The page shown when a form or HTMX request fails Django's CSRF check (``CSRF_FAILURE_VIEW``).

Django's own page is in English and speaks to developers; a user who kept a form open past a log-out, or whose
browser blocked cookies, needs to know in Chinese what to do next. The reason Django gives is shown only in
development (DEBUG), never in production.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 with a Chinese explanation; nothing of the refused request was carried out."""
    context = {"reason": reason if settings.DEBUG else ""}
    return render(request, "403_csrf.html", context, status=403)
