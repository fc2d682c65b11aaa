"""The assessment pages: the schemes, the ranking (every value a link to its records), the scheme with its timeline,
the manual items, the records behind an own indicator, the evidence, the .docx report and the .xlsx. Thin: every read
starts from ``queries.visible_to``, every change is a ``workflow`` function."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from fuyuan.assessment import queries, scoring
from fuyuan.assessment import workflow as wf
from fuyuan.assessment.documents import render_report, xlsx_rows
from fuyuan.assessment.indicators import COUNTY, DEPARTMENT, SOURCES
from fuyuan.assessment.models import RuleKind, Scheme
from fuyuan.assessment.records import RECORDS
from fuyuan.core.models import Organisation, Region, RegionLevel, Role, User
from fuyuan.core.timeline import timeline
from fuyuan.core.xlsx_stream import stream_workbook
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAV = "assessment"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _scheme(request: HttpRequest, pk: int) -> tuple[User, Scheme]:
    user = _user(request)
    return user, get_object_or_404(queries.visible_to(user).select_related("region"), pk=pk)


def scheme_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    schemes = queries.visible_to(user).select_related("region").order_by("-year")
    if user.role not in queries.REGION_WIDE_ROLES and user.role != Role.AGENCY_LIAISON:
        raise PermissionDenied("法治建设考核仅供依法治办、领导和被考核部门查看")
    return render(request, "assessment/list.html", {"nav": NAV, "schemes": schemes, "can_create": wf.can_create(user)})


def scheme_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method != "POST" or not wf.can_create(user) or user.region is None:
        raise PermissionDenied("只有州（市）依法治办可以编制考核方案")
    year = request.POST.get("year", "")
    try:
        scheme = wf.create_scheme(user.region, int(year) if year.isdigit() else 0, by=user)
    except wf.AssessmentError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("assessment:list"))
    messages.success(request, f"已编制{scheme.year}年度考核方案，请核对指标分值和计分规则后启用")
    return HttpResponseRedirect(reverse("assessment:scheme", args=[scheme.pk]))


def _visible_rows(user: User, scheme: Scheme, rows: list[scoring.Row]) -> list[scoring.Row]:
    if queries.sees_all_rows(user, scheme):
        return rows
    only = queries.row_filter(user, scheme)
    return [r for r in rows if (r.kind, r.ref) == only]


def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    user, scheme = _scheme(request, pk)
    result = scoring.compute(scheme)
    groups = [
        ("县(市、区)", "counties", _visible_rows(user, scheme, result.counties), len(result.counties)),
        ("州直部门", "departments", _visible_rows(user, scheme, result.departments), len(result.departments)),
    ]
    return render(
        request,
        "assessment/ranking.html",
        {
            "nav": NAV,
            "scheme": scheme,
            "indicators": result.indicators,
            "groups": [g for g in groups if g[2]],
            "missing": result.missing,
            "all_rows": queries.sees_all_rows(user, scheme),
            "can_edit": queries.can_edit(user, scheme),
        },
    )


def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, scheme = _scheme(request, pk)
    editor = queries.can_edit(user, scheme)
    if request.method == "POST":
        if not editor:
            raise PermissionDenied(f"只有{scheme.region.name}依法治办可以编制考核方案")
        action = request.POST.get("action", "")
        try:
            if action == "update":
                indicator = get_object_or_404(scheme.indicators, pk=request.POST.get("indicator", "0") or 0)
                wf.update_indicator(
                    indicator, by=user, weight=request.POST.get("weight", ""), rule=request.POST.get("rule", ""),
                    floor=request.POST.get("floor", ""), target=request.POST.get("target", ""),
                    lower_is_better=request.POST.get("lower_is_better") == "on",
                )  # fmt: skip
                messages.success(request, f"已保存指标“{indicator.name}”")
            elif action == "add":
                added = wf.add_indicator(scheme, request.POST.get("code", ""), by=user)
                messages.success(request, f"已增加指标“{added.name}”")
            elif action == "remove":
                indicator = get_object_or_404(scheme.indicators, pk=request.POST.get("indicator", "0") or 0)
                wf.remove_indicator(indicator, by=user)
                messages.success(request, f"已删除指标“{indicator.name}”")
            elif action == "adopt":
                wf.adopt_scheme(scheme, by=user)
                messages.success(request, "方案已启用")
        except wf.AssessmentError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(reverse("assessment:scheme", args=[scheme.pk]))
    indicators = list(scheme.indicators.order_by("position"))
    present = {i.code for i in indicators}
    return render(
        request,
        "assessment/scheme.html",
        {
            "nav": NAV,
            "scheme": scheme,
            "indicators": [(i, SOURCES.get(i.code)) for i in indicators],
            "total": sum(i.weight for i in indicators),
            "addable": [s for s in SOURCES.values() if s.code not in present],
            "rules": RuleKind.choices,
            "events": timeline(scheme).order_by("at", "id"),
            "can_edit": editor,
            "manual": [i for i in indicators if SOURCES.get(i.code) and SOURCES[i.code].kind == "manual"],
            "counties": Region.objects.filter(parent=scheme.region, level=RegionLevel.COUNTY).order_by("path"),
            "departments": Organisation.objects.filter(
                region=scheme.region, kind__in=scoring.DEPARTMENT_KINDS
            ).order_by("name"),
        },
    )


def manual_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user, scheme = _scheme(request, pk)
    if request.method != "POST" or not queries.can_edit(user, scheme):
        raise PermissionDenied(f"只有{scheme.region.name}依法治办可以录入考核手工项")
    indicator = get_object_or_404(scheme.indicators, pk=request.POST.get("indicator", "0") or 0)
    unit = request.POST.get("unit", "")
    kind, _, ref = unit.partition(":")
    region = organisation = None
    if kind == COUNTY and ref.isdigit():
        region = Region.objects.filter(pk=int(ref)).first()
    elif kind == DEPARTMENT and ref.isdigit():
        organisation = Organisation.objects.filter(pk=int(ref)).first()
    try:
        entry = wf.enter_manual_item(
            indicator, by=user, value=request.POST.get("value", ""), note=request.POST.get("note", ""),
            evidence=request.FILES.get("evidence"), region=region, organisation=organisation,
        )  # fmt: skip
    except wf.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已录入{entry.region or entry.organisation}的“{indicator.name}”：{entry.value}")
    return HttpResponseRedirect(reverse("assessment:scheme", args=[scheme.pk]) + "#manual")


def _unit(request: HttpRequest, scheme: Scheme) -> tuple[str, int, str, list[int]]:
    """The unit of a records list (``?county=`` or ``?department=``), its name and the keys its source counts."""
    for kind in (COUNTY, DEPARTMENT):
        ref = request.GET.get(kind, "")
        if ref.isdigit():
            break
    else:
        raise Http404("没有这项考核记录")
    ref_id = int(ref)
    if kind == COUNTY:
        region = get_object_or_404(Region, pk=ref_id, parent=scheme.region, level=RegionLevel.COUNTY)
        organisations = list(
            Organisation.objects.filter(region__path__startswith=region.path).values_list("pk", flat=True)
        )
        return kind, ref_id, region.name, organisations
    organisation = get_object_or_404(Organisation, pk=ref_id, region=scheme.region)
    return kind, ref_id, organisation.name, [ref_id]


def records(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The records counted for one indicator of one unit: the value's denominator, its numerator ticked."""
    user, scheme = _scheme(request, pk)
    indicator = get_object_or_404(scheme.indicators, code=code)
    if code not in RECORDS:
        raise Http404("没有这项考核记录")
    kind, ref, name, organisations = _unit(request, scheme)
    if not queries.may_see_row(user, scheme, kind, ref):
        raise Http404("没有这项考核记录")
    source = SOURCES[code]
    keys = [ref] if source.keyed_by == "county" else organisations
    counted_header, headers, rows_of = RECORDS[code]
    rows = rows_of(user, scheme.year, keys)
    return render(
        request,
        "assessment/records.html",
        {
            "nav": NAV,
            "scheme": scheme,
            "indicator": indicator,
            "source": source,
            "unit": name,
            "headers": headers,
            "counted_header": counted_header,
            "rows": rows,
            "counted": sum(1 for r in rows if r.counted),
        },
    )


