"""Who sees which leader packages (SPEC §2, the one place): the 依法治办 those of its region subtree (the 州 office all
in the prefecture, a county's its county's); a leader their own, and a 州 (or higher) leader all in their region
subtree; nobody else any."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.core.models import RegionLevel, Role, User
from fuyuan.packaging.models import CasePackage


def visible_to(user: User) -> QuerySet[CasePackage]:
    if not user.is_authenticated or not user.is_active:
        return CasePackage.objects.none()
    region = user.scope_region
    if user.role == Role.RULE_OF_LAW_OFFICE:
        return (
            CasePackage.objects.filter(region__path__startswith=region.path) if region else CasePackage.objects.none()
        )
    if user.role == Role.LEADER:
        own = Q(leader_id=user.pk)
        if region is not None and region.level <= RegionLevel.PREFECTURE:
            own |= Q(region__path__startswith=region.path)
        return CasePackage.objects.filter(own)
    return CasePackage.objects.none()


def can_manage(user: User, package: CasePackage) -> bool:
    """The 依法治办 whose region subtree holds the package creates, edits, interviews and closes it."""
    region = user.scope_region
    return (
        user.is_active
        and user.role == Role.RULE_OF_LAW_OFFICE
        and region is not None
        and package.region.path.startswith(region.path)
    )


def can_report(user: User, package: CasePackage) -> bool:
    """The package's leader reports progress; the 依法治办 managing it may enter a report too."""
    return (user.is_active and user.pk == package.leader_id) or can_manage(user, package)
