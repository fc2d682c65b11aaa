"""Who may see which disputes: the one place where dispute scoping is decided (SPEC §2).

- 依法治办 and leaders: the disputes of their region subtree;
- centre staff: the disputes of their centre;
- a coordinator: only the disputes they are assigned to now (SPEC §2: "never sees a dispute not assigned");
- an agency's legal staff: the disputes brought against their agency (they sit at the 四方会谈);
- a court liaison or a reconsideration body: the disputes their organisation referred to the centre;
- everyone else, the three administrators included: none.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.disputes.models import Assignment, Coordinator, Dispute

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(region__path__startswith=region.path) if region else None
    if user.role == Role.COORDINATOR:
        assigned = Assignment.objects.filter(dispute=OuterRef("pk"), coordinator__user=user, released_at__isnull=True)
        return Q(Exists(assigned))
    if user.organisation_id is None:
        return None
    if user.role == Role.CENTRE_STAFF:
        return Q(centre_id=user.organisation_id)
    if user.role == Role.AGENCY_LIAISON:
        return Q(agency_id=user.organisation_id)
    if user.role in (Role.COURT_LIAISON, Role.RECONSIDERATION_BODY):
        return Q(referred_by_id=user.organisation_id)
    return None


def visible_to(user: User) -> QuerySet[Dispute]:
    scope = _scope(user)
    if scope is None:
        return Dispute.objects.none()
    return Dispute.objects.filter(scope)


def managed_by(user: User) -> QuerySet[Dispute]:
    """Disputes the user runs: intake, acceptance, assignment and conclusion belong to the centre's staff."""
    if user.role != Role.CENTRE_STAFF or user.organisation_id is None:
        return Dispute.objects.none()
    return Dispute.objects.filter(centre_id=user.organisation_id)


def can_manage(user: User, dispute: Dispute) -> bool:
    return user.is_authenticated and user.role == Role.CENTRE_STAFF and user.organisation_id == dispute.centre_id


def can_work_on(user: User, dispute: Dispute) -> bool:
    """Review, plan and meetings: the centre's staff, or a coordinator assigned to the dispute now."""
    if can_manage(user, dispute):
        return True
    return (
        user.is_authenticated
        and user.role == Role.COORDINATOR
        and dispute.assignments.filter(coordinator__user=user, released_at__isnull=True).exists()
    )


def coordinator_of(user: User) -> Coordinator | None:
    """The pool entry of a coordinator's login, if any."""
    return Coordinator.objects.filter(user=user).first() if user.is_authenticated else None


def pool_for(centre_region_path: str) -> QuerySet[Coordinator]:
    """The coordinators a centre may call on: those of its region subtree and of the regions above it."""
    ids = [p for p in centre_region_path.strip("/").split("/") if p]
    ancestors = ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]
    return Coordinator.objects.filter(active=True).filter(
        Q(region__path__startswith=centre_region_path) | Q(region__path__in=ancestors)
    )
