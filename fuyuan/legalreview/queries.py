"""Who sees which legal matters: the one place where this app's scoping is decided (SPEC §2, §6.6).

- an agency liaison: the matters their agency sent;
- a reconsideration body (the 司法局 reviews): the matters sent to their bureau for review;
- 依法治办 and leaders: the matters sent from their region's subtree (the 依法治办 also stands for the government
  office, which has no role of its own);
- everyone else (courts, centre staff, coordinators, 纪委监委, the three administrators): nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.legalreview.models import LegalMatter

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(sender_region__path__startswith=region.path) if region else None
    if user.organisation_id is None:
        return None
    if user.role == Role.AGENCY_LIAISON:
        return Q(sender_id=user.organisation_id)
    if user.role == Role.RECONSIDERATION_BODY:
        return Q(review_body_id=user.organisation_id)
    return None


def visible_to(user: User) -> QuerySet[LegalMatter]:
    scope = _scope(user)
    if scope is None:
        return LegalMatter.objects.none()
    return LegalMatter.objects.filter(scope)
