"""Who may see which disputes: the one place where dispute scoping is decided (SPEC §2).

- 依法治办 and leaders: the disputes of their region subtree;
- centre staff: the disputes of their centre;
- a coordinator: only the disputes they are assigned to now (SPEC §2: "never sees a dispute not assigned");
- an agency's legal staff: the disputes brought against their agency (they sit at the 四方会谈);
- a court liaison or a reconsideration body: the disputes their organisation referred to the centre;
- everyone else, the three administrators included: none.
"""

from __future__ import annotations

from django.db.models import Case, DateField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate

from fuyuan.core.models import Organisation, OrganisationKind, Region, Role, User
from fuyuan.disputes.choices import DisputeState
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


def _ancestor_paths(region_path: str) -> list[str]:
    """``/1/7/23/`` → ``/1/``, ``/1/7/``, ``/1/7/23/``."""
    ids = [p for p in region_path.strip("/").split("/") if p]
    return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


def _in_reach(region_path: str, field: str = "region") -> Q:
    """Of the region subtree at ``region_path``, or of a region above it."""
    return Q(**{f"{field}__path__startswith": region_path}) | Q(**{f"{field}__path__in": _ancestor_paths(region_path)})


def pool_for(centre_region_path: str) -> QuerySet[Coordinator]:
    """The coordinators a centre may call on: those of its region subtree and of the regions above it."""
    return Coordinator.objects.filter(active=True).filter(_in_reach(centre_region_path))


# ---------------------------------------------------------------------------------------------------------------
# The pool's own pages (专业协调员库): who sees which coordinators, who keeps them.
#
# - centre staff, 依法治办 and leaders see the pool of their region: ``pool_for`` it, and also those removed from
#   the pool (移出专家库) of their own subtree, so that a removal can be seen and undone;
# - only centre staff keep the pool, and only the coordinators of their centre's region subtree (a county centre
#   calls on the prefecture's experts but does not edit them);
# - nobody else sees the pool pages (a coordinator has 我的协调任务; agencies, courts and the administrators none).

POOL_ROLES = frozenset({Role.CENTRE_STAFF, Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def pool_region_of(user: User) -> Region | None:
    """The region whose pool the user sees: their centre's for centre staff, their own for the others."""
    if not user.is_authenticated or not user.is_active or user.role not in POOL_ROLES:
        return None
    if user.role == Role.CENTRE_STAFF:
        return user.organisation.region if user.organisation is not None else None
    return user.scope_region


def pool_visible_to(user: User) -> QuerySet[Coordinator]:
    region = pool_region_of(user)
    if region is None:
        return Coordinator.objects.none()
    return Coordinator.objects.filter(
        (Q(active=True) & _in_reach(region.path)) | Q(active=False, region__path__startswith=region.path)
    )


def keeps_pool(user: User) -> bool:
    """Whether the user may add coordinators to the pool (centre staff of a centre)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.CENTRE_STAFF
        and user.organisation is not None
        and user.organisation.kind == OrganisationKind.COORDINATION_CENTRE
    )


def keepable_regions(user: User) -> QuerySet[Region]:
    """The regions a centre's staff may place a coordinator in: the centre's region subtree."""
    if not keeps_pool(user):
        return Region.objects.none()
    assert user.organisation is not None
    return Region.objects.filter(path__startswith=user.organisation.region.path)


def can_keep(user: User, coordinator: Coordinator) -> bool:
    """Whether the user may change ``coordinator`` (its entry, its removal, its declarations)."""
    if not keeps_pool(user):
        return False
    assert user.organisation is not None
    return coordinator.region.path.startswith(user.organisation.region.path)


def pool_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations a coordinator of this centre may belong to: the region subtree and the regions above."""
    if not keeps_pool(user):
        return Organisation.objects.none()
    assert user.organisation is not None
    return Organisation.objects.filter(_in_reach(user.organisation.region.path)).order_by("region__path", "name")


def conflict_agencies(user: User) -> QuerySet[Organisation]:
    """The agencies a coordinator may declare a conflict with: those the centre's disputes may be brought against,
    and those above (a prefecture's coordinator sits on county disputes too)."""
    return pool_organisations(user).filter(kind=OrganisationKind.AGENCY)


def linkable_accounts(user: User, coordinator: Coordinator | None = None) -> QuerySet[User]:
    """Coordinator log-ins of the centre's region subtree not yet linked to another pool entry."""
    if not keeps_pool(user):
        return User.objects.none()
    assert user.organisation is not None
    path = user.organisation.region.path
    free = Q(coordinator__isnull=True)
    if coordinator is not None and coordinator.pk is not None:
        free |= Q(coordinator=coordinator)
    return (
        User.objects.filter(role=Role.COORDINATOR, is_active=True)
        .filter(Q(region__path__startswith=path) | Q(region__isnull=True, organisation__region__path__startswith=path))
        .filter(free)
        .order_by("full_name", "username")
    )


def current_due() -> Case:
    """``Dispute.current_due_on`` as an SQL expression, so that a list can sort by the time limit and page in the
    database: the review's limit while assigned, the plan's once reviewed, the mediation period while accepted or
    planned, none otherwise."""
    return Case(
        When(state=DisputeState.ASSIGNED, then=F("review_due_on")),
        When(state=DisputeState.REVIEWED, then=F("plan_due_on")),
        When(state__in=[DisputeState.ACCEPTED, DisputeState.PLANNED], then=F("mediation_due_on")),
        default=Value(None),
        output_field=DateField(),
    )


def past_assignments_of(user: User) -> QuerySet[Assignment]:
    """A coordinator's past work, newest first: their assignments to disputes since closed, and the ones they left
    (on a dispute they are not on again), each with ``ended_on`` — the day it closed or the day they left."""
    now_on = Assignment.objects.filter(dispute=OuterRef("dispute"), coordinator__user=user, released_at__isnull=True)
    return (
        Assignment.objects.filter(coordinator__user=user)
        .filter(
            Q(released_at__isnull=True, dispute__state=DisputeState.CLOSED)
            | Q(released_at__isnull=False) & ~Q(Exists(now_on))
        )
        .annotate(ended_on=Coalesce(TruncDate("released_at"), "dispute__concluded_on"))
        .order_by(F("ended_on").desc(nulls_last=True), "-id")
    )
