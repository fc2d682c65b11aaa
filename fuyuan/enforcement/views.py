"""The enforcement supervision pages: officers (the supervision staff's main page, and the drill-down of the
certificate coverage), an officer, the certificate warnings, the bodies, the import, and the major decisions (with
the drill-down of the decisions in order). Thin: every read starts from ``queries``' ``*_visible_to``, every change is
a ``workflow`` function."""

from __future__ import annotations

import datetime
import io
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases.ledger import LedgerFileError
from fuyuan.core.models import Organisation, OrganisationKind, User
from fuyuan.core.paging import paginate
from fuyuan.core.queries import units_named
from fuyuan.core.timeline import timeline
from fuyuan.core.uploads import check_upload
from fuyuan.enforcement import importer, indicators, rules
from fuyuan.enforcement import queries as q
from fuyuan.enforcement import workflow as wf
from fuyuan.enforcement.choices import Qualification
from fuyuan.enforcement.forms import BodyForm, DecideForm, DecisionForm, FileForm, ImportForm, ReviewForm
from fuyuan.enforcement.models import Certificate, Officer, TrainingRecord

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _drill_down(request: HttpRequest, user: User) -> tuple[list[Organisation], int] | None:
    """``?organisation=ID&year=YYYY`` (the organisation repeated for a county's units, whose value sums them): the
    organisations (ones the user sees) and year of an indicator; None without them; 404 when they are wrong or one is
    not the user's."""
    orgs, year = request.GET.getlist("organisation"), request.GET.get("year", "")
    if not orgs and not year:
        return None
    if not (orgs and all(o.isdigit() for o in orgs) and year.isdigit() and 2000 <= int(year) <= 2100):
        raise Http404("没有这项统计")
    wanted = {int(o) for o in orgs}
    bodies = list(q.bodies_visible_to(user).filter(organisation_id__in=wanted).select_related("organisation"))
    if len(bodies) != len(wanted):
        raise Http404("没有这项统计")
    return sorted((b.organisation for b in bodies), key=lambda o: o.name), int(year)


def certificate_status(cert: Certificate | None, today: datetime.date) -> tuple[str, str]:
    """(code, label) of an officer's current certificate today: valid, lapsing, lapsed, none."""
    if cert is None:
        return "none", "无有效证件"
    if cert.valid_to < today:
        return "lapsed", "已过期"
    if cert.valid_to < today + datetime.timedelta(days=settings.FUYUAN_ENFORCEMENT_WARN_DAYS):
        return "lapsing", f"临期（{(cert.valid_to - today).days}天后到期）"
    return "valid", "有效"


def _current(officer: Officer) -> Certificate | None:
    live = [c for c in officer.certificates.all() if c.revoked_on is None]
    return max(live, key=lambda c: (c.valid_to, c.pk), default=None)


def _officer_rows(officers: QuerySet[Officer], request: HttpRequest, today: datetime.date) -> Any:
    officers = officers.select_related("body__organisation").prefetch_related(
        "certificates",
        Prefetch("training", queryset=TrainingRecord.objects.filter(year=today.year), to_attr="this_year"),
    )
    page = paginate(request, officers.order_by("body__organisation__name", "name", "pk"))
    for officer in page.object_list:
        officer.current = _current(officer)
        officer.status = certificate_status(officer.current, today)
        officer.review_overdue = officer.current is not None and officer.current.review_due_on < today
    return page


def officer_list(request: HttpRequest) -> HttpResponse:
    """The officers the user sees, by body and name, with their current certificate and this year's training; with
    ``?organisation=ID&year=YYYY`` exactly those counted by ``indicators.certificate_coverage``."""
    user = _user(request)
    today = timezone.localdate()
    officers = q.officers_visible_to(user)
    drill = _drill_down(request, user)
    caption, counted = "", None
    body = request.GET.get("body", "")
    name = request.GET.get("name", "").strip()
    if drill is not None:
        orgs, year = drill
        officers = indicators.officers_counted(officers.filter(body__organisation__in=orgs), year)
        counts = indicators.certificate_coverage(year)
        valid, total = (sum(counts.get(o.pk, (0, 0))[i] for o in orgs) for i in (0, 1))
        caption = (
            f"{units_named([o.name for o in orgs])} {year} 年末在岗执法人员 {total} 人，其中持有效执法证 {valid} 人"
        )
        counted = year
    else:
        if body.isdigit():
            officers = officers.filter(body_id=int(body))
        if name:
            officers = officers.filter(name__contains=name[:50])
        if request.GET.get("left") != "1":
            officers = officers.filter(left_on__isnull=True)
    page = _officer_rows(officers, request, today)
    bodies = q.bodies_visible_to(user).select_related("organisation")
    context = {
        "nav": "enforcement-officers", "page": page, "caption": caption, "counted": counted, "bodies": bodies,
        "body": body, "name": name, "today": today, "can_import": wf.can_import(user),
    }  # fmt: skip
    return render(request, "enforcement/officers.html", context)


