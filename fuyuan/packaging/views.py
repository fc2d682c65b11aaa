"""The packaging pages (领导包案, SPEC §6.4): the list (filters: state, leader, 落后), a package's page with its
cases, progress, 约谈 records, timeline and forms, the new-package form, and the monthly dispatch page with its
.xlsx and .docx. Every page starts from ``queries.visible_to``; views parse, call ``workflow`` and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.cases.models import Case
from fuyuan.core.models import Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX
from fuyuan.packaging import workflow
from fuyuan.packaging.dispatch import build_table, parse_month
from fuyuan.packaging.dispatch_docx import dispatch_docx, dispatch_xlsx
from fuyuan.packaging.forms import CloseForm, InterviewForm, PackageForm, ProgressForm
from fuyuan.packaging.models import CasePackage, PackageState, lagging_condition
from fuyuan.packaging.queries import can_manage, can_report, visible_to

PAGE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in PAGE_ROLES:
        raise PermissionDenied("领导包案仅供依法治办和领导查看")
    return user


def package_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    packages = visible_to(user)
    state, leader, lagging = request.GET.get("state", ""), request.GET.get("leader", ""), request.GET.get("lagging")
    leaders = (
        User.objects.filter(pk__in=packages.values("leader_id"))
        .order_by("full_name", "username")
        .only("id", "full_name", "username")
    )
    if state in PackageState.values:
        packages = packages.filter(state=state)
    else:
        state = ""
    if leader.isdigit():
        packages = packages.filter(leader_id=int(leader))
    if lagging:
        packages = packages.filter(lagging_condition(today))
    packages = (
        packages.select_related("leader", "region")
        .prefetch_related(Prefetch("cases", queryset=Case.objects.order_by("number")))
        .order_by("state", "due_on", "id")
    )
    page = paginate(request, packages)
    rows = [{"package": p, "lagging": p.is_lagging(today), "reason": p.lag_reason(today)} for p in page.object_list]
    context = {
        "nav": "packaging",
        "page": page,
        "rows": rows,
        "states": PackageState.choices,
        "state": state,
        "leaders": leaders,
        "leader": leader,
        "lagging": bool(lagging),
        "can_create": user.role == Role.RULE_OF_LAW_OFFICE and user.scope_region is not None,
    }
    return render(request, "packaging/list.html", context)


def package_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role != Role.RULE_OF_LAW_OFFICE:
        raise PermissionDenied("只有依法治办可以安排领导包案")
    form = PackageForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            package = workflow.create_package(
                kind=data["kind"], leader=data["leader"], cases=data["cases"], goal=data["goal"],
                due_on=data["due_on"], by=user,
            )  # fmt: skip
        except workflow.PackageError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已安排领导包案，并通知包案领导")
            return HttpResponseRedirect(workflow.link(package))
    return render(request, "packaging/new.html", {"nav": "packaging", "form": form})


def _load(request: HttpRequest, pk: int) -> tuple[User, CasePackage]:
    user = _user(request)
    package = get_object_or_404(visible_to(user).select_related("leader", "region", "created_by"), pk=pk)
    return user, package


def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, package = _load(request, pk)
    return _render_detail(request, user, package)


def _render_detail(
    request: HttpRequest, user: User, package: CasePackage, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    manage = can_manage(user, package) and package.is_active
    numbers = "\n".join(c.number for c in package.cases.all())
    action_forms: dict[str, forms.Form] = {
        "progress": ProgressForm(prefix="progress", initial={"reported_on": today}),
        "interview": InterviewForm(prefix="interview", initial={"held_on": today, "interviewee": package.leader.display_name}),
        "close": CloseForm(prefix="close"),
        "edit": PackageForm(prefix="edit", user=user, edit=True,
                            initial={"goal": package.goal, "due_on": package.due_on, "cases": numbers}),
        **(bound or {}),
    }  # fmt: skip
    context = {
        "nav": "packaging",
        "package": package,
        "cases": package.cases.select_related("defendant").order_by("number"),
        "progress": package.progress.select_related("by"),
        "interviews": package.interviews.select_related("recorded_by"),
        "lagging": package.is_lagging(today),
        "lag_reason": package.lag_reason(today),
        "actions": {
            "progress": can_report(user, package) and package.is_active,
            "interview": manage and package.is_lagging(today),
            "close": manage,
            "edit": manage,
        },
        "forms": action_forms,
        "open_form": next(iter(bound), "") if bound else "",
        "events": timeline(package),
    }
    return render(request, "packaging/detail.html", context)


def _act(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form: Callable[[HttpRequest, User], forms.Form],
    allowed: Callable[[User, CasePackage], bool],
    do: Callable[[CasePackage, Any, User], object],
    done: str,
) -> HttpResponse:
    """One action on the package: the right, the form, the workflow; a refusal re-shows the page with the reason."""
    user, package = _load(request, pk)
    if not allowed(user, package):
        raise PermissionDenied("您无权进行此项操作")
    bound = form(request, user)
    if bound.is_valid():
        try:
            do(package, bound.cleaned_data, user)
        except workflow.PackageError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(workflow.link(package))
        user, package = _load(request, pk)
    return _render_detail(request, user, package, bound={name: bound})


@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="progress",
        form=lambda r, u: ProgressForm(r.POST, prefix="progress"),
        allowed=can_report,
        do=lambda p, d, u: workflow.report_progress(p, text=d["text"], reported_on=d["reported_on"], by=u),
        done="已报送进展",
    )  # fmt: skip


@require_POST
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="interview",
        form=lambda r, u: InterviewForm(r.POST, prefix="interview"),
        allowed=can_manage,
        do=lambda p, d, u: workflow.record_interview(p, by=u, **d),
        done="已记录约谈",
    )  # fmt: skip


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="close",
        form=lambda r, u: CloseForm(r.POST, prefix="close"),
        allowed=can_manage,
        do=lambda p, d, u: workflow.close_package(p, state=d["state"], note=d["note"], by=u),
        done="包案已结束",
    )  # fmt: skip


@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="edit",
        form=lambda r, u: PackageForm(r.POST, prefix="edit", user=u, edit=True),
        allowed=can_manage,
        do=lambda p, d, u: workflow.edit_package(p, goal=d["goal"], due_on=d["due_on"], cases=d["cases"], by=u),
        done="已修改包案",
    )  # fmt: skip


def _table(request: HttpRequest) -> tuple[User, Any]:
    user = _user(request)
    today = timezone.localdate()
    month = parse_month(request.GET.get("month", ""), today)
    return user, build_table(visible_to(user), month, today)


def dispatch(request: HttpRequest) -> HttpResponse:
    _viewer, table = _table(request)
    return render(request, "packaging/dispatch.html", {"nav": "packaging-dispatch", "table": table,
                                                       "month": f"{table.month:%Y-%m}"})  # fmt: skip


def dispatch_download(request: HttpRequest, fmt: str) -> HttpResponse:
    user, table = _table(request)
    region = user.scope_region
    issuer = f"{region.name if region else ''}依法治办"
    if fmt == "docx":
        body, content_type = dispatch_docx(table, issuer=issuer), DOCX
    else:
        body, content_type = dispatch_xlsx(table), XLSX
    response = HttpResponse(body, content_type=content_type)
    filename = f"{table.title}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
