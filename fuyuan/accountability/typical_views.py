"""The typical-case pages (典型案例, 以案释法, SPEC §6.3): the list of compilations (the prefecture's 依法治办 opens a
quarter there; an agency sees those distributed to it, read or not), and a compilation's page — its cases, the 案号
search to select more, the forms to edit, reorder and remove them while it is a draft, the 印发 button, the
download and the read receipts.

Every page starts from ``typical.compilations_visible_to``: a compilation the user cannot see is a 404; the list is
a 403 for the roles that see none. Opening the page or downloading the file is an agency's read receipt. Views only
parse, call ``accountability.typical`` and render; a refusal is shown next to the form, and nothing is written.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.accountability import typical
from fuyuan.accountability.models import Compilation, Receipt, TypicalCase
from fuyuan.accountability.typical_docx import cause_label
from fuyuan.accountability.typical_forms import OpenCompilationForm, TypicalCaseForm
from fuyuan.cases.choices import loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline

LIST_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def compilation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("典型案例汇编仅供依法治办、领导和行政机关联络员查看")
    region = typical.editable_region(user)
    today = timezone.localdate()
    form = OpenCompilationForm(initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    if request.method == "POST":
        if region is None:
            raise PermissionDenied("典型案例由本州（市）依法治办选定、编辑和印发")
        form = OpenCompilationForm(request.POST)
        if form.is_valid():
            try:
                compilation = typical.open_compilation(
                    region, year=form.cleaned_data["year"], quarter=form.cleaned_data["quarter"], by=user
                )
            except typical.TypicalCaseError as error:
                form.add_error(None, str(error))
            else:
                return HttpResponseRedirect(typical.link(compilation))
    agency = user.role == Role.AGENCY_LIAISON
    compilations = (
        typical.compilations_visible_to(user)
        .select_related("region", "issued_by")
        .annotate(
            cases=Count("typical_cases", distinct=True),
            distributed=Count("receipts", distinct=True),
            read=Count("receipts", filter=Q(receipts__first_read_at__isnull=False), distinct=True),
        )
        .order_by("-year", "-quarter", "-id")
    )
    page = paginate(request, compilations)
    read_here: set[int] = set()
    if agency and user.organisation_id is not None:
        read_here = set(
            Receipt.objects.filter(organisation_id=user.organisation_id, first_read_at__isnull=False).values_list(
                "compilation_id", flat=True
            )
        )
    context = {
        "nav": "typical",
        "page": page,
        "agency": agency,
        "read_here": read_here,
        "form": form if region is not None else None,
        "region": region,
    }
    return render(request, "accountability/typical_list.html", context)


def _load(request: HttpRequest, pk: int) -> tuple[User, Compilation]:
    user = _user(request)
    compilation = get_object_or_404(
        typical.compilations_visible_to(user).select_related("region", "issued_by", "created_by"), pk=pk
    )
    return user, compilation


def _load_item(request: HttpRequest, item: int) -> tuple[User, TypicalCase]:
    user = _user(request)
    visible = typical.compilations_visible_to(user)
    found = get_object_or_404(
        TypicalCase.objects.filter(compilation__in=visible).select_related("compilation__region", "case"), pk=item
    )
    if not typical.is_editor(user, found.compilation):
        raise PermissionDenied("典型案例由本州（市）依法治办选定、编辑和印发")
    return user, found


def compilation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, compilation = _load(request, pk)
    typical.record_read(compilation, by=user)
    return _render_detail(request, user, compilation)


def _render_detail(
    request: HttpRequest,
    user: User,
    compilation: Compilation,
    *,
    bound: dict[int, TypicalCaseForm] | None = None,
    error: str = "",
) -> HttpResponse:
    editor = typical.is_editor(user, compilation)
    editable = editor and compilation.is_draft
    items = list(
        compilation.typical_cases.select_related("case__defendant", "case__county", "selected_by").order_by(
            "position", "id"
        )
    )
    rows = []
    for item in items:
        form = (bound or {}).get(item.pk) or TypicalCaseForm(
            prefix=f"c{item.pk}",
            initial={f: getattr(item, f) for f in ("title", "summary", "cause", "comment", "lesson")},
        )
        rows.append({"item": item, "form": form, "cause_label": cause_label(item), "open": item.pk in (bound or {})})
    query = request.GET.get("q", "").strip()
    candidates: list[Case] = []
    if editable and query:
        candidates = list(typical.selectable_cases(compilation, query)[: typical.SEARCH_LIMIT])
    receipts = None
    if user.role != Role.AGENCY_LIAISON and not compilation.is_draft:
        receipts = list(
            compilation.receipts.select_related("organisation__region", "first_read_by").order_by(
                F("first_read_at").asc(nulls_first=True), "organisation__region__path", "organisation__name"
            )
        )
    context = {
        "nav": "typical",
        "compilation": compilation,
        "rows": rows,
        "editor": editor,
        "editable": editable,
        "query": query,
        "candidates": candidates,
        "loss_outcomes": loss_outcomes(),
        "receipts": receipts,
        "read_count": sum(1 for r in receipts or [] if r.first_read_at),
        "error": error,
        "events": timeline(compilation) if user.role != Role.AGENCY_LIAISON else [],
    }
    return render(request, "accountability/typical_detail.html", context)


def _refused(request: HttpRequest, compilation: Compilation, error: typical.TypicalCaseError) -> HttpResponse:
    user, compilation = _load(request, compilation.pk)
    return _render_detail(request, user, compilation, error=str(error))


@require_POST
def select(request: HttpRequest, pk: int) -> HttpResponse:
    user, compilation = _load(request, pk)
    if not typical.is_editor(user, compilation):
        raise PermissionDenied("典型案例由本州（市）依法治办选定、编辑和印发")
    case_id = request.POST.get("case", "")
    case = get_object_or_404(Case, pk=int(case_id)) if case_id.isdigit() else None
    if case is None:
        raise Http404("未找到案件")
    try:
        typical.select_case(compilation, case, by=user)
    except typical.TypicalCaseError as error:
        return _refused(request, compilation, error)
    messages.success(request, f"已选定{case.number}，请核对并补充案例内容")
    return HttpResponseRedirect(typical.link(compilation))


@require_POST
def edit(request: HttpRequest, item: int) -> HttpResponse:
    user, found = _load_item(request, item)
    form = TypicalCaseForm(request.POST, prefix=f"c{found.pk}")
    if form.is_valid():
        try:
            typical.edit_case(found, by=user, **form.cleaned_data)
        except typical.TypicalCaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存“{form.cleaned_data['title']}”")
            return HttpResponseRedirect(typical.link(found.compilation) + f"#case-{found.pk}")
    user, compilation = _load(request, found.compilation_id)
    return _render_detail(request, user, compilation, bound={found.pk: form})


@require_POST
def move(request: HttpRequest, item: int) -> HttpResponse:
    user, found = _load_item(request, item)
    try:
        typical.move_case(found, up=request.POST.get("direction") == "up", by=user)
    except typical.TypicalCaseError as error:
        return _refused(request, found.compilation, error)
    return HttpResponseRedirect(typical.link(found.compilation))


@require_POST
def remove(request: HttpRequest, item: int) -> HttpResponse:
    user, found = _load_item(request, item)
    try:
        typical.remove_case(found, by=user)
    except typical.TypicalCaseError as error:
        return _refused(request, found.compilation, error)
    messages.success(request, f"已移除{found.case.number}")
    return HttpResponseRedirect(typical.link(found.compilation))


@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    user, compilation = _load(request, pk)
    if not typical.is_editor(user, compilation):
        raise PermissionDenied("典型案例由本州（市）依法治办选定、编辑和印发")
    try:
        compilation = typical.issue_compilation(compilation, by=user)
    except typical.TypicalCaseError as error:
        return _refused(request, compilation, error)
    messages.success(request, f"已印发{compilation.title}，已分送本地区各行政机关")
    return HttpResponseRedirect(typical.link(compilation))


def download(request: HttpRequest, pk: int) -> FileResponse:
    """The .docx as issued (a draft has none: it is generated on issue)."""
    user, compilation = _load(request, pk)
    if compilation.is_draft or not compilation.document:
        raise Http404("汇编尚未印发")
    typical.record_read(compilation, by=user)
    return FileResponse(compilation.document.open("rb"), as_attachment=True, filename=f"{compilation.title}.docx")
