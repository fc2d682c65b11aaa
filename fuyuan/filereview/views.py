"""The case-file review pages: plans (list, new, one plan with its bodies, files, registration and notices), the
files (each role its own; the reviewer's queue; the files behind a figure), one file with its scoring form (an HTMX
preview of the total), the results per body and per reviewer, and the scoring sheets. Thin: every read starts from
``queries``, every change is a ``workflow`` function."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.queries import organisations_named
from fuyuan.core.timeline import timeline
from fuyuan.filereview import workflow as wf
from fuyuan.filereview.indicators import counted_files
from fuyuan.filereview.models import ActKind, ItemKind, ReviewFile, ReviewMode
from fuyuan.filereview.queries import plans_visible_to, sheets_visible_to, visible_to

FILE_RELATED = ("plan", "body", "reviewer")
RESULTS = {"scored": "已评分", "passed": "合格", "failed": "不合格", "vetoed": "一票否决", "unscored": "未评分"}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _year(request: HttpRequest) -> int:
    year = _int(request.GET.get("year"))
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


def _filter_result(files: QuerySet[ReviewFile], result: str) -> QuerySet[ReviewFile]:
    if result == "passed":
        return files.filter(passed=True)
    if result == "failed":
        return files.filter(passed=False)
    if result == "vetoed":
        return files.filter(vetoed=True)
    if result == "scored":
        return files.filter(scored_at__isnull=False)
    if result == "unscored":
        return files.filter(scored_at__isnull=True)
    return files


# ---------------------------------------------------------------------------------------------------------------
# Files


def file_list(request: HttpRequest) -> HttpResponse:
    """The files the user sees (a 特邀执法监督员's: those assigned to them, unscored first), filtered by plan, body,
    reviewer and result. ``?organisation=ID&year=YYYY`` (the assessment's drill-down) lists exactly the files
    ``indicators.file_review_score`` counts for that body: scored, in the year's plans."""
    user = _user(request)
    files = visible_to(user)
    # ``organisation`` repeated for a county's units, whose value sums them
    orgs = [o for o in (_int(v) for v in request.GET.getlist("organisation")) if o is not None]
    year, plan = _int(request.GET.get("year")), _int(request.GET.get("plan"))
    reviewer, result = _int(request.GET.get("reviewer")), request.GET.get("result", "")
    caption = ""
    if orgs and year is not None:
        files = files.filter(pk__in=counted_files(year).filter(body_id__in=orgs).values("pk"))
        name = organisations_named(orgs)
        caption = f"{name} {year}年计入考核的评查案卷（已评分）"
    elif year is not None:
        files = files.filter(plan__year=year)
    if orgs and year is None:
        files = files.filter(body_id__in=orgs)
    if plan is not None:
        files = files.filter(plan_id=plan)
    if reviewer is not None:
        files = files.filter(reviewer_id=reviewer)
    files = _filter_result(files, result)
    # Unscored first (a reviewer's to-do), then the latest scored.
    ordered = files.select_related(*FILE_RELATED).order_by(
        F("scored_at").desc(nulls_first=True), "body__name", "number"
    )
    return render(
        request,
        "filereview/files.html",
        {
            "nav": "filereview-files",
            "page": paginate(request, ordered),
            "caption": caption,
            "result": result,
            "results": RESULTS.items(),
            "mine": user.role == Role.INVITED_SUPERVISOR,
        },
    )


def _marks_of(file: ReviewFile) -> tuple[set[int], dict[int, Decimal]]:
    vetoes, deductions = set(), {}
    for mark in file.marks.select_related("item"):
        if mark.item.kind == ItemKind.VETO:
            vetoes.add(mark.item_id)
        else:
            deductions[mark.item_id] = mark.points
    return vetoes, deductions


def _posted_marks(request: HttpRequest) -> tuple[list[int], dict[int, str]]:
    vetoes = [int(v) for v in request.POST.getlist("veto") if v.isdigit()]
    deductions = {
        int(key[7:]): str(value)
        for key, value in request.POST.items()
        if key.startswith("deduct_") and key[7:].isdigit()
    }
    return vetoes, deductions


def _sheet_rows(file: ReviewFile, vetoes: set[int], deductions: dict[int, Any]) -> dict[str, Any]:
    sheet = file.plan.sheet
    items = list(sheet.items.select_related("part"))
    parts = [
        {"part": p, "items": [(i, deductions.get(i.pk, "")) for i in items if i.part_id == p.pk]}
        for p in sheet.parts.all()
    ]
    return {
        "sheet": sheet,
        "veto_items": [(i, i.pk in vetoes) for i in items if i.kind == ItemKind.VETO],
        "parts": parts,
    }


def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One file: its marks and result, and for its assigned reviewer the scoring form (POST scores it)."""
    user = _user(request)
    file = get_object_or_404(visible_to(user).select_related(*FILE_RELATED, "plan__sheet", "notice_item"), pk=pk)
    can_score = wf.can_score(user, file)
    error = ""
    if request.method == "POST":
        if not can_score:
            raise PermissionDenied("只有分配的评查人可以评分")
        vetoes, deductions = _posted_marks(request)
        try:
            wf.score_file(
                file, vetoes=vetoes, deductions=deductions, findings=request.POST.get("findings", ""), by=user
            )
        except wf.ReviewError as e:
            error = str(e)
            marks: tuple[set[int], dict[int, Any]] = (set(vetoes), dict(deductions))
        else:
            messages.success(request, f"案卷{file.number}评分已保存")
            return HttpResponseRedirect(reverse("filereview:file", args=[file.pk]))
    else:
        marks = _marks_of(file)
    return render(
        request,
        "filereview/file.html",
        {
            "nav": "filereview-files",
            "file": file,
            "can_score": can_score,
            "error": error,
            "findings": request.POST.get("findings", file.findings),
            **_sheet_rows(file, *marks),
            "events": timeline(file).order_by("at", "id"),
        },
        status=400 if error else 200,
    )


@require_POST
def score_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the total the form would give (or the reason it would be refused), nothing written."""
    user = _user(request)
    file = get_object_or_404(visible_to(user).select_related("plan__sheet"), pk=pk)
    if not wf.can_score(user, file):
        raise PermissionDenied("只有分配的评查人可以评分")
    vetoes, deductions = _posted_marks(request)
    try:
        points, score, vetoed, passed, _ = wf.compute_result(file.plan.sheet, vetoes, deductions)
    except wf.ReviewError as e:
        return render(request, "filereview/_preview.html", {"error": str(e)})
    return render(
        request,
        "filereview/_preview.html",
        {"points": points, "score": score, "vetoed": vetoed, "passed": passed, "pass_mark": file.plan.sheet.pass_mark},
    )


# ---------------------------------------------------------------------------------------------------------------
# Plans


def plan_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    plans = (
        plans_visible_to(user)
        .select_related("organiser", "sheet")
        .annotate(
            n_bodies=Count("bodies", distinct=True),
            n_files=Count("files", distinct=True),
            n_scored=Count("files", filter=Q(files__scored_at__isnull=False), distinct=True),
        )
        .order_by("-year", "-id")
    )
    return render(
        request,
        "filereview/plans.html",
        {"nav": "filereview-plans", "page": paginate(request, plans), "can_create": wf.is_supervision_staff(user)},
    )


def _org_choices(user: User) -> QuerySet[Organisation]:
    region = user.scope_region
    assert region is not None
    return Organisation.objects.filter(
        region__path__startswith=region.path, kind__in=[OrganisationKind.AGENCY, OrganisationKind.OTHER]
    ).order_by("region__path", "name")


def _reviewer_choices(user: User) -> QuerySet[User]:
    region = user.scope_region
    assert region is not None
    return User.objects.filter(is_active=True, role__in=wf.REVIEWER_ROLES).filter(
        Q(region__path__startswith=region.path) | Q(organisation__region__path__startswith=region.path)
    )


def plan_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not wf.is_supervision_staff(user):
        raise PermissionDenied("只有司法局执法监督人员可以制定评查计划")
    year = _int(request.POST.get("year")) or timezone.localdate().year
    sheets = sheets_visible_to(user).order_by("-year", "name")
    orgs = list(_org_choices(user))
    reviewers = list(_reviewer_choices(user))
    error = ""
    if request.method == "POST":
        try:
            sheet = sheets.filter(pk=_int(request.POST.get("sheet")) or 0).first()
            if sheet is None:
                raise wf.ReviewError("请选择评查标准")
            bodies = {}
            for org in orgs:
                quota = request.POST.get(f"quota_{org.pk}", "").strip()
                if quota:
                    if not quota.isdigit():
                        raise wf.ReviewError(f"“{org.name}”的评查案卷数应为整数（填写的是“{quota}”）")
                    bodies[org] = int(quota)
            chosen = {int(v) for v in request.POST.getlist("reviewers") if v.isdigit()}
            plan = wf.create_plan(
                year=year,
                name=request.POST.get("name", ""),
                mode=request.POST.get("mode", ""),
                sheet=sheet,
                bodies=bodies,
                reviewers=[r for r in reviewers if r.pk in chosen],
                by=user,
            )
        except wf.ReviewError as e:
            error = str(e)
        else:
            messages.success(request, f"已制定{plan}")
            return HttpResponseRedirect(reverse("filereview:plan", args=[plan.pk]))
    return render(
        request,
        "filereview/plan_new.html",
        {
            "nav": "filereview-plans",
            "error": error,
            "year": year,
            "sheets": sheets,
            "orgs": orgs,
            "reviewers": reviewers,
            "modes": ReviewMode.choices,
            "post": request.POST,
        },
        status=400 if error else 200,
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its bodies (quota, registered, scored, failed, awaiting a notice), reviewers and files; the staff
    register files, assign them and issue the notices."""
    user = _user(request)
    plan = get_object_or_404(plans_visible_to(user).select_related("organiser", "sheet", "region"), pk=pk)
    manage = wf.can_manage_plan(user, plan)
    error = ""
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有本地区司法局执法监督人员可以管理评查计划")
        error = _plan_action(request, plan, user)
        if not error:
            return HttpResponseRedirect(reverse("filereview:plan", args=[plan.pk]))
    files = visible_to(user).filter(plan=plan)
    bodies = plan.bodies.select_related("organisation")
    counts = {
        r["body_id"]: r
        for r in files.values("body_id").annotate(
            registered=Count("id"),
            scored=Count("id", filter=Q(scored_at__isnull=False)),
            failed=Count("id", filter=Q(passed=False)),
            pending=Count(
                "id", filter=Q(scored_at__isnull=False, notice_item__isnull=True) & ~Q(passed=True, findings="")
            ),
        )
    }
    rows = [(b, counts.get(b.organisation_id, {})) for b in bodies]
    return render(
        request,
        "filereview/plan.html",
        {
            "nav": "filereview-plans",
            "plan": plan,
            "manage": manage,
            "error": error,
            "rows": rows,
            "reviewers": list(plan.reviewers.all()),
            "page": paginate(request, files.select_related(*FILE_RELATED)),
            "act_kinds": ActKind.choices,
            "today": timezone.localdate(),
            "events": timeline(plan).order_by("at", "id"),
        },
        status=400 if error else 200,
    )


def _plan_action(request: HttpRequest, plan: Any, user: User) -> str:
    action = request.POST.get("action")
    try:
        if action == "register":
            body = plan.bodies.filter(organisation_id=_int(request.POST.get("body"))).first()
            if body is None:
                raise wf.ReviewError("请选择执法主体")
            try:
                decided_on = datetime.date.fromisoformat(request.POST.get("decided_on", ""))
            except ValueError:
                raise wf.ReviewError("请填写“决定日期”（如 2026-03-01）") from None
            reviewer = plan.reviewers.filter(pk=_int(request.POST.get("reviewer")) or 0).first()
            file = wf.register_file(
                plan,
                number=request.POST.get("number", ""),
                body=body.organisation,
                act_kind=request.POST.get("act_kind", ""),
                decided_on=decided_on,
                reviewer=reviewer,
                by=user,
            )
            messages.success(request, f"已登记案卷{file.number}")
        elif action == "assign":
            file = get_object_or_404(plan.files, pk=_int(request.POST.get("file")))
            reviewer = plan.reviewers.filter(pk=_int(request.POST.get("reviewer")) or 0).first()
            if reviewer is None:
                raise wf.ReviewError("请选择评查人")
            wf.assign_file(file, reviewer=reviewer, by=user)
            messages.success(request, f"案卷{file.number}已分配给{reviewer.display_name}")
        elif action == "notice":
            body = plan.bodies.filter(organisation_id=_int(request.POST.get("body"))).first()
            if body is None:
                raise wf.ReviewError("请选择执法主体")
            rec = wf.issue_notice(plan, body.organisation, by=user)
            messages.success(request, f"已下发执法监督通知书{rec.number}，整改事项已列入销账本")
        else:
            raise wf.ReviewError("未知操作")
    except wf.ReviewError as e:
        return str(e)
    return ""


# ---------------------------------------------------------------------------------------------------------------
# Results


def results(request: HttpRequest) -> HttpResponse:
    """The year's results per body and per reviewer: files scored, average, pass rate, veto counts; each number opens
    its files (``file_list`` with the same filters)."""
    user = _user(request)
    year = _year(request)
    scored = visible_to(user).filter(plan__year=year, scored_at__isnull=False)
    measures = {
        "n": Count("id"),
        "avg": Avg("score"),
        "n_passed": Count("id", filter=Q(passed=True)),
        "n_failed": Count("id", filter=Q(passed=False)),
        "n_vetoed": Count("id", filter=Q(vetoed=True)),
    }
    by_body = list(scored.values("body_id", "body__name").annotate(**measures).order_by("body__name"))
    by_reviewer = list(
        scored.values("reviewer_id", "reviewer__full_name", "reviewer__username", "reviewer__role")
        .annotate(**measures)
        .order_by("reviewer__full_name")
    )
    for row in by_body + by_reviewer:
        row["rate"] = row["n_passed"] * 100 / row["n"] if row["n"] else None
    return render(
        request,
        "filereview/results.html",
        {
            "nav": "filereview-results",
            "year": year,
            "by_body": by_body,
            "by_reviewer": by_reviewer,
            "invited": Role.INVITED_SUPERVISOR.value,
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Sheets


def sheet_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    sheets = sheets_visible_to(user).select_related("region").annotate(n_items=Count("items")).order_by("-year", "name")
    return render(request, "filereview/sheets.html", {"nav": "filereview-sheets", "page": paginate(request, sheets)})


def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    sheet = get_object_or_404(sheets_visible_to(user).select_related("region", "copied_from"), pk=pk)
    manage = wf.can_manage_sheet(user, sheet)
    error = ""
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("只有本地区司法局执法监督人员可以修改评查标准")
        action = request.POST.get("action")
        try:
            if action == "copy":
                new = wf.copy_sheet(sheet, year=_int(request.POST.get("year")) or 0, by=user)
                messages.success(request, f"已复制为{new}")
                return HttpResponseRedirect(reverse("filereview:sheet", args=[new.pk]))
            if action == "add":
                part = sheet.parts.filter(pk=_int(request.POST.get("part")) or 0).first()
                wf.add_sheet_item(
                    sheet,
                    kind=request.POST.get("kind", ""),
                    text=request.POST.get("text", ""),
                    part=part,
                    max_points=request.POST.get("max_points", "0"),
                    by=user,
                )
            elif action == "remove":
                item = get_object_or_404(sheet.items, pk=_int(request.POST.get("item")))
                wf.remove_sheet_item(item, by=user)
            elif action == "points":
                part = get_object_or_404(sheet.parts, pk=_int(request.POST.get("part")))
                wf.set_part_points(part, points=_int(request.POST.get("points")) or 0, by=user)
            else:
                raise wf.ReviewError("未知操作")
        except wf.ReviewError as e:
            error = str(e)
        else:
            messages.success(request, "评查标准已修改")
            return HttpResponseRedirect(reverse("filereview:sheet", args=[sheet.pk]))
    items = list(sheet.items.select_related("part"))
    parts = [(p, [i for i in items if i.part_id == p.pk]) for p in sheet.parts.all()]
    return render(
        request,
        "filereview/sheet.html",
        {
            "nav": "filereview-sheets",
            "sheet": sheet,
            "manage": manage,
            "in_use": wf.sheet_in_use(sheet),
            "error": error,
            "vetoes": [i for i in items if i.kind == ItemKind.VETO],
            "parts": parts,
            "total": sum(p.points for p, _ in parts),
            "next_year": sheet.year + 1,
            "events": timeline(sheet).order_by("at", "id"),
        },
        status=400 if error else 200,
    )
