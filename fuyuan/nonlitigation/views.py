"""The pages of non-litigation enforcement (SPEC §6.9): the file list of each role (with the figures' drill-down
filters), the registration form, a file's page with the form of its next step for whoever takes it, and the figures.

Every page starts from ``queries.visible_to``: a file the user cannot see is a 404. Views only parse, call
``nonlitigation.workflow`` and render; a refusal is shown next to the form, and nothing is written.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.accountability.models import LossCause
from fuyuan.core.forms import date_param
from fuyuan.core.masking import mask_id_number, shown
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.nonlitigation import figures, workflow
from fuyuan.nonlitigation.choices import Stage
from fuyuan.nonlitigation.forms import (
    AcceptanceForm,
    ApplicationForm,
    ExecutionForm,
    HandOverForm,
    RegisterForm,
    ReminderForm,
    RulingForm,
)
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.queries import (
    is_agency,
    is_court,
    is_executing_body,
    may_register,
    visible_to,
)

LIST_ROLES = frozenset({Role.AGENCY_LIAISON, Role.COURT_LIAISON, Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("非诉执行案卷仅供行政机关、法院联络员、依法治办和领导查看")
    return user


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filtered(request: HttpRequest, files: QuerySet[EnforcementFile], today: datetime.date) -> tuple[Any, list[str]]:
    """The list narrowed by its filters: ``stage``; the figures' ``measure`` with ``year``/``month``/``agency``; the
    loss-cause analysis's ``cause`` with ``ruled_from``/``ruled_to``. Returns the files and what was applied."""
    params = request.GET
    applied: list[str] = []
    stage = params.get("stage", "")
    if stage in Stage.values:
        files = files.filter(stage=stage)
        applied.append(f"阶段：{Stage(stage).label}")
    agency = _int(params.get("agency"))
    measure = params.get("measure", "")
    ruled_from, ruled_to = date_param(params.get("ruled_from")), date_param(params.get("ruled_to"))
    cause = params.get("cause", "")
    if measure == "refused" and ruled_from and ruled_to:
        files = figures.refusals_behind(files, ruled_from, ruled_to, cause if cause in LossCause.values else None)
        applied.append(f"不准予执行：裁定于 {ruled_from.isoformat()} 至 {ruled_to.isoformat()}")
        if cause in LossCause.values:
            applied.append(f"原因：{LossCause(cause).label}")
        if agency is not None:
            files = files.filter(agency_id=agency)
    elif measure in figures.MEASURES:
        year = _int(params.get("year")) or today.year
        month = _int(params.get("month"))
        files = figures.behind(files, measure, year=year, today=today, month=month, agency_id=agency)
        when = "" if measure not in figures.PERIODIC else f"{year}年{f'{month}月' if month else ''}申请的 · "
        applied.append(f"{when}{figures.MEASURES[measure]}")
    elif agency is not None:
        files = files.filter(agency_id=agency)
    if agency is not None:
        name = Organisation.objects.filter(pk=agency).values_list("name", flat=True).first()
        applied.append(f"申请机关：{name or agency}")
    return files, applied


def next_date(file: EnforcementFile) -> tuple[str, datetime.date | None]:
    """What the file waits for next, and by when."""
    if file.stage == Stage.REGISTERED:
        return "催告后申请执行，申请期限至", file.application_due_on
    if file.stage == Stage.REMINDED:
        return "可申请执行之日", file.may_apply_from
    if file.stage == Stage.APPLIED:
        return "法院受理期限", file.acceptance_due_on
    if file.stage == Stage.ACCEPTED:
        return "法院裁定期限", file.ruling_due_on
    return "", None


def file_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    scoped = visible_to(user)
    files, applied = _filtered(request, scoped, today)
    overdue = Exists(figures.overdue_obligations(today).filter(subject_id=OuterRef("pk")))
    page = paginate(request, files.select_related("agency", "court").annotate(overdue=overdue).order_by("-id"))
    rows = [
        {"file": f, "party_id": mask_id_number(f.party_id_number), "next": next_date(f), "overdue": f.overdue}
        for f in page.object_list
    ]
    context = {
        "nav": "nonlitigation",
        "page": page,
        "rows": rows,
        "applied": applied,
        "stages": Stage.choices,
        "stage": request.GET.get("stage", ""),
        "can_register": may_register(user),
    }
    return render(request, "nonlitigation/list.html", context)


