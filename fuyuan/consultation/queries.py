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
from fuyuan.core.queries import role_scope


def _scope(user: User) -> Q | None:
    return role_scope(
        user,
        region_path="county__path",
        by_organisation={Role.COURT_LIAISON: "court_id", Role.AGENCY_LIAISON: "agency_id"},
    )


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
