"""The public application form's limit per address: at most ``FUYUAN_APPLY_LIMIT`` submissions from one address
in any ``FUYUAN_APPLY_LIMIT_MINUTES`` minutes. Counted in the database (``ApplicationAttempt``) rather than in
Django's cache, which is per process here (``stats.cache``): with several web server processes a cache-based
limit would let each process admit its own quota."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fuyuan.disputes.models import ApplicationAttempt


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.FUYUAN_APPLY_LIMIT_MINUTES)


@transaction.atomic
def admit_submission(address: str) -> bool:
    """Whether a submission from ``address`` is within the limit; if it is, it is counted. A refused submission is
    not counted, so the address is admitted again once its earlier submissions leave the window."""
    now = timezone.now()
    ApplicationAttempt.objects.filter(at__lt=now - window()).delete()
    if ApplicationAttempt.objects.filter(address=address).count() >= settings.FUYUAN_APPLY_LIMIT:
        return False
    ApplicationAttempt.objects.create(address=address, at=now)
    return True


def retry_after(address: str) -> datetime.timedelta:
    """How long until ``address`` may submit again: until its oldest counted submission leaves the window."""
    oldest = ApplicationAttempt.objects.filter(address=address).order_by("at").values_list("at", flat=True).first()
    if oldest is None:
        return datetime.timedelta(0)
    return max(oldest + window() - timezone.now(), datetime.timedelta(0))
