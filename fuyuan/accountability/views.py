"""The written-report pages (书面报告, SPEC §4): the list of duties with their state and deadline, and a duty's file
with the figures that opened it, the report, its timeline and the actions (upload; accept or return).

Every page starts from ``queries.visible_to``: a duty the user cannot see is a 404; the list is for the 依法治办, the
leaders and the agency liaisons (a county government's see its duties), a 403 for everyone else. Views only parse,
call ``accountability.workflow`` and render; a refusal is shown on the form, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.accountability import workflow
from fuyuan.accountability.forms import AcceptForm, ReportUploadForm, ReturnForm
from fuyuan.accountability.models import AWAITING_REPORT, DutyState, ReportDuty
from fuyuan.accountability.queries import visible_to
from fuyuan.core.models import Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline

LIST_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON})
# The list shows first what awaits the county, then what awaits review, then what is done.
STATE_ORDER: dict[str, int] = {DutyState.OPEN: 0, DutyState.RETURNED: 0, DutyState.SUBMITTED: 1, DutyState.CLOSED: 2}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def duty_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("书面报告事项仅供依法治办、领导和县（市、区）人民政府联络员查看")
    state = request.GET.get("state", "")
    duties = visible_to(user).select_related("county", "government")
    if state in DutyState.values:
        duties = duties.filter(state=state)
    else:
        state = ""
    today = timezone.localdate()
    awaiting = Case(
        *(When(state=s, then=Value(order)) for s, order in STATE_ORDER.items()), output_field=IntegerField()
    )
    page = paginate(request, duties.annotate(awaiting=awaiting).order_by("awaiting", "due_on", "pk"))
    rows = [{"duty": d, "overdue": d.is_overdue(today)} for d in page.object_list]
    context = {
        "nav": "report-duties",
        "page": page,
        "rows": rows,
        "state": state,
        "states": DutyState.choices,
        "today": today,
        "threshold": workflow.threshold(),
        "window": workflow.WINDOWS.get(settings.FUYUAN_LOSS_WINDOW, ""),
        "minimum": settings.FUYUAN_REPORT_DUTY_MIN_CASES,
    }
    return render(request, "accountability/list.html", context)


def _load(request: HttpRequest, pk: int) -> tuple[User, ReportDuty]:
    user = _user(request)
    duty = get_object_or_404(
        visible_to(user).select_related("county", "government", "submitted_by", "closed_by"), pk=pk
    )
    return user, duty


def duty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, duty = _load(request, pk)
    return _render_detail(request, user, duty)


def _render_detail(
    request: HttpRequest, user: User, duty: ReportDuty, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    actions = {
        "submit": workflow.can_submit(user, duty) and duty.state in AWAITING_REPORT,
        "review": workflow.can_review(user, duty) and duty.state == DutyState.SUBMITTED,
    }
    action_forms: dict[str, forms.Form] = {
        "submit": ReportUploadForm(prefix="submit"),
        "accept": AcceptForm(prefix="accept"),
        "return": ReturnForm(prefix="return"),
        **(bound or {}),
    }
    context = {
        "nav": "report-duties",
        "duty": duty,
        "overdue": duty.is_overdue(timezone.localdate()),
        "actions": actions,
        "forms": action_forms,
        "open_form": next(iter(bound), "") if bound else "",
        "lost_url": workflow.lost_cases_url(duty),
        "concluded_url": workflow.concluded_cases_url(duty),
        "events": timeline(duty),
    }
    return render(request, "accountability/detail.html", context)


def _act(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form: Callable[[HttpRequest], forms.Form],
    allowed: Callable[[User, ReportDuty], bool],
    do: Callable[[ReportDuty, Any, User], ReportDuty],
    done: str,
) -> HttpResponse:
    """One action on the duty: the right, the form, the workflow; a refusal re-shows the file with the reason."""
    user, duty = _load(request, pk)
    if not allowed(user, duty):
        raise PermissionDenied("您无权进行此项操作")
    bound = form(request)
    if bound.is_valid():
        try:
            do(duty, bound, user)
        except workflow.DutyError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("accountability:detail", args=[pk]))
        user, duty = _load(request, pk)
    return _render_detail(request, user, duty, bound={name: bound})


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="submit",
        form=lambda r: ReportUploadForm(r.POST, r.FILES, prefix="submit"),
        allowed=workflow.can_submit,
        do=lambda d, f, u: workflow.submit_report(d, f.cleaned_data["report"], by=u),
        done="已报送书面报告，等待州（市）依法治办审核",
    )


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="accept",
        form=lambda r: AcceptForm(r.POST, prefix="accept"),
        allowed=workflow.can_review,
        do=lambda d, f, u: workflow.accept_report(d, note=f.cleaned_data["note"], by=u),
        done="已审核通过，书面报告事项办结",
    )


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="return",
        form=lambda r: ReturnForm(r.POST, prefix="return"),
        allowed=workflow.can_review,
        do=lambda d, f, u: workflow.return_report(d, note=f.cleaned_data["note"], by=u),
        done="已退回书面报告，已通知县（市、区）补充后重新报送",
    )


def download_report(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded report, to those who see the duty."""
    _viewer, duty = _load(request, pk)
    if not duty.report:
        raise Http404("尚未上传书面报告")
    return FileResponse(duty.report.open("rb"), as_attachment=True, filename=duty.report_name or duty.report.name)