def evidence(request: HttpRequest, pk: int) -> FileResponse:
    user = _user(request)
    entry = get_object_or_404(queries.entries_visible_to(user).select_related("indicator__scheme__region"), pk=pk)
    kind, ref = (COUNTY, entry.region_id) if entry.region_id else (DEPARTMENT, entry.organisation_id)
    if not queries.may_see_row(user, entry.indicator.scheme, kind, ref or 0):
        raise Http404("没有此佐证材料")
    return FileResponse(entry.evidence.open("rb"), as_attachment=True, filename=entry.evidence_name)


def _attachment(response: HttpResponse | StreamingHttpResponse, ascii_name: str, name: str) -> None:
    response["Content-Disposition"] = f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(name)}"


def _full(request: HttpRequest, pk: int) -> tuple[Scheme, scoring.Assessment]:
    """The whole ranking, for those who see all of it (the exports are the ranking entire)."""
    user, scheme = _scheme(request, pk)
    if not queries.sees_all_rows(user, scheme):
        raise PermissionDenied("考核报告和排名表仅供本级及上级依法治办、领导下载")
    return scheme, scoring.compute(scheme)


def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    scheme, result = _full(request, pk)
    response = HttpResponse(render_report(result), content_type=DOCX)
    _attachment(
        response, f"assessment-{scheme.year}.docx", f"{scheme.region.name}{scheme.year}年度法治建设考核情况.docx"
    )
    return response


def ranking_xlsx(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    scheme, result = _full(request, pk)
    response = StreamingHttpResponse(stream_workbook(xlsx_rows(result)), content_type=XLSX)
    response["X-Accel-Buffering"] = "no"
    _attachment(
        response, f"assessment-{scheme.year}.xlsx", f"{scheme.region.name}{scheme.year}年度法治建设考核排名.xlsx"
    )
    return response
