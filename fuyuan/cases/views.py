"""The case pages: the list (filters, drill-down, paging over HTMX), a case's detail, and its create/edit forms."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from fuyuan.audit.context import shown_record
from fuyuan.cases.choices import CaseKind
from fuyuan.cases.conflicts import merge_edit
from fuyuan.cases.filters import apply_filters
from fuyuan.cases.forms import FORMS
from fuyuan.cases.models import Case
from fuyuan.cases.queries import can_edit, creatable_kinds, visible_to
from fuyuan.cases.rules import CaseInvalid
from fuyuan.cases.workflow import StaleCase, register_case, update_case
from fuyuan.core.masking import mask_personal_text
from fuyuan.core.models import User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import recent, timeline
from fuyuan.hearings.workflow import can_register

LIST_RELATED = ("court", "reconsideration_body", "defendant")


def _user(request: HttpRequest) -> User:
    """The logged-in user (LoginRequiredMiddleware turns everyone else away before a view runs)."""
    return cast(User, request.user)


def case_list(request: HttpRequest) -> HttpResponse:
    """The registry, filtered; an HTMX request (a filter or page change) gets only the results block."""
    user = _user(request)
    filtered = apply_filters(user, request.GET)
    cases = filtered.cases.select_related(*LIST_RELATED)
    page = paginate(request, cases)

    query = request.GET.copy()
    query.pop("page", None)
    without_figure = query.copy()
    for name in ("figure", "from", "to"):
        without_figure.pop(name, None)
    context = {
        "nav": "cases",
        "page": page,
        "filtered": filtered,
        "form": filtered.form,
        "query": query.urlencode(),
        "export_url": f"{reverse('cases:export')}?{query.urlencode()}",
        "clear_figure_url": f"{reverse('cases:list')}?{without_figure.urlencode()}",
        "figure_params": {name: request.GET[name] for name in ("figure", "from", "to") if name in request.GET},
        "creatable": [(kind, CaseKind(kind).label) for kind in creatable_kinds(user)],
    }
    htmx = getattr(request, "htmx", None)
    # A history restore (the back button after the cache was evicted) needs the whole page, not the block.
    partial = htmx is not None and bool(htmx) and not htmx.history_restore_request
    response = render(request, "cases/_results.html" if partial else "cases/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_object_or_404(
        visible_to(user).select_related(
            "court", "reconsideration_body", "defendant", "region", "county", "predecessor"
        ),
        pk=pk,
    )
    shown_record(request, case)  # the audit record of this read names it without loading it again
    chain = case.chain()
    visible_ids = set(visible_to(user).filter(pk__in=[c.pk for c in chain]).values_list("pk", flat=True))
    events, earlier = recent(case)
    return render(
        request,
        "cases/detail.html",
        {
            "nav": "cases",
            "case": case,
            "chain": [(c, c.pk in visible_ids) for c in chain],
            "events": events,
            "events_earlier": earlier,
            "events_all_url": reverse("cases:timeline", args=[case.pk]),
            "summary_shown": mask_personal_text(case.summary),
            "can_edit": can_edit(user, case),
            "can_register_hearing": can_register(user, case) and not case.outcome,
        },
    )


def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's whole timeline, paged (its page shows the latest ``core.timeline.RECENT_EVENTS``)."""
    case = get_object_or_404(visible_to(_user(request)), pk=pk)
    shown_record(request, case)
    return render(
        request,
        "cases/timeline.html",
        {"nav": "cases", "case": case, "page": paginate(request, timeline(case))},
    )


def case_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CaseKind.values:
        raise Http404("没有这类案件")
    user = _user(request)
    if kind not in creatable_kinds(user):
        raise PermissionDenied("您无权登记此类案件")
    form_class = FORMS[kind]
    form = form_class(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = register_case(form.case_values(), by=user)
        except CaseInvalid as invalid:
            form.show_case_errors(invalid.errors)
        else:
            messages.success(request, f"已登记案件 {case.number}")
            return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    return render(
        request,
        "cases/form.html",
        {"nav": "cases", "form": form, "kind_label": CaseKind(kind).label, "case": None},
    )


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_object_or_404(visible_to(user).select_related("defendant", "predecessor"), pk=pk)
    if not can_edit(user, case):
        raise PermissionDenied("您无权修改此案件")
    form_class = FORMS[case.kind]
    # The form validates on its own copy, so that the workflow compares the stored case with the new values.
    form = form_class(request.POST or None, instance=Case.objects.get(pk=case.pk), user=user)
    status = 200
    conflict = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("expected_version") is None:
        # Without the version the form was opened at, a save could overwrite a change unseen: refused.
        form.add_error(None, "表单缺少版本号，您的修改未保存。请重新打开编辑页面后再修改。")
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            update_case(case, form.case_values(), by=user, expected_version=form.cleaned_data["expected_version"])
        except CaseInvalid as invalid:
            form.show_case_errors(invalid.errors)
        except StaleCase as stale:
            # Nothing was saved. The page shows who changed what since the form was opened, beside the user's
            # own values, and re-renders the form on the latest version: saving again re-applies knowingly.
            case = stale.latest
            fresh = form_class(instance=Case.objects.get(pk=case.pk), user=user)
            conflict = merge_edit(form, case, stale.expected_version, fresh)
            form = form_class(conflict.data, instance=Case.objects.get(pk=case.pk), user=user)
            conflict.mark(form)
            status = 409
        else:
            shown_record(request, case)  # as saved: the audit record of the change names it without a query
            messages.success(request, f"已保存案件 {case.number}")
            return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    return render(
        request,
        "cases/form.html",
        {"nav": "cases", "form": form, "kind_label": case.get_kind_display(), "case": case, "conflict": conflict},
        status=status,
    )