def new_file(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_register(user):
        raise PermissionDenied("只有行政机关联络员可以登记非诉执行案卷")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            file = workflow.register_file(form.cleaned_data, by=user)
        except workflow.EnforcementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"已登记 {file.decision_number}，申请执行期限至 {file.application_due_on:%Y-%m-%d}"
            )
            return HttpResponseRedirect(reverse("nonlitigation:detail", args=[file.pk]))
    return render(
        request, "nonlitigation/new.html", {"nav": "nonlitigation", "form": form}, status=400 if form.errors else 200
    )


def _load(request: HttpRequest, pk: int) -> tuple[User, EnforcementFile]:
    user = _user(request)
    file = get_object_or_404(
        visible_to(user).select_related("agency__region", "court", "executing_body", "registered_by"), pk=pk
    )
    return user, file


def _courts_for(file: EnforcementFile) -> QuerySet[Organisation]:
    """The courts of the agency's region and the regions above it (行政强制法 第54条: 所在地有管辖权的人民法院)."""
    ids = [int(p) for p in file.agency.region.path.strip("/").split("/") if p]
    return Organisation.objects.filter(kind=OrganisationKind.COURT, region_id__in=ids).order_by("-region__level")


def _bodies_for(file: EnforcementFile) -> QuerySet[Organisation]:
    """The agencies of the court's region subtree: those a ruling may hand the execution to (裁执分离)."""
    assert file.court is not None
    path = file.court.region.path
    return Organisation.objects.filter(kind=OrganisationKind.AGENCY, region__path__startswith=path).order_by("name")


# Each step: its form, who may take it, in which stages.
STEPS: dict[str, tuple[type[forms.Form], str]] = {
    "remind": (ReminderForm, "登记催告"),
    "apply": (ApplicationForm, "申请强制执行"),
    "accept": (AcceptanceForm, "登记受理"),
    "rule": (RulingForm, "登记裁定"),
    "hand_over": (HandOverForm, "裁执分离：移交政府组织实施"),
    "execute": (ExecutionForm, "登记执行结果"),
}


def steps_for(user: User, file: EnforcementFile) -> list[str]:
    """The steps ``user`` may take on ``file`` now."""
    stage = file.stage
    if is_agency(user, file) and stage in (Stage.REGISTERED, Stage.REMINDED):
        # Once reminded, the application comes first; a 催告 served anew may still be recorded.
        return ["apply", "remind"] if stage == Stage.REMINDED else ["remind"]
    if is_court(user, file):
        if stage == Stage.APPLIED:
            return ["accept"]
        if stage == Stage.ACCEPTED:
            return ["rule"]
        if stage == Stage.GRANTED:
            return ["execute", "hand_over"]
    if stage == Stage.HANDED_OVER and is_executing_body(user, file):
        return ["execute"]
    return []


def _form(name: str, file: EnforcementFile, data: Any = None) -> forms.Form:
    form_class = STEPS[name][0]
    form = form_class(data, prefix=name)
    if name == "apply":
        form.fields["court"].queryset = _courts_for(file)  # type: ignore[attr-defined]
    if name == "hand_over":
        form.fields["executing_body"].queryset = _bodies_for(file)  # type: ignore[attr-defined]
    return form


def _title(name: str, file: EnforcementFile) -> str:
    if name == "remind" and file.stage == Stage.REMINDED:
        return "重新登记催告（催告书重新送达的）"
    if name == "execute" and file.stage == Stage.GRANTED:
        return "由人民法院执行：登记执行结果"
    return STEPS[name][1]


