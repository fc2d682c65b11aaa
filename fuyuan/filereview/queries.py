"""Who sees which review plans, sheets and files: the one place where this app's scoping is decided (SPEC §2, §6.7).

- the 司法局's enforcement supervision staff (执法监督人员), the 依法治办 and leaders: the plans and sheets of their
  region's subtree, and the files of those plans or of a body in their subtree (a county sees its bodies' files of the
  prefecture's plan); the staff manage their own region's plans, the others read;
- a 特邀执法监督员: only the files assigned to them (and the plans and sheets those files are under);
- an enforcement body's legal staff (机关联络员): their own body's files and results;
- everyone else: nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.filereview.models import ReviewFile, ReviewPlan, ScoreSheet

REGION_WIDE_ROLES = frozenset({Role.ENFORCEMENT_SUPERVISION, Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _file_scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        if region is None:
            return None
        return Q(plan__region__path__startswith=region.path) | Q(body__region__path__startswith=region.path)
    if user.role == Role.INVITED_SUPERVISOR:
        return Q(reviewer_id=user.pk)
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return Q(body_id=user.organisation_id)
    return None


def visible_to(user: User) -> QuerySet[ReviewFile]:
    """The files the user sees."""
    scope = _file_scope(user)
    if scope is None:
        return ReviewFile.objects.none()
    return ReviewFile.objects.filter(scope)


def plans_visible_to(user: User) -> QuerySet[ReviewPlan]:
    """The plans of the region (region-wide roles), else those holding a file the user sees."""
    with_files = Q(pk__in=visible_to(user).values("plan_id"))
    if user.is_authenticated and user.is_active and user.role in REGION_WIDE_ROLES and user.scope_region is not None:
        return ReviewPlan.objects.filter(Q(region__path__startswith=user.scope_region.path) | with_files)
    return ReviewPlan.objects.filter(with_files)


def sheets_visible_to(user: User) -> QuerySet[ScoreSheet]:
    if user.is_authenticated and user.is_active and user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return ScoreSheet.objects.filter(region__path__startswith=region.path) if region else ScoreSheet.objects.none()
    return ScoreSheet.objects.filter(pk__in=plans_visible_to(user).values("sheet_id"))
