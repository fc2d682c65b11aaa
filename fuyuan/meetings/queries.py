"""Who sees which joint meetings and their decisions: the one place where this app's scoping is decided (SPEC §2,
§6.9).

- 依法治办 and leaders: the offices, meetings and decisions of their region's subtree (a county's office runs its
  county's 府院联席办; the 州 office and the 州 leaders see the counties' too);
- a liaison of a unit (机关联络员, 法院联络员): the decisions their unit owns, and the meetings that made them — on
  such a meeting they see their own unit's decisions, not the others';
- everyone else (复议机构, centre staff, coordinators, 纪委监委, the three administrators): nothing.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from fuyuan.core.models import Role, User
from fuyuan.meetings.models import Decision, DecisionState, JointOffice, Meeting

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
# The liaisons who report on a decision their unit owns: an agency's, or a court's (the court is a member unit).
OWNER_ROLES = frozenset({Role.AGENCY_LIAISON, Role.COURT_LIAISON})


def _region_path(user: User) -> str | None:
    if not user.is_authenticated or not user.is_active or user.role not in REGION_WIDE_ROLES:
        return None
    region = user.scope_region
    return region.path if region else None


def _owner_org(user: User) -> int | None:
    if not user.is_authenticated or not user.is_active or user.role not in OWNER_ROLES:
        return None
    return user.organisation_id


def offices_visible_to(user: User) -> QuerySet[JointOffice]:
    path = _region_path(user)
    if path is None:
        return JointOffice.objects.none()
    return JointOffice.objects.filter(region__path__startswith=path)


def visible_to(user: User) -> QuerySet[Meeting]:
    path = _region_path(user)
    if path is not None:
        return Meeting.objects.filter(office__region__path__startswith=path)
    org = _owner_org(user)
    if org is not None:
        return Meeting.objects.filter(pk__in=Decision.objects.filter(owner_id=org).values("meeting_id"))
    return Meeting.objects.none()


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    path = _region_path(user)
    if path is not None:
        return Decision.objects.filter(meeting__office__region__path__startswith=path)
    org = _owner_org(user)
    if org is not None:
        return Decision.objects.filter(owner_id=org)
    return Decision.objects.none()


def can_manage(user: User, office: JointOffice) -> bool:
    """The 依法治办 whose region subtree holds the office records its members, meetings and decisions, and confirms
    or sends back what the owners report."""
    path = _region_path(user)
    return user.role == Role.RULE_OF_LAW_OFFICE and path is not None and office.region.path.startswith(path)


def can_report(user: User, decision: Decision) -> bool:
    """A liaison of the owner unit reports the decision done."""
    org = _owner_org(user)
    return org is not None and org == decision.owner_id


def my_tasks(user: User) -> QuerySet[Decision]:
    """The decisions the user's unit owns that are not yet confirmed done (shown until done), soonest first."""
    return (
        decisions_visible_to(user)
        .filter(owner_id=user.organisation_id or 0)
        .exclude(state=DecisionState.DONE)
        .order_by("due_on", "pk")
    )


def overdue_decisions(user: User, today: datetime.date | None = None) -> QuerySet[Decision]:
    today = today or timezone.localdate()
    return decisions_visible_to(user).filter(state=DecisionState.ASSIGNED, due_on__lt=today)