def _render_detail(
    request: HttpRequest, user: User, file: EnforcementFile, bound: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    names = steps_for(user, file)
    step_forms = [
        {
            "name": n,
            "title": _title(n, file),
            "button": _title(n, file).split("（")[0].split("：")[-1],
            "form": bound[1] if bound and bound[0] == n else _form(n, file),
        }
        for n in names
    ]
    label, when = next_date(file)
    today = timezone.localdate()
    # Past the day it may apply is good news; past the last day to apply (or the court's period) is not.
    last_day = file.application_due_on if file.stage in (Stage.REGISTERED, Stage.REMINDED) else when
    context = {
        "nav": "nonlitigation",
        "file": file,
        "party_id": shown(user, file, "party_id_number"),
        "steps": step_forms,
        "next_label": label,
        "next_on": when,
        "events": timeline(file),
        "late": last_day is not None and last_day < today,
    }
    return render(request, "nonlitigation/detail.html", context, status=400 if bound else 200)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, file = _load(request, pk)
    return _render_detail(request, user, file)


DONE = {
    "remind": "已登记催告",
    "apply": "已申请人民法院强制执行",
    "accept": "已登记受理",
    "rule": "已登记裁定",
    "hand_over": "已移交政府组织实施",
    "execute": "已登记执行结果",
}


def _run(name: str, file: EnforcementFile, data: dict[str, Any], user: User) -> EnforcementFile:
    if name == "remind":
        return workflow.record_reminder(file, number=data["number"], served_on=data["served_on"], by=user)
    if name == "apply":
        return workflow.apply_to_court(file, court=data["court"], applied_on=data["applied_on"], by=user)
    if name == "accept":
        return workflow.accept_application(
            file, accepted_on=data["accepted_on"], court_case_number=data["court_case_number"],
            hears_parties=data["hears_parties"], by=user,
        )  # fmt: skip
    if name == "rule":
        return workflow.rule_on_application(
            file, ruling=data["ruling"], ruled_on=data["ruled_on"], ruling_number=data["ruling_number"],
            causes=data["causes"], reasons=data["reasons"], by=user,
        )  # fmt: skip
    if name == "hand_over":
        return workflow.hand_over(
            file, executing_body=data["executing_body"], handed_over_on=data["handed_over_on"], by=user
        )
    return workflow.record_execution(
        file, result=data["result"], executed_on=data["executed_on"], text=data["text"], by=user
    )


@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user, file = _load(request, pk)
    if name not in STEPS:
        raise Http404("没有这一步")
    if name not in steps_for(user, file):
        raise PermissionDenied(f"您现在不能{STEPS[name][1]}")
    form = _form(name, file, request.POST)
    if form.is_valid():
        try:
            _run(name, file, form.cleaned_data, user)
        except workflow.EnforcementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, DONE[name])
            return HttpResponseRedirect(reverse("nonlitigation:detail", args=[file.pk]))
    return _render_detail(request, user, file, bound=(name, form))


def figures_page(request: HttpRequest) -> HttpResponse:
    """Applications, 准予率, executed, pending beyond their period, by agency and by month; each number links to its
    files (the list under the same filter)."""
    user = _user(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    data = figures.table(visible_to(user), year=year, today=today)

    def url(measure: str, **extra: Any) -> str:
        periodic = {"year": year} if measure in figures.PERIODIC else {}
        return figures.list_url(measure=measure, **periodic, **extra)

    measures = list(figures.MEASURES.items())
    agencies = [
        {
            "name": a["name"],
            "rate": a["rate"],
            "cells": [{"count": a["counts"][m], "url": url(m, agency=a["agency_id"])} for m, _ in measures],
        }
        for a in data["agencies"]
    ]
    months = [
        {
            "month": row["month"],
            "rate": row["rate"],
            "cells": [{"count": row["counts"][m], "url": url(m, month=row["month"])} for m in figures.PERIODIC],
        }
        for row in data["months"]
    ]
    totals = [{"count": data["totals"][m], "url": url(m)} for m, _ in measures]
    context = {
        "nav": "nonlitigation-figures",
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "measures": measures,
        "periodic_labels": [figures.MEASURES[m] for m in figures.PERIODIC],
        "agencies": agencies,
        "months": months,
        "totals": totals,
        "rate": data["rate"],
    }
    return render(request, "nonlitigation/figures.html", context)
