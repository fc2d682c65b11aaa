"""The pages that tie decisions and reviewed documents to the rest (issue 16 item 4) and count them: linking a case
(from the case page or from the decision's or document's page), 争议来源 (the disputes each decision or document
produced, for all or for one) and its drill-down list of cases, 决策统计 (by 承办单位 and step) and its drill-down
lists, and a step's uploaded documents. Thin: every read starts from a ``visible_to``; every change is a workflow
call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to as cases_visible_to
from fuyuan.core.models import Region, User
from fuyuan.core.paging import paginate
from fuyuan.decisions import figures as fig
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.models import StepDocument
from fuyuan.decisions.queries import links_visible_to, matters_visible_to, visible_to
from fuyuan.decisions.views import _attachment, _user


def _region(request: HttpRequest, user: User) -> Region | None:
    """The ``region`` parameter, only within the user's own region subtree (else none: the whole scope)."""
    value = request.GET.get("region", "")
    scope = user.scope_region
    if not value.isdigit() or scope is None:
        return None
    return Region.objects.filter(pk=int(value), path__startswith=scope.path).first()


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# ---------------------------------------------------------------------------------------------------------------
# Linking


def link_case(request: HttpRequest) -> HttpResponse:
    """关联决策/文件: ``case`` (its id, or from the decision's page its 案号 in ``number``) and ``source`` (``d<id>`` or
    ``m<id>``). Everything is loaded through the user's own scope: a case or a source they cannot see is the same
    "not found" as a missing one."""
    user = _user(request)
    if request.method != "POST":
        raise PermissionDenied("请从案件页或决策页关联")
    cases = cases_visible_to(user)
    case_id, number = request.POST.get("case", ""), request.POST.get("number", "").strip()
    source = request.POST.get("source", "")
    case: Case | None = None
    if case_id.isdigit():
        case = cases.filter(pk=int(case_id)).first()
    elif number:
        case = cases.filter(number=number).first()
    back = _back(request, reverse("decisions:sources"))
    if case is None:
        messages.error(request, f"没有找到案号为“{number}”的案件（或您无权查看）" if number else "请选择案件")
        return HttpResponseRedirect(back)
    decision = matter = None
    if source.startswith("d") and source[1:].isdigit():
        decision = visible_to(user).filter(pk=int(source[1:])).first()
    elif source.startswith("m") and source[1:].isdigit():
        matter = matters_visible_to(user).filter(pk=int(source[1:])).first()
    if decision is None and matter is None:
        messages.error(request, "请选择要关联的重大行政决策或经合法性审查的文件")
        return HttpResponseRedirect(back)
    try:
        wf.link_case(case, decision=decision, matter=matter, note=request.POST.get("note", ""), by=user)
    except wf.DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已将案件{case.number}关联到《{(decision or matter).title}》")  # type: ignore[union-attr]
    return HttpResponseRedirect(back)


# ---------------------------------------------------------------------------------------------------------------
# 争议来源


def _source_cells(key: str, counts: dict[str, int], region: Region | None) -> list[dict[str, Any]]:
    base = reverse("decisions:source_cases")
    cells = []
    for name, label in fig.SOURCE_MEASURES.items():
        params = {"figure": name, "source": key, "region": region.pk if region else ""}
        cells.append({"name": name, "label": label, "count": counts[name], "url": f"{base}?{urlencode(params)}"})
    return cells


def sources(request: HttpRequest) -> HttpResponse:
    """Which decisions and documents produced disputes and lost cases; with ``source`` the figures of that one
    (its cases, lost, corrected), each number opening its list."""
    user = _user(request)
    region = _region(request, user)
    links = fig.in_region(links_visible_to(user), region)
    source = request.GET.get("source", "")
    if source:
        where = fig.parse_source(source)
        if where is None:
            raise Http404("没有这项决策或文件")
        links = links.filter(where)
    result = fig.source_figures(links)
    if source and not result.rows:
        raise Http404("没有这项决策或文件的关联案件")
    rows = [{"row": r, "cells": _source_cells(r.key, r.counts, region)} for r in result.rows]
    context = {
        "nav": "decisions",
        "rows": rows,
        "total": _source_cells("", result.total, region),
        "one": rows[0] if source else None,
        "region": region,
    }
    return render(request, "decisions/sources.html", context)


