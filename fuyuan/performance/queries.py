"""Who sees which performance items: the one place where this app's scoping is decided (SPEC §2, §6.9).

- 依法治办 and leaders: the items of agencies in their region's subtree;
- a court liaison: the items of their court's cases;
- an agency's liaison: their own agency's items;
- everyone else (复议机构, centre staff, coordinators, 纪委监委, the three administrators): nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.core.queries import REGION_WIDE_ROLES, role_scope
from fuyuan.performance.models import PerformanceItem

LIST_ROLES = frozenset({*REGION_WIDE_ROLES, Role.COURT_LIAISON, Role.AGENCY_LIAISON})


def scope(user: User) -> Q | None:
    return role_scope(
        user,
        region_path="agency__region__path",
        by_organisation={Role.COURT_LIAISON: "court_id", Role.AGENCY_LIAISON: "agency_id"},
    )


def visible_to(user: User) -> QuerySet[PerformanceItem]:
    found = scope(user)
    if found is None:
        return PerformanceItem.objects.none()
    return PerformanceItem.objects.filter(found)
