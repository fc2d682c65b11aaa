"""The performance pages (SPEC §6.9): the list of items for each role, an item's page (what must be done, the
report and proof, the court's decision and measures, the case's performance events, the actions), opening an item
from its case, and the figures. Every page starts from ``queries.visible_to``: an item the user cannot see is a 404.
Views only parse, call ``performance.workflow`` and render; a refusal is shown next to its form, nothing written."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from fuyuan.cases.queries import visible_to as cases_visible_to
from fuyuan.core.forms import date_param
from fuyuan.core.models import Organisation, OrganisationKind, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.performance import figures as fig
from fuyuan.performance import workflow
from fuyuan.performance.forms import (
    ConfirmForm,
    FigureForm,
    MeasureForm,
    NonPerformanceForm,
    ReportForm,
    TermsForm,
)
from fuyuan.performance.models import ItemState, PerformanceItem
from fuyuan.performance.queries import LIST_ROLES, visible_to


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def items_url(measure: str, start: datetime.date, end: datetime.date, **extra: Any) -> str:
    """The list behind a figure: the same ``figures.items_of`` the figure counts."""
    query = {"measure": measure, "from": start.isoformat(), "to": end.isoformat(), **extra}
    return reverse("performance:list") + "?" + urlencode(query)


def item_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("裁判履行事项仅供法院联络员、机关联络员、依法治办和领导查看")
    today = timezone.localdate()
    scoped = visible_to(user)
    filters = {k: request.GET.get(k, "") for k in ("state", "overdue", "agency", "measure", "from", "to")}
    items = scoped
    if filters["state"] in ItemState.values:
        items = items.filter(state=filters["state"])
    if filters["overdue"]:
        items = items.filter(due_on__lt=today).exclude(state=ItemState.PERFORMED)
    if filters["agency"].isdigit():
        items = items.filter(agency_id=int(filters["agency"]))
    start, end = date_param(filters["from"]), date_param(filters["to"])
    drill = ""
    if filters["measure"] in fig.MEASURES and start and end:
        items = fig.items_of(filters["measure"], items, start, end, today)
        drill = f"履行期限在 {start.isoformat()} 至 {end.isoformat()} 的{fig.MEASURES[filters['measure']]}事项"
    rows = paginate(
        request,
        items.select_related("case", "agency", "court").order_by(
            F("performed_on").asc(nulls_first=True), "due_on", "pk"
        ),
    )
    context = {
        "nav": "performance",
        "rows": rows,
        "today": today,
        "filters": filters,
        "drill": drill,
        "states": ItemState.choices,
        "agencies": Organisation.objects.filter(pk__in=scoped.values("agency_id")).order_by("name"),
        "overdue_count": scoped.filter(due_on__lt=today).exclude(state=ItemState.PERFORMED).count(),
    }
    return render(request, "performance/list.html", context)


def _load(request: HttpRequest, pk: int) -> tuple[User, PerformanceItem]:
    user = _user(request)
    item = get_object_or_404(
        visible_to(user).select_related("case", "agency", "court", "opened_by", "reported_by", "decided_by"), pk=pk
    )
    return user, item


def _recipients(item: PerformanceItem) -> QuerySet[Organisation]:
    """Who may receive a 司法建议: the agencies of the region above the losing agency's county and its own
    (its superior government or department), the agency itself left out."""
    county = item.agency.region.county()
    regions = county.ancestors()
    return (
        Organisation.objects.filter(region__in=regions, kind__in=[OrganisationKind.AGENCY, OrganisationKind.OTHER])
        .exclude(pk=item.agency_id)
        .order_by("region__path", "name")
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _load(request, pk)
    return _render_detail(request, user, item)


def _render_detail(
    request: HttpRequest, user: User, item: PerformanceItem, *, bound: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    court = workflow.is_court_liaison(user, item)
    state = item.state
    made: dict[str, forms.Form] = {
        "terms": TermsForm(prefix="t", initial={"duty": item.duty, "text": item.text, "due_on": item.due_on}),
        "report": ReportForm(prefix="r"),
        "confirm": ConfirmForm(prefix="c", initial={"performed_on": today}),
        "refuse": NonPerformanceForm(prefix="n"),
        "measure": MeasureForm(prefix="m", initial={"taken_on": today}, recipients=_recipients(item)),
    }
    if bound:
        made[bound[0]] = bound[1]
    can = {
        "terms": court and state == ItemState.OPEN,
        "report": workflow.can_report(user, item) and state in (ItemState.OPEN, ItemState.NOT_PERFORMED),
        "confirm": court and state != ItemState.PERFORMED,
        "refuse": court
        and state in (ItemState.OPEN, ItemState.REPORTED)
        and (state == ItemState.REPORTED or item.due_on < today),
        "measure": court and item.due_on < today and not (state == ItemState.PERFORMED and not item.performed_late),
    }
    events = [e for e in timeline(item.case).order_by("-at", "-pk") if e.action.startswith("performance")]
    context = {
        "nav": "performance",
        "item": item,
        "case": item.case,
        "overdue": item.is_overdue(today),
        "days_late": item.days_late(today),
        "measures": item.measures.select_related("recorded_by", "recommendation"),
        "forms": made,
        "can": can,
        "open_form": bound[0] if bound else "",
        "events": events,
    }
    return render(request, "performance/detail.html", context, status=400 if bound else 200)


def _after(request: HttpRequest, item: PerformanceItem, done: str) -> HttpResponse:
    messages.success(request, done)
    return HttpResponseRedirect(reverse("performance:detail", args=[item.pk]))


def _post(request: HttpRequest, pk: int, name: str, form: forms.Form, act: Any, done: str) -> HttpResponse:
    """Validate ``form`` and run ``act(user, item, cleaned_data)``; a refusal is shown next to the form."""
    user, item = _load(request, pk)
    if form.is_valid():
        try:
            act(user, item, form.cleaned_data)
        except workflow.PerformanceError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, item, done)
    return _render_detail(request, user, item, bound=(name, form))


@require_POST
def terms(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, item: PerformanceItem, d: dict[str, Any]) -> None:
        workflow.set_terms(item, duty=d["duty"], text=d["text"], due_on=d["due_on"], by=user)

    return _post(request, pk, "terms", TermsForm(request.POST, prefix="t"), act, "已保存履行内容和期限")


@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, item: PerformanceItem, d: dict[str, Any]) -> None:
        workflow.report_performance(item, text=d["text"], upload=d["upload"], by=user)

    form = ReportForm(request.POST, request.FILES, prefix="r")
    return _post(request, pk, "report", form, act, "已报告履行情况，等待法院确认")


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, item: PerformanceItem, d: dict[str, Any]) -> None:
        workflow.confirm_performance(item, performed_on=d["performed_on"], by=user)

    return _post(request, pk, "confirm", ConfirmForm(request.POST, prefix="c"), act, "已确认履行")


@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    def act(user: User, item: PerformanceItem, d: dict[str, Any]) -> None:
        workflow.record_non_performance(item, note=d["note"], by=user)

    return _post(request, pk, "refuse", NonPerformanceForm(request.POST, prefix="n"), act, "已登记未履行")


@require_POST
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer, item = _load(request, pk)

    def act(user: User, item: PerformanceItem, d: dict[str, Any]) -> None:
        workflow.record_measure(
            item, kind=d["kind"], taken_on=d["taken_on"], text=d["text"], daily_fine=d["daily_fine"],
            recipient=d["recipient"], number=d["number"], document=d["document"], by=user,
        )  # fmt: skip

    form = MeasureForm(request.POST, request.FILES, prefix="m", recipients=_recipients(item))
    return _post(request, pk, "measure", form, act, "已登记法院措施")


def open_item(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = _user(request)
    case = get_object_or_404(cases_visible_to(user).select_related("court", "defendant"), pk=case_pk)
    if not workflow.is_court_liaison(user, case):
        raise PermissionDenied("只有本案法院的联络员可以登记履行事项")
    form = TermsForm(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = workflow.open_item(case, duty=d["duty"], text=d["text"], due_on=d["due_on"], by=user)
        except workflow.PerformanceError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, item, "已登记履行事项，已通知被告机关")
    context = {"nav": "performance", "case": case, "form": form}
    return render(request, "performance/open.html", context, status=400 if form.is_bound else 200)


def proof(request: HttpRequest, pk: int) -> FileResponse:
    _viewer, item = _load(request, pk)
    if not item.proof:
        raise Http404("未上传履行证明材料")
    return FileResponse(item.proof.open("rb"), as_attachment=True, filename=item.proof_name or item.proof.name)


def figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("裁判履行统计仅供法院联络员、机关联络员、依法治办和领导查看")
    form = FigureForm(request.GET or None)
    context: dict[str, Any] = {"nav": "performance-figures", "form": form, "action": reverse("performance:figures")}
    if form.is_bound and not form.is_valid():
        return render(request, "performance/figures.html", context, status=400)
    data = form.cleaned_data if form.is_bound else form.clean_defaults()
    start, end, by = data["date_from"], data["date_to"], data["by"]
    today = timezone.localdate()
    total, rows = fig.figures(visible_to(user), start, end, today, by)

    def cells(row: fig.Row) -> list[dict[str, Any]]:
        extra: dict[str, Any]
        if row.key is None:
            window, extra = (start, end), {}
        elif by == "month":
            window, extra = fig.month_window(row.key), {}
        else:
            window, extra = (start, end), {"agency": row.key}
        return [{"name": m, "count": getattr(row, m), "url": items_url(m, *window, **extra)} for m in fig.MEASURES]

    context.update(
        {
            "window": (start, end),
            "by": by,
            "total": total,
            "total_cells": cells(total),
            "rows": [(row, cells(row)) for row in rows],
            "measures": fig.MEASURES,
        }
    )
    return render(request, "performance/figures.html", context)
