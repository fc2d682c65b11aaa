"""Who sees which written-report duties (SPEC §2): the 依法治办 and the leaders those of their region subtree (a
prefecture's office all its counties', a county's office its own); a county government's liaisons their
government's. Nobody else sees any.

Loss reviews (败诉问责, SPEC §6.3): the 依法治办 and the leaders those of their region subtree; an agency's liaison
its own agency's losses; a court liaison its court's. Nobody else sees any."""

from __future__ import annotations

from django.db.models import QuerySet

from fuyuan.accountability.models import LossReview, ReportDuty
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


def loss_reviews_visible_to(user: User) -> QuerySet[LossReview]:
    if not user.is_authenticated or not user.is_active:
        return LossReview.objects.none()
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        if region is None:
            return LossReview.objects.none()
        return LossReview.objects.filter(case__region__path__startswith=region.path)
    if user.role == Role.AGENCY_LIAISON and user.organisation_id:
        return LossReview.objects.filter(agency_id=user.organisation_id)
    if user.role == Role.COURT_LIAISON and user.organisation_id:
        return LossReview.objects.filter(court_id=user.organisation_id)
    return LossReview.objects.none()
