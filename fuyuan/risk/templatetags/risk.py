"""The dashboard's card of loss-risk levels (one line in the host template, its data read here through
``queries.visible_to``): the pending cases at each level over the user's whole scope, each count a link to its list
(the same query as the list's, so the figure equals its drill-down)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fuyuan.risk.models import Level
from fuyuan.risk.queries import WARNING_ROLES, counts_by_level, visible_to

register = template.Library()
CSS = {Level.RED: "danger", Level.ORANGE: "warning", Level.YELLOW: "info", Level.GREEN: "success"}


@register.inclusion_tag("risk/_dashboard_card.html", takes_context=True)
def risk_levels_card(context: template.Context) -> dict[str, Any]:
    """One query: the counts by level."""
    user = context["request"].user
    if user.role not in WARNING_ROLES:
        return {"show": False}
    counts = counts_by_level(visible_to(user))
    levels = [
        {"value": level, "label": Level(level).label, "count": n, "css": CSS[level],
         "url": f"{reverse('risk:list')}?level={level}"}  # fmt: skip
        for level, n in counts.items()
    ]
    return {"show": True, "levels": levels, "list_url": reverse("risk:list")}
