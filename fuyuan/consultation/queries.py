"""Who sees which risk notices: the one place where this app's scoping is decided (SPEC §2, §6.9).

- 依法治办 and leaders: the notices on cases of their region's subtree (by the county the notice was sent in);
- a court liaison: the notices their court sent;
- an agency liaison: the notices addressed to their agency;
- everyone else (reconsideration bodies, centre staff, coordinators, 纪委监委, the three administrators): nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.consultation.models import RiskNotice
from fuyuan.core.models import Role, User

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(county__path__startswith=region.path) if region else None
    if user.organisation_id is None:
        return None
    if user.role == Role.COURT_LIAISON:
        return Q(court_id=user.organisation_id)
    if user.role == Role.AGENCY_LIAISON:
        return Q(agency_id=user.organisation_id)
    return None


def visible_to(user: User) -> QuerySet[RiskNotice]:
    scope = _scope(user)
    if scope is None:
        return RiskNotice.objects.none()
    return RiskNotice.objects.filter(scope)


def notices_of_case(user: User, case_id: int) -> QuerySet[RiskNotice]:
    """The notices of one case the user sees, oldest first, with their meetings (the case page's panel)."""
    return (
        visible_to(user)
        .filter(case_id=case_id)
        .select_related("case", "court", "agency", "sent_by", "answered_by")
        .prefetch_related("meetings")
        .order_by("sent_on", "id")
    )
