"""Who sees which recommendations: the one place where the ledger's scoping is decided (SPEC §2, §6.5).

- 依法治办 and leaders: the recommendations to agencies in their region's subtree (by the recipient's region);
- an agency's liaison: those addressed to their agency or with an item their agency owns;
- the issuing court / procuratorate / reconsideration body: the documents it issued;
- everyone else (coordinators, centre staff, 纪委监委, the three administrators): nothing.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from fuyuan.core.models import Role, User
from fuyuan.rectification.models import Item, ItemState, Recommendation

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
# The liaisons of the organisations that issue recommendations (court, procuratorate, reconsideration body), and the
# 司法局's enforcement supervision staff, who issue its 执法监督通知书 (fuyuan/filereview).
ISSUER_ROLES = frozenset({Role.COURT_LIAISON, Role.RECONSIDERATION_BODY, Role.ENFORCEMENT_SUPERVISION})


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(recipient__region__path__startswith=region.path) if region else None
    if user.organisation_id is None:
        return None
    if user.role == Role.AGENCY_LIAISON:
        owned = Item.objects.filter(owner_id=user.organisation_id).values("recommendation_id")
        return Q(recipient_id=user.organisation_id) | Q(pk__in=owned)
    if user.role in ISSUER_ROLES:
        return Q(issuer_id=user.organisation_id)
    return None


def visible_to(user: User) -> QuerySet[Recommendation]:
    scope = _scope(user)
    if scope is None:
        return Recommendation.objects.none()
    return Recommendation.objects.filter(scope)


def items_visible_to(user: User) -> QuerySet[Item]:
    return Item.objects.filter(recommendation__in=visible_to(user).values("pk"))


def overdue_items(user: User, today: datetime.date | None = None) -> QuerySet[Item]:
    """Items still being rectified past their due date, among those the user sees (for the dashboard)."""
    today = today or timezone.localdate()
    return items_visible_to(user).filter(state=ItemState.IN_PROGRESS, due_on__lt=today)


def overdue_items_count(user: User, today: datetime.date | None = None) -> int:
    """The dashboard's figure: overdue rectification items the user sees (one query)."""
    return overdue_items(user, today).count()