def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    officer = get_object_or_404(q.officers_visible_to(user).select_related("body__organisation"), pk=pk)
    today = timezone.localdate()
    certificates = list(officer.certificates.order_by("-valid_to", "-pk"))
    current = _current(officer)
    context = {
        "nav": "enforcement-officers", "officer": officer, "certificates": certificates, "current": current,
        "status": certificate_status(current, today), "training": officer.training.all(),
        "events": timeline(officer), "today": today, "review_source": rules.REVIEW_SOURCE,
    }  # fmt: skip
    return render(request, "enforcement/officer.html", context)


def alert_list(request: HttpRequest) -> HttpResponse:
    """证件预警: officers on staff whose current certificate lapses within the warning days, has lapsed, or whose
    审验 is overdue, the most urgent first, each with its reason."""
    user = _user(request)
    today = timezone.localdate()
    days = settings.FUYUAN_ENFORCEMENT_WARN_DAYS
    certs = q.alerts(q.current_certificates().filter(officer__in=q.officers_visible_to(user)), today, days)
    kind = request.GET.get("kind", "")
    if kind == "lapsed":
        certs = certs.filter(valid_to__lt=today)
    elif kind == "lapsing":
        certs = certs.filter(valid_to__gte=today, valid_to__lt=today + datetime.timedelta(days=days))
    elif kind == "review":
        certs = certs.filter(review_due_on__lt=today)
    page = paginate(request, certs.select_related("officer__body__organisation").order_by("valid_to", "pk"))
    for cert in page.object_list:
        reasons = []
        if cert.valid_to < today:
            reasons.append(f"已过期（{cert.valid_to:%Y-%m-%d} 到期）")
        elif cert.valid_to < today + datetime.timedelta(days=days):
            reasons.append(f"临期：{(cert.valid_to - today).days}天后到期")
        if cert.review_due_on < today:
            reasons.append(f"审验逾期（应于 {cert.review_due_on:%Y-%m-%d} 前审验）")
        cert.reasons = reasons
    context = {
        "nav": "enforcement-alerts",
        "page": page,
        "kind": kind,
        "days": days,
        "review_source": rules.REVIEW_SOURCE,
    }
    return render(request, "enforcement/alerts.html", context)


# ---------------------------------------------------------------------------------------------------------------
# Bodies


def _registrable(user: User) -> QuerySet[Organisation]:
    region = user.scope_region
    if region is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.AGENCY, region__path__startswith=region.path, enforcement_body__isnull=True
    ).order_by("region__path", "name")


def body_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    bodies = q.bodies_visible_to(user).select_related("organisation__region")
    state = request.GET.get("state", "")
    if state in Qualification.values:
        bodies = bodies.filter(state=state)
    page = paginate(request, bodies)
    counts = q.coverage(Officer.objects.filter(body__in=[b.pk for b in page.object_list]), today, "body_id")
    for b in page.object_list:
        b.valid, b.total = counts.get(b.pk, (0, 0))
    context = {
        "nav": "enforcement-bodies", "page": page, "state": state, "states": Qualification.choices,
        "can_register": wf.can_register_body(user),
    }  # fmt: skip
    return render(request, "enforcement/bodies.html", context)


def body_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not wf.can_register_body(user):
        raise PermissionDenied("只有执法监督人员可以登记执法主体")
    form = BodyForm(request.POST or None, organisations=_registrable(user))
    if request.method == "POST" and form.is_valid():
        try:
            body = wf.register_body(
                form.cleaned_data["organisation"], legal_basis=form.cleaned_data["legal_basis"],
                scope=form.cleaned_data["scope"], by=user,
            )  # fmt: skip
        except wf.EnforcementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已登记执法主体：{body.organisation.name}，待确认主体资格")
            return HttpResponseRedirect(reverse("enforcement:body", args=[body.pk]))
    return render(request, "enforcement/body_new.html", {"nav": "enforcement-bodies", "form": form})


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    body = get_object_or_404(q.bodies_visible_to(user).select_related("organisation__region"), pk=pk)
    if request.method == "POST":
        action = {"confirm": wf.confirm_body, "publish": wf.publish_body}.get(request.POST.get("action", ""))
        if action is None:
            raise Http404("没有这项操作")
        try:
            action(body, by=user)
        except wf.EnforcementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已确认主体资格" if request.POST["action"] == "confirm" else "已向社会公告")
        return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    valid, total = q.coverage(Officer.objects.filter(body=body), today, "body_id").get(body.pk, (0, 0))
    context = {
        "nav": "enforcement-bodies", "body": body, "valid": valid, "total": total, "events": timeline(body),
        "can_act": wf.is_supervisor_of(user, body.organisation),
    }  # fmt: skip
    return render(request, "enforcement/body.html", context)


# ---------------------------------------------------------------------------------------------------------------
# Import


def _upload_problem(upload: Any) -> str:
    try:
        check_upload(upload, accepted=(".xlsx",), not_accepted="不是 Excel 工作簿：请上传 .xlsx 文件。",
                     error=LedgerFileError, label_suffix="，无法读取该文件", max_bytes=settings.FUYUAN_MAX_UPLOAD_BYTES)  # fmt: skip
    except LedgerFileError as error:
        return str(error)
    return ""


