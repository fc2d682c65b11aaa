"""Who sees which case's loss-risk level: the one place this app's scoping is decided (issue 18 item 4).

The early-warning list is for the 依法治办 (their region's subtree), the leaders (their region's) and an agency's
liaison (its own cases), by the same condition as the cases themselves (``cases.queries.case_scope``); everyone else
sees none. Only pending first-instance cases are listed: a case concluded (or made another instance) since the last
``workflow.apply_levels``, which removes its row, leaves the list at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from fuyuan.cases.choices import CaseKind, Instance
from fuyuan.cases.queries import within_case_scope
from fuyuan.core.models import Role, User
from fuyuan.risk.models import LEVEL_CSS, LEVEL_ORDER, CaseRisk, Level

WARNING_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON})


def visible_to(user: User) -> QuerySet[CaseRisk]:
    if not user.is_authenticated or user.role not in WARNING_ROLES:
        return CaseRisk.objects.none()
    # Named in full, kind and instance too: the database then walks the pending first-instance cases by their index
    # (``case_concluded``), not every pending case of every kind (the dashboard's card over 1,000,000 cases on
    # SQLite: 0.06 s instead of 0.3 s).
    pending_first_instance = CaseRisk.objects.filter(
        case__kind=CaseKind.LITIGATION, case__instance=Instance.FIRST, case__concluded_on__isnull=True
    )
    return within_case_scope(pending_first_instance, user)


def counts_by_level(risks: QuerySet[CaseRisk]) -> dict[str, int]:
    """The number of cases at each level, red first (one query)."""
    found = dict(risks.order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    return {level: found.get(level, 0) for level in LEVEL_ORDER}


def dashboard_levels(user: User) -> list[dict[str, Any]] | None:
    """The dashboard's card (``stats.dashboard``, kept in its cache): each level's count and the URL of its list
    (the list counts by the same ``visible_to``); None for a role that does not use the warning list."""
    if user.role not in WARNING_ROLES:
        return None
    url = reverse("risk:list")
    return [
        {
            "value": level,
            "label": Level(level).label,
            "count": n,
            "css": LEVEL_CSS[level],
            "url": f"{url}?level={level}",
        }
        for level, n in counts_by_level(visible_to(user)).items()
    ]
