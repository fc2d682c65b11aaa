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
from fuyuan.core.queries import role_scope
from fuyuan.legalreview.models import LegalMatter


def _scope(user: User) -> Q | None:
    return role_scope(
        user,
        region_path="sender_region__path",
        by_organisation={Role.AGENCY_LIAISON: "sender_id", Role.RECONSIDERATION_BODY: "review_body_id"},
    )


def visible_to(user: User) -> QuerySet[LegalMatter]:
    scope = _scope(user)
    if scope is None:
        return LegalMatter.objects.none()
    return LegalMatter.objects.filter(scope)
