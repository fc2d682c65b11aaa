"""Who sees which written-report duties (SPEC §2): the 依法治办 and the leaders those of their region subtree (a
prefecture's office all its counties', a county's office its own); a county government's liaisons their
government's. Nobody else sees any."""

from __future__ import annotations

from django.db.models import QuerySet

from fuyuan.accountability.models import ReportDuty
from fuyuan.core.models import Role, User

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def visible_to(user: User) -> QuerySet[ReportDuty]:
    if not user.is_authenticated or not user.is_active:
        return ReportDuty.objects.none()
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return ReportDuty.objects.filter(county__path__startswith=region.path) if region else ReportDuty.objects.none()
    if user.role == Role.AGENCY_LIAISON and user.organisation_id:
        return ReportDuty.objects.filter(government_id=user.organisation_id)
    return ReportDuty.objects.none()
