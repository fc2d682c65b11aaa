"""The supervision dashboard (领导驾驶舱/监督看板, issue 5 §1, SPEC §7): a region's rates, trend, county ranking,
losses, the coming week's hearings and the overdue deadlines, every number a link to the list behind it. Region,
window and the ranking's sort are GET parameters, so a view can be bookmarked and sent."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from fuyuan.cases.queries import visible_to
from fuyuan.core.models import Role, User
from fuyuan.core.replica import reads_replica
from fuyuan.stats import cache as board_cache
from fuyuan.stats.forms import FigureFilterForm, default_window
from fuyuan.stats.views import disputes_for_figures


class DashboardFilterForm(FigureFilterForm):
    """The figures page's filter without its grouping: the dashboard groups by county and month itself."""

    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        del self.fields["by"]


@reads_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """Scoped like the figures page: everyone sees the dashboard of the cases they may see; a role with no cases to
    count (a coordinator, a centre's staff) is told so."""
    user = cast(User, request.user)
    cases = visible_to(user)
    params = request.GET.copy()
    start, end = default_window()
    for name, default in (("date_from", start.isoformat()), ("date_to", end.isoformat())):
        if not params.get(name):
            params[name] = default
    form = DashboardFilterForm(user, params)
    context: dict[str, Any] = {"nav": "dashboard", "form": form}
    if cases.query.is_empty() or user.role == Role.CENTRE_STAFF:
        context["no_cases"] = True
        return render(request, "stats/dashboard.html", context)
    if not form.is_valid():
        return render(request, "stats/dashboard.html", context)
    data = form.cleaned_data
    region = data.get("region")
    disputes = disputes_for_figures(user)
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
        disputes = disputes.filter(region__path__startswith=region.path)
    window = (data["date_from"], data["date_to"])
    shown_disputes = None if disputes.query.is_empty() else disputes
    context.update(
        {
            "window": window,
            "region": region,
            "board": board_cache.build(user, cases, shown_disputes, region, window, data.get("sort") or ""),
            "base_query": urlencode(
                {"region": region.pk if region else "", "date_from": window[0], "date_to": window[1]}
            ),
        }
    )
    return render(request, "stats/dashboard.html", context)
