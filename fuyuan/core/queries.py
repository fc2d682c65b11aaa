"""Scoped reads of the core records."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from fuyuan.core.models import ADMIN_ROLES, CalendarDay, CalendarYear, Organisation, Region, RegionLevel, Role, User
from fuyuan.core.workdays import Arrangement, WorkCalendar


def regions_visible_to(user: User) -> QuerySet[Region]:
    """The regions a user may choose in filters: their own region's subtree (none for the administrators)."""
    if user.role in ADMIN_ROLES:
        return Region.objects.none()
    scope = user.scope_region
    if scope is None:
        return Region.objects.none()
    return scope.subtree()


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    if user.role in ADMIN_ROLES:
        return Organisation.objects.none()
    scope = user.scope_region
    if scope is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(region__path__startswith=scope.path).select_related("region")


def nearest_users(region: Region, role: str) -> list[User]:
    """The active users of ``role`` who act for ``region``: its own (by their region, or their organisation's), else
    those of the nearest level above that has some (a county without a 依法治办 of its own is the 州's to handle)."""
    ids = [region.pk] + [r.pk for r in reversed(region.ancestors())]
    users = list(
        User.objects.filter(is_active=True, role=role)
        .filter(Q(region_id__in=ids) | Q(region__isnull=True, organisation__region_id__in=ids))
        .select_related("organisation")
        .order_by("id")
    )
    for rid in ids:
        here = [u for u in users if (u.region_id or (u.organisation.region_id if u.organisation else None)) == rid]
        if here:
            return here
    return []


# The roles that see every record of their region's subtree in the linkage and review apps (SPEC §2).
REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def role_scope(user: User, *, region_path: str, by_organisation: dict[str, str]) -> Q | None:
    """The records ``user`` sees, as a filter: the 依法治办 and leaders those under their region (``region_path``: the
    lookup of the record's region path), each role of ``by_organisation`` those whose field names its organisation;
    None: nothing (an inactive user, another role, a liaison without an organisation)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(**{f"{region_path}__startswith": region.path}) if region else None
    field = by_organisation.get(user.role)
    if field is None or user.organisation_id is None:
        return None
    return Q(**{field: user.organisation_id})


def units_named(names: list[str]) -> str:
    """How a caption names the units a figure counts: one by name, several as the first and how many."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]}等 {len(names)} 个单位"


def organisations_named(ids: list[int]) -> str:
    """``units_named`` of the organisations ``ids``, in name order."""
    return units_named(list(Organisation.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)))


def county_map() -> dict[int, int]:
    """Every region's id mapped to its county's id (a region above county level maps to itself).

    One query over the region table, which is small (hundreds of rows), so bulk work can place thousands of
    cases without a query per case.
    """
    regions = {r.pk: r for r in Region.objects.only("id", "level", "path")}
    result: dict[int, int] = {}
    for region in regions.values():
        result[region.pk] = region.pk
        if region.level > RegionLevel.COUNTY:
            for part in reversed(region.path.strip("/").split("/")):
                ancestor = regions.get(int(part))
                if ancestor is not None and ancestor.level == RegionLevel.COUNTY:
                    result[region.pk] = ancestor.pk
                    break
    return result


def work_calendar() -> WorkCalendar:
    """The working-day calendar with the administrator's entered years (one query)."""
    by_year: dict[int, tuple[set[datetime.date], set[datetime.date]]] = {
        y: (set(), set()) for y in CalendarYear.objects.values_list("year", flat=True)
    }
    for year, day, is_workday in CalendarDay.objects.values_list("calendar_year__year", "day", "is_workday"):
        by_year[year][1 if is_workday else 0].add(day)
    return WorkCalendar.with_arrangements(
        Arrangement(year, frozenset(holidays), frozenset(workdays)) for year, (holidays, workdays) in by_year.items()
    )
