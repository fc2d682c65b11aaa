"""Who sees which review plans, sheets and files: the one place where this app's scoping is decided (SPEC §2, §6.7).

- the 司法局's enforcement supervision staff (执法监督人员), the 依法治办 and leaders: the plans, sheets and files of
  their region's subtree (the staff manage them, the others read);
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
        return Q(plan__region__path__startswith=region.path) if region else None
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
    if user.is_authenticated and user.is_active and user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return ReviewPlan.objects.filter(region__path__startswith=region.path) if region else ReviewPlan.objects.none()
    return ReviewPlan.objects.filter(pk__in=visible_to(user).values("plan_id"))


def sheets_visible_to(user: User) -> QuerySet[ScoreSheet]:
    if user.is_authenticated and user.is_active and user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return ScoreSheet.objects.filter(region__path__startswith=region.path) if region else ScoreSheet.objects.none()
    return ScoreSheet.objects.filter(pk__in=plans_visible_to(user).values("sheet_id"))
