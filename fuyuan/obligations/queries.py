"""Reading due obligations."""

from __future__ import annotations

from django.db.models import QuerySet

from fuyuan.obligations.models import Obligation, ObligationState


def of_subject(kind: str, subject_id: int) -> QuerySet[Obligation]:
    """The obligations of one record, open or not, by due date."""
    return Obligation.objects.filter(kind=kind, subject_id=subject_id).order_by("due_on", "pk")


def open_of_kind(kind: str) -> QuerySet[Obligation]:
    return Obligation.objects.filter(kind=kind, state=ObligationState.OPEN)