def import_page(request: HttpRequest) -> HttpResponse:
    """Upload the exam platform's workbook: every error as ``sheet, row N, column: reason`` and nothing written, or
    everything written in one transaction."""
    user = _user(request)
    if not wf.can_import(user):
        raise PermissionDenied("只有执法监督人员或执法主体的法制审核人员可以导入执法人员")
    if request.GET.get("template") == "1":
        stream = io.BytesIO()
        importer.write_template(stream)
        response = HttpResponse(stream.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename=officers-template.xlsx"
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        problem = _upload_problem(upload)
        if not problem:
            try:
                plan = importer.plan_import(upload, by=user)
            except LedgerFileError as error:
                problem = str(error)
        if plan is not None and plan.ok and not form.cleaned_data["dry_run"]:
            importer.apply_import(plan, by=user)
            messages.success(request, "导入完成：" + "；".join(plan.summary_lines()))
            return HttpResponseRedirect(reverse("enforcement:officers"))
    context = {"nav": "enforcement-import", "form": form, "plan": plan, "problem": problem}
    return render(request, "enforcement/import.html", context, status=400 if problem or (plan and not plan.ok) else 200)


# ---------------------------------------------------------------------------------------------------------------
# Major decisions


def decision_list(request: HttpRequest) -> HttpResponse:
    """The decisions the user sees; ``?problem=1`` those made without review or filed late (with the reason);
    ``?organisation=ID&year=YYYY`` exactly those counted by ``indicators.major_decisions_in_order``."""
    user = _user(request)
    today = timezone.localdate()
    decisions = q.decisions_visible_to(user)
    drill = _drill_down(request, user)
    caption = ""
    problem = request.GET.get("problem") == "1"
    body = request.GET.get("body", "")
    if drill is not None:
        orgs, year = drill
        decisions = indicators.decisions_counted(decisions.filter(body__organisation__in=orgs), year)
        counts = indicators.major_decisions_in_order(year)
        ok, total = (sum(counts.get(o.pk, (0, 0))[i] for o in orgs) for i in (0, 1))
        caption = f"{units_named([o.name for o in orgs])} {year} 年作出重大执法决定 {total} 件，其中事前法制审核且按期备案 {ok} 件"
    else:
        if problem:
            decisions = q.problems(decisions, today)
        if body.isdigit():
            decisions = decisions.filter(body_id=int(body))
    page = paginate(request, decisions.select_related("body__organisation", "reviewer").order_by("-decided_on", "-pk"))
    for d in page.object_list:
        d.reasons = q.problem_reasons(d, today)
    context = {
        "nav": "enforcement-decisions", "page": page, "caption": caption, "problem": problem, "body": body,
        "bodies": q.bodies_visible_to(user).select_related("organisation"), "today": today,
        "can_register": wf.can_register_decision(user), "filing_source": rules.filing_source(),
    }  # fmt: skip
    return render(request, "enforcement/decisions.html", context)


def decision_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not wf.can_register_decision(user):
        raise PermissionDenied("只有执法主体的法制审核人员可以登记重大执法决定")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = wf.register_decision(by=user, **form.cleaned_data)
        except wf.EnforcementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已登记重大执法决定，请在作出决定前进行法制审核")
            return HttpResponseRedirect(reverse("enforcement:decision", args=[decision.pk]))
    return render(request, "enforcement/decision_new.html", {"nav": "enforcement-decisions", "form": form})


STEPS: dict[str, tuple[type, Any, str]] = {
    "review": (ReviewForm, wf.record_review, "已记录法制审核意见"),
    "decide": (DecideForm, wf.record_decision, "已记录决定"),
    "file": (FileForm, wf.file_decision, "已备案"),
}


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    decision = get_object_or_404(
        q.decisions_visible_to(user).select_related("body__organisation", "reviewer", "filed_with"), pk=pk
    )
    today = timezone.localdate()
    forms: dict[str, Any] = {name: form_class(prefix=name) for name, (form_class, _, _) in STEPS.items()}
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in STEPS:
            raise Http404("没有这项操作")
        form_class, action, done = STEPS[step]
        form = form_class(request.POST, prefix=step)
        forms[step] = form
        if form.is_valid():
            try:
                action(decision, by=user, **form.cleaned_data)
            except wf.EnforcementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return HttpResponseRedirect(request.path)
    staff = wf.is_legal_staff(user, decision.body)
    context = {
        "nav": "enforcement-decisions", "d": decision, "forms": forms, "today": today,
        "can_review": staff and decision.reviewed_on is None,
        "can_decide": staff and decision.decided_on is None,
        "can_file": staff and decision.decided_on is not None and decision.filed_on is None,
        "reasons": q.problem_reasons(decision, today), "review_source": rules.REVIEW_RULE_SOURCE,
        "filing_source": rules.filing_source(), "events": timeline(decision),
    }  # fmt: skip
    return render(request, "enforcement/decision.html", context)
