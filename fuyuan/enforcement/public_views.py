"""亮证执法: a citizen checks, without log-in, the certificate number an officer shows. The page says only the name, the
body, the kind and whether the certificate is valid today, and nothing for a number it does not know. Against
enumeration: only an exact number is looked up (no partial match, no list), and every look-up from one address counts
against the public pages' limit (``disputes.throttle``, ``FUYUAN_APPLY_LIMIT`` in ``FUYUAN_APPLY_LIMIT_MINUTES``), as the
decisions' public comment page does; a refused look-up looks up nothing."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fuyuan.audit.log import client_ip
from fuyuan.disputes import throttle
from fuyuan.enforcement import rules
from fuyuan.enforcement.forms import LookupForm
from fuyuan.enforcement.importer import NUMBER, normalise_number
from fuyuan.enforcement.models import Certificate

LOOKUP_BUCKET = "certificate-lookup:"


@dataclass(frozen=True)
class Found:
    name: str
    body: str
    kind: str
    valid: bool


def find(number: str) -> Found | None:
    """The certificate of exactly ``number``, told as the public may see it; None when unknown. A certificate is
    valid today if within its period, not revoked, and its officer still serves the body."""
    if not NUMBER.match(number):
        return None
    cert = Certificate.objects.filter(number=number).select_related("officer__body__organisation").first()
    if cert is None:
        return None
    today = timezone.localdate()
    serving = cert.officer.left_on is None or cert.officer.left_on > today
    valid = serving and rules.is_valid_on(today, cert.issued_on, cert.valid_to, cert.revoked_on)
    return Found(cert.officer.name, cert.officer.body.organisation.name, cert.get_kind_display(), valid)


@login_not_required
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    context: dict[str, object] = {"form": form, "searched": False}
    if form.is_bound and form.is_valid():
        address = LOOKUP_BUCKET + client_ip(request)
        if not throttle.admit_submission(address):
            minutes = max(1, math.ceil(throttle.retry_after(address).total_seconds() / 60))
            limited = {"minutes": minutes, "limit": settings.FUYUAN_APPLY_LIMIT,
                       "window": settings.FUYUAN_APPLY_LIMIT_MINUTES}  # fmt: skip
            response = render(request, "enforcement/public/limited.html", limited, status=429)
            response["Retry-After"] = str(minutes * 60)
            return response
        number = normalise_number(form.cleaned_data["number"])
        context.update(searched=True, number=number, found=find(number))
    return render(request, "enforcement/public/lookup.html", context)
