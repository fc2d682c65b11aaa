"""Who sees which 旁听 sessions, and each unit's count against the rule: the one place where this app's scoping is
decided (SPEC §2, §6.7).

- 依法治办, leaders and the 司法局's 执法监督人员: sessions attended by a unit of their region's subtree, and the
  compliance of every administrative unit there;
- a unit's legal staff (机关联络员): the sessions their unit attended, and their unit's count;
- everyone else: nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from fuyuan.attendance.models import Session, SessionUnit
from fuyuan.core.models import Organisation, OrganisationKind, Role, User

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.ENFORCEMENT_SUPERVISION})
# The units the rule applies to: administrative bodies (行政机关), and others registered as such.
UNIT_KINDS = (OrganisationKind.AGENCY, OrganisationKind.OTHER)


def _unit_scope(user: User) -> Q | None:
    """Which units' records the user sees, as a filter on ``SessionUnit``."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(organisation__region__path__startswith=region.path) if region else None
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return Q(organisation_id=user.organisation_id)
    return None


def units_visible_to(user: User) -> QuerySet[SessionUnit]:
    scope = _unit_scope(user)
    return SessionUnit.objects.none() if scope is None else SessionUnit.objects.filter(scope)


def visible_to(user: User) -> QuerySet[Session]:
    """The sessions attended by a unit the user sees."""
    scope = _unit_scope(user)
    if scope is None:
        return Session.objects.none()
    return Session.objects.filter(pk__in=SessionUnit.objects.filter(scope).values("session_id"))


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """The units whose compliance the user sees."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.role in REGION_WIDE_ROLES and user.scope_region is not None:
        return Organisation.objects.filter(kind__in=UNIT_KINDS, region__path__startswith=user.scope_region.path)
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def counts_of(units: QuerySet[Organisation], year: int) -> QuerySet[Any]:
    """``units`` with ``attended``: the sessions each attended in ``year`` (one aggregate query)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    within = Q(attendance_units__held_on__gte=first, attendance_units__held_on__lte=last)
    return units.annotate(attended=Count("attendance_units", filter=within))
