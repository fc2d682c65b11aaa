"""The blocks other pages include to show the links between cases and decisions or reviewed documents (each one line
in the host template, its data read here through the ``visible_to`` of both sides): the case page's panel (with the
关联决策/文件 form), the loss review's pointer back to the decision, and the supervision dashboard's card."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from fuyuan.core.models import Role
from fuyuan.decisions import figures as fig
from fuyuan.decisions.queries import links_visible_to, matters_visible_to, may_link, visible_to

register = template.Library()
# The decisions and documents offered in the case page's form (the newest first) and listed on the dashboard card.
CHOICES = 200
CARD_ROWS = 5
CARD_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


@register.inclusion_tag("decisions/_case_panel.html", takes_context=True)
def case_sources_panel(context: template.Context, case: Any, form: bool = True) -> dict[str, Any]:
    """The decisions and documents this case is about (those the user sees), and the form to link another."""
    request = context["request"]
    user = request.user
    links = list(links_visible_to(user).filter(case=case).select_related("decision", "matter", "linked_by"))
    linker = form and may_link(user)
    decisions: list[Any] = []
    matters: list[Any] = []
    if linker:
        linked_d = {link.decision_id for link in links}
        linked_m = {link.matter_id for link in links}
        decisions = [
            d for d in visible_to(user).order_by("-id").values("pk", "title")[:CHOICES] if d["pk"] not in linked_d
        ]
        matters = [
            m
            for m in matters_visible_to(user).order_by("-id").values("pk", "title")[:CHOICES]
            if m["pk"] not in linked_m
        ]
    show = bool(links) or (linker and bool(decisions or matters))
    return {
        "panel": {
            "show": show,
            "case": case,
            "links": links,
            "form": linker and bool(decisions or matters),
            "decisions": decisions,
            "matters": matters,
            "next": request.get_full_path(),
        }
    }


@register.inclusion_tag("decisions/_dashboard_card.html", takes_context=True)
def dispute_sources_card(context: template.Context) -> dict[str, Any]:
    """Which decisions and documents produced disputes and lost cases, in the dashboard's region (all time: a
    decision is challenged years after it is made). One query (``figures.source_figures``)."""
    user = context["request"].user
    window: tuple[datetime.date, datetime.date] | None = context.get("window")
    if user.role not in CARD_ROLES or window is None:
        return {"card": None}
    region = context.get("region")
    result = fig.source_figures(fig.in_region(links_visible_to(user), region))
    base = reverse("decisions:source_cases")
    region_param = {"region": region.pk} if region is not None else {}

    def url(figure: str, source: str = "") -> str:
        return f"{base}?{urlencode({'figure': figure, 'source': source, **region_param})}"

    rows = [
        {
            "title": r.title,
            "kind": r.kind,
            "url": reverse("decisions:sources") + "?" + urlencode({"source": r.key, **region_param}),
            "cases": r.counts["cases"],
            "cases_url": url("cases", r.key),
            "lost": r.counts["lost"] + r.counts["corrected"],
            "lost_url": url("lost", r.key),
            "corrected_url": url("corrected", r.key),
            "only_lost": r.counts["lost"],
            "corrected": r.counts["corrected"],
        }
        for r in result.rows[:CARD_ROWS]
    ]
    return {
        "card": {
            "sources": result.sources,
            "sources_url": reverse("decisions:sources") + ("?" + urlencode(region_param) if region_param else ""),
            "cases": result.total["cases"],
            "cases_url": url("cases"),
            "lost": result.total["lost"],
            "lost_url": url("lost"),
            "corrected": result.total["corrected"],
            "corrected_url": url("corrected"),
            "rows": rows,
        }
    }
