"""Who sees which hearings: exactly the hearings of the cases they see (SPEC §2; scoping lives in cases.queries)."""

from __future__ import annotations

from django.db.models import QuerySet

from fuyuan.cases.queries import within_case_scope
from fuyuan.core.models import Role, User
from fuyuan.hearings.models import Hearing


def visible_to(user: User) -> QuerySet[Hearing]:
    """The hearings of the cases ``user`` sees, by the cases' own condition on the joined case
    (``cases.queries.within_case_scope``): the database starts from the hearings asked for (a week's, a case's) and
    looks up each one's case, instead of listing every visible case first, as ``case IN (SELECT …)`` made SQLite do
    (the dashboard's week over 1,000,000 cases: 1 s)."""
    return within_case_scope(Hearing.objects.all(), user)


def may_call_designee(user: User, hearing: Hearing) -> bool:
    """Who may see the appearing head's phone whole (core.masking.REVEALABLE): the agency's liaison (who designated
    the head) and the 依法治办 over the agency's region (who escalates a missing appearance, 一直达, and may have to
    call the head)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.AGENCY_LIAISON:
        return bool(user.organisation_id == hearing.agency_id)
    if user.role == Role.RULE_OF_LAW_OFFICE:
        return visible_to(user).filter(pk=hearing.pk).exists()
    return False
