"""Who sees which performance items: the one place where this app's scoping is decided (SPEC §2, §6.9).

- 依法治办 and leaders: the items of agencies in their region's subtree;
- a court liaison: the items of their court's cases;
- an agency's liaison: their own agency's items;
- everyone else (复议机构, centre staff, coordinators, 纪委监委, the three administrators): nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.performance.models import PerformanceItem

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
LIST_ROLES = frozenset({*REGION_WIDE_ROLES, Role.COURT_LIAISON, Role.AGENCY_LIAISON})


def scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(agency__region__path__startswith=region.path) if region else None
    if user.organisation_id is None:
        return None
    if user.role == Role.COURT_LIAISON:
        return Q(court_id=user.organisation_id)
    if user.role == Role.AGENCY_LIAISON:
        return Q(agency_id=user.organisation_id)
    return None


def visible_to(user: User) -> QuerySet[PerformanceItem]:
    found = scope(user)
    if found is None:
        return PerformanceItem.objects.none()
    return PerformanceItem.objects.filter(found)
