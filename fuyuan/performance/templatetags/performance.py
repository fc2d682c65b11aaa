"""The performance blocks other pages include: the case page's panel and the dashboard's card (each one line in the
host template, its data read here through ``queries.visible_to``)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fuyuan.performance import figures as fig
from fuyuan.performance.models import ItemState
from fuyuan.performance.queries import LIST_ROLES, visible_to
from fuyuan.performance.workflow import is_court_liaison

register = template.Library()
# Agencies listed on the dashboard card, most overdue first.
CARD_AGENCIES = 5


@register.inclusion_tag("performance/_case_panel.html", takes_context=True)
def performance_panel(context: template.Context, case: Any) -> dict[str, Any]:
    user = context["request"].user
    if not case.is_litigation or user.role not in LIST_ROLES:
        return {"panel": {"show": False}}
    items = list(visible_to(user).filter(case=case).order_by("due_on", "pk"))
    can_open = is_court_liaison(user, case) and case.is_loss and case.effective_on is not None
    show = bool(items) or can_open or case.is_loss
    return {"panel": {"show": show, "case": case, "items": items, "can_open": can_open,
                      "today": timezone.localdate()}}  # fmt: skip


@register.inclusion_tag("performance/_dashboard_card.html", takes_context=True)
def performance_card(context: template.Context) -> dict[str, Any]:
    """履行率 over the dashboard's window and the overdue items by agency (two queries)."""
    user = context["request"].user
    window: tuple[datetime.date, datetime.date] | None = context.get("window")
    if user.role not in LIST_ROLES or window is None:
        return {"card": None}
    today = timezone.localdate()
    items = visible_to(user)
    region = context.get("region")
    if region is not None:
        items = items.filter(agency__region__path__startswith=region.path)
    start, end = window
    total, _rows = fig.figures(items, start, end, today, by=None)
    overdue = items.filter(due_on__lt=today).exclude(state=ItemState.PERFORMED)
    # Every agency's count in one query (a region has tens of agencies, not thousands): the total is their sum.
    by_agency = list(overdue.values("agency_id", "agency__name").annotate(n=Count("pk")).order_by("-n", "agency__name"))
    list_url = reverse("performance:list")
    return {
        "card": {
            "total": total,
            "figures_url": reverse("performance:figures")
            + "?"
            + urlencode({"date_from": start.isoformat(), "date_to": end.isoformat()}),
            "overdue": sum(r["n"] for r in by_agency),
            "overdue_url": f"{list_url}?overdue=1",
            "agencies": [
                {"name": r["agency__name"], "count": r["n"], "url": f"{list_url}?overdue=1&agency={r['agency_id']}"}
                for r in by_agency[:CARD_AGENCIES]
            ],
        }
    }