def source_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of 争议来源 (same definition: ``figures.cases_behind``)."""
    user = _user(request)
    region = _region(request, user)
    figure, source = request.GET.get("figure", ""), request.GET.get("source", "")
    links = fig.in_region(links_visible_to(user), region)
    cases = cases_visible_to(user)
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
    try:
        found = fig.cases_behind(cases, links, figure, source)
    except KeyError:
        raise Http404("没有这项统计") from None
    title = ""
    if source:
        first = links.filter(fig.parse_source(source)).select_related("decision", "matter").first()
        title = first.source.title if first is not None else ""
    page = paginate(request, found.select_related("defendant", "court").order_by("-filed_on", "-pk"))
    context = {
        "nav": "decisions",
        "page": page,
        "caption": fig.SOURCE_MEASURES[figure],
        "title": title,
        "source": source,
        "region": region,
    }
    return render(request, "decisions/source_cases.html", context)


# ---------------------------------------------------------------------------------------------------------------
# 决策统计


def decision_figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    decisions = visible_to(user)
    total, rows = fig.decision_figures(decisions)
    headers = [(name, label) for name, (label, _) in fig.decision_measures().items()]
    headers += [(name, label) for name, (label, _) in fig.COMMENT_MEASURES.items()]

    def cells(row: fig.OwnerRow) -> list[dict[str, Any]]:
        out = []
        for name, _label in headers:
            params: dict[str, Any] = {"figure": name, **({"owner": row.key} if row.key else {})}
            page = "decisions:figure_comments" if name in fig.COMMENT_MEASURES else "decisions:list"
            out.append({"name": name, "count": row.counts[name], "url": f"{reverse(page)}?{urlencode(params)}"})
        return out

    context = {
        "nav": "decisions",
        "headers": [label for _, label in headers],
        "rows": [{"label": r.label, "cells": cells(r)} for r in rows],
        "total": {"label": total.label, "cells": cells(total)},
    }
    return render(request, "decisions/figures.html", context)


def figure_comments(request: HttpRequest) -> HttpResponse:
    """The comments behind 意见已答复 / 意见未答复（只征不用）."""
    user = _user(request)
    figure, owner = request.GET.get("figure", ""), request.GET.get("owner", "")
    if figure not in fig.COMMENT_MEASURES or (owner and not owner.isdigit()):
        raise Http404("没有这项统计")
    comments = fig.comments_behind(visible_to(user), figure, int(owner) if owner else None)
    page = paginate(request, comments.select_related("decision", "decision__owner").order_by("-received_at", "-pk"))
    context = {"nav": "decisions", "page": page, "caption": fig.COMMENT_MEASURES[figure][0]}
    return render(request, "decisions/figure_comments.html", context)


# ---------------------------------------------------------------------------------------------------------------
# 环节材料


def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    decision = get_object_or_404(visible_to(user), pk=pk)
    if request.method != "POST":
        raise PermissionDenied("请从决策页上传")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            wf.attach_step_document(
                decision, step=request.POST.get("step", ""), title=request.POST.get("title", ""), upload=upload, by=user
            )
        except wf.DecisionError as error:
            messages.error(request, f"上传失败：{error}")
        else:
            messages.success(request, "材料已上传，归档时一并编入卷宗")
    return HttpResponseRedirect(reverse("decisions:detail", args=[decision.pk]) + "#documents")


def document_file(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    user = _user(request)
    decision = get_object_or_404(visible_to(user), pk=pk)
    document = get_object_or_404(StepDocument.objects.filter(decision=decision), pk=doc_pk)
    response = FileResponse(document.file.open("rb"))
    response["Content-Disposition"] = _attachment(document.file_name)
    return response
