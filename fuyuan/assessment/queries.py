"""Who sees which assessment: the one place where this app's scoping is decided (SPEC §2, §6.7).

- 依法治办 and leaders of the scheme's prefecture (or above): the whole ranking;
- 依法治办 and leaders of a county: the schemes of their prefecture, and on them their own county's row and rank only;
- an agency liaison of a department of the prefecture (州直部门): its own department's row and rank only;
- everyone else (courts, reconsideration bodies, centre staff, coordinators, 纪委监委, the three administrators):
  nothing.

Only the 依法治办 of the scheme's prefecture edits the scheme and enters the manual items.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.assessment.indicators import COUNTY, DEPARTMENT
from fuyuan.assessment.models import ManualEntry, Scheme
from fuyuan.core.models import Region, RegionLevel, Role, User

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _region(user: User) -> Region | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        return user.scope_region
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return user.scope_region
    return None


def visible_to(user: User) -> QuerySet[Scheme]:
    """The schemes ``user`` may open: those of their region, of a region above it (a county's office sees its
    prefecture's scheme, and there its own row) or below it (a province's office sees its prefectures')."""
    region = _region(user)
    if region is None:
        return Scheme.objects.none()
    if user.role == Role.AGENCY_LIAISON:
        return Scheme.objects.filter(region_id=region.pk)
    ancestors = [int(p) for p in region.path.strip("/").split("/") if p]
    return Scheme.objects.filter(Q(region_id__in=ancestors) | Q(region__path__startswith=region.path))


def sees_all_rows(user: User, scheme: Scheme) -> bool:
    region = _region(user)
    return region is not None and user.role in REGION_WIDE_ROLES and scheme.region.path.startswith(region.path)


def row_filter(user: User, scheme: Scheme) -> tuple[str, int] | None:
    """The one row a user who does not see all rows may see: (kind, ref), or None for no row."""
    region = _region(user)
    if region is None:
        return None
    if user.role in REGION_WIDE_ROLES:
        county = region.county()
        if county.level == RegionLevel.COUNTY and county.parent_id == scheme.region_id:
            return COUNTY, county.pk
        return None
    organisation = user.organisation if user.role == Role.AGENCY_LIAISON else None
    if organisation is not None and organisation.region_id == scheme.region_id:
        return DEPARTMENT, organisation.pk
    return None


def may_see_row(user: User, scheme: Scheme, kind: str, ref: int) -> bool:
    return sees_all_rows(user, scheme) or row_filter(user, scheme) == (kind, ref)


def can_edit(user: User, scheme: Scheme) -> bool:
    """The 依法治办 of the scheme's prefecture."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.RULE_OF_LAW_OFFICE
        and user.region_id == scheme.region_id
    )


def entries_visible_to(user: User) -> QuerySet[ManualEntry]:
    """Manual entries on the schemes ``user`` sees; a view then checks the entry's row is the user's to see."""
    return ManualEntry.objects.filter(indicator__scheme__in=visible_to(user).values("pk"))
