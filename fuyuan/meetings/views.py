"""The joint-meeting pages (SPEC §6.9): the meetings of the region (with its offices), an office's members, the
form to record a meeting and its decisions, a meeting's page (agenda, participants, minutes, the figures pack,
decisions and what became of each, the timeline), and a liaison's 我的议定事项.

Every page starts from ``queries``: a meeting the user cannot see is a 404. Views only parse, call
``meetings.workflow`` and render; a refusal is shown next to the form, and nothing is written.
"""

from __future__ import annotations

import datetime
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.core.models import Organisation, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX
from fuyuan.meetings import pack, workflow
from fuyuan.meetings.forms import MeetingForm, MemberForm, MinutesForm, ReportForm, ReturnForm
from fuyuan.meetings.models import Decision, DecisionState, JointOffice, Meeting, MemberRole
from fuyuan.meetings.queries import (
    OWNER_ROLES,
    REGION_WIDE_ROLES,
    can_manage,
    can_report,
    decisions_visible_to,
    offices_visible_to,
    visible_to,
)
from fuyuan.meetings.queries import (
    my_tasks as my_open_tasks,
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _with_counts(meetings: QuerySet[Meeting], today: datetime.date) -> QuerySet[Meeting]:
    return meetings.annotate(
        n_decisions=Count("decisions", distinct=True),
        n_done=Count("decisions", filter=Q(decisions__state=DecisionState.DONE), distinct=True),
        n_overdue=Count(
            "decisions", filter=Q(decisions__state=DecisionState.ASSIGNED, decisions__due_on__lt=today), distinct=True
        ),
    )


def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role in OWNER_ROLES:
        return HttpResponseRedirect(reverse("meetings:mine"))
    if user.role not in REGION_WIDE_ROLES:
        raise PermissionDenied("联席会议仅供依法治办、领导和成员单位联络员查看")
    today = timezone.localdate()
    offices = list(
        offices_visible_to(user)
        .select_related("region")
        .annotate(
            n_members=Count(
                "members",
                filter=Q(members__valid_from__lte=today) & (Q(members__valid_to__isnull=True) | Q(members__valid_to__gte=today)),
            )
        )
    )  # fmt: skip
    for office in offices:
        office.manageable = can_manage(user, office)  # type: ignore[attr-defined]
    rows = paginate(request, _with_counts(visible_to(user).select_related("office"), today).order_by("-held_on", "-pk"))
    region = user.scope_region
    context = {
        "nav": "meetings",
        "offices": offices,
        "rows": rows,
        "can_open": user.role == "rule_of_law_office"
        and region is not None
        and not any(o.region_id == region.pk for o in offices),
        "region": region,
    }
    return render(request, "meetings/list.html", context)


@require_POST
def open_office(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    region = user.scope_region
    if region is None:
        raise PermissionDenied("您无权设立府院联席会议办公室")
    try:
        office = workflow.open_office(region, by=user)
    except workflow.MeetingError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("meetings:list"))
    messages.success(request, f"已设立{office.name}，请添加召集人、副召集人和成员单位")
    return HttpResponseRedirect(reverse("meetings:office", args=[office.pk]))


def _office(request: HttpRequest, pk: int) -> tuple[User, JointOffice]:
    user = _user(request)
    return user, get_object_or_404(offices_visible_to(user).select_related("region"), pk=pk)


def _office_units(office: JointOffice) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region__path__startswith=office.region.path).order_by(
        "region__path", "kind", "name"
    )


def office(request: HttpRequest, pk: int) -> HttpResponse:
    user, found = _office(request, pk)
    manageable = can_manage(user, found)
    units = _office_units(found)
    liaisons = User.objects.filter(is_active=True, role__in=OWNER_ROLES, organisation__in=units).select_related(
        "organisation"
    )
    form = MemberForm(organisations=units, liaisons=liaisons)
    status = 200
    if request.method == "POST":
        if not manageable:
            raise PermissionDenied("您无权调整联席会议成员")
        form = MemberForm(request.POST, organisations=units, liaisons=liaisons)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workflow.appoint_member(found, by=user, **data)
            except workflow.MeetingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "已添加联席会议成员")
                return HttpResponseRedirect(reverse("meetings:office", args=[found.pk]))
        status = 400
    today = timezone.localdate()
    members = list(found.members.select_related("organisation", "liaison"))
    order = {MemberRole.CONVENOR: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}
    members.sort(key=lambda m: (not m.is_current(today), order[MemberRole(m.role)], m.valid_from, m.pk))
    context = {
        "nav": "meetings",
        "office": found,
        "members": [(m, m.is_current(today)) for m in members],
        "form": form,
        "manageable": manageable,
        "events": timeline(found),
    }
    return render(request, "meetings/office.html", context, status=status)


def _drafts(request: HttpRequest, units: QuerySet[Organisation]) -> tuple[list[Any], list[Any], dict[str, list]]:
    """The participants and decisions as entered (parallel lists), and the raw rows to show again if refused."""
    allowed = {o.pk: o for o in units}

    def org(value: str) -> Organisation | None:
        return allowed.get(int(value)) if value.isdigit() else None

    def column(name: str, n: int) -> list[str]:
        values = request.POST.getlist(name)
        return [values[i] if i < len(values) else "" for i in range(n)]

    names = request.POST.getlist("person_name")
    posts, person_orgs = column("person_post", len(names)), column("person_org", len(names))
    people = [workflow.ParticipantDraft(n, org(o), p) for n, p, o in zip(names, posts, person_orgs, strict=True)]
    texts = request.POST.getlist("decision_text")
    owners, dues = column("decision_owner", len(texts)), column("decision_due", len(texts))
    decisions = []
    for text, owner, due_text in zip(texts, owners, dues, strict=True):
        try:
            due = datetime.date.fromisoformat(due_text) if due_text else None
        except ValueError:
            due = None
        decisions.append(workflow.DecisionDraft(text, org(owner), due))
    raw = {
        "people": [{"name": n, "post": p, "org": o} for n, p, o in zip(names, posts, person_orgs, strict=True)],
        "decisions": [{"text": t, "owner": o, "due": d} for t, o, d in zip(texts, owners, dues, strict=True)],
    }
    return people, decisions, raw


def new_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user, found = _office(request, pk)
    if not can_manage(user, found):
        raise PermissionDenied("仅本地区依法治办可以登记联席会议")
    units = _office_units(found)
    blank = {
        "people": [{"name": "", "post": "", "org": ""}] * 3,
        "decisions": [{"text": "", "owner": "", "due": ""}] * 2,
    }
    raw = blank
    if request.method == "POST":
        form = MeetingForm(request.POST)
        people, decisions, raw = _drafts(request, units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = workflow.record_meeting(
                    found,
                    kind=data["kind"],
                    title=data["title"],
                    held_on=data["held_on"],
                    place=data["place"],
                    agenda=data["agenda"].splitlines(),
                    participants=people,
                    minutes=data["minutes"],
                    decisions=decisions,
                    period_from=data["period_from"],
                    period_to=data["period_to"],
                    by=user,
                )
            except workflow.MeetingError as error:
                form.add_error(None, str(error))
            else:
                n = meeting.decisions.count()
                messages.success(request, f"已登记“{meeting.title}”，议定事项 {n} 项已通知牵头单位")
                return HttpResponseRedirect(reverse("meetings:detail", args=[meeting.pk]))
    else:
        form = MeetingForm()
    context = {"nav": "meetings", "office": found, "form": form, "units": units, "raw": raw}
    return render(request, "meetings/new.html", context, status=400 if form.is_bound else 200)


def _load(request: HttpRequest, pk: int) -> tuple[User, Meeting]:
    user = _user(request)
    return user, get_object_or_404(visible_to(user).select_related("office__region", "recorded_by"), pk=pk)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, meeting = _load(request, pk)
    return _render_detail(request, user, meeting)


def _render_detail(
    request: HttpRequest, user: User, meeting: Meeting, *, bound: tuple[int, str, forms.Form] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    manageable = can_manage(user, meeting.office)
    rows = []
    decisions = (
        decisions_visible_to(user).filter(meeting=meeting).select_related("owner", "reported_by", "confirmed_by")
    )
    for decision in decisions.order_by("position"):
        decision.meeting = meeting
        mine = bound if bound and bound[0] == decision.pk else None
        rows.append(
            {
                "decision": decision,
                "overdue": decision.is_overdue(today),
                "can_report": can_report(user, decision) and decision.state == DecisionState.ASSIGNED,
                "can_confirm": manageable and decision.state == DecisionState.REPORTED,
                "report_form": mine[2] if mine and mine[1] == "report" else ReportForm(prefix=f"r{decision.pk}"),
                "return_form": mine[2] if mine and mine[1] == "return" else ReturnForm(prefix=f"b{decision.pk}"),
                "confirm_error": mine[2] if mine and mine[1] == "confirm" else None,
                "open_form": mine[1] if mine else "",
            }
        )
    minutes_form = bound[2] if bound and bound[1] == "minutes" else MinutesForm(initial={"minutes": meeting.minutes})
    context = {
        "nav": "meetings",
        "meeting": meeting,
        "agenda": meeting.agenda.all(),
        "participants": meeting.participants.select_related("organisation"),
        "rows": rows,
        "manageable": manageable,
        "region_wide": user.role in REGION_WIDE_ROLES,
        "minutes_form": minutes_form,
        "events": timeline(meeting) if user.role in REGION_WIDE_ROLES else [],
    }
    return render(request, "meetings/detail.html", context, status=400 if bound else 200)


@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user, meeting = _load(request, pk)
    if not can_manage(user, meeting.office):
        raise PermissionDenied("您无权修改该会议的纪要")
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            workflow.update_minutes(meeting, minutes=form.cleaned_data["minutes"], by=user)
        except workflow.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已保存会议纪要")
            return HttpResponseRedirect(reverse("meetings:detail", args=[meeting.pk]) + "#minutes")
    return _render_detail(request, user, meeting, bound=(0, "minutes", form))


def download_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures pack (会议材料：府院联动工作数据), made from the data at the time of asking; for the office and the
    region's leaders (a liaison sees only its own unit's decisions, not the region's figures)."""
    user, meeting = _load(request, pk)
    if user.role not in REGION_WIDE_ROLES:
        raise PermissionDenied("会议材料仅供依法治办和领导下载")
    response = HttpResponse(pack.figures_pack(meeting), content_type=DOCX)
    name = pack.pack_filename(meeting)
    response["Content-Disposition"] = f"attachment; filename=meeting-{meeting.pk}.docx; filename*=UTF-8''{quote(name)}"
    return response


def _decision(request: HttpRequest, pk: int) -> tuple[User, Decision]:
    user = _user(request)
    decision = get_object_or_404(decisions_visible_to(user).select_related("owner"), pk=pk)
    _again, meeting = _load(request, decision.meeting_id)
    decision.meeting = meeting
    return user, decision


def _after(request: HttpRequest, decision: Decision, done: str) -> HttpResponse:
    messages.success(request, done)
    return HttpResponseRedirect(reverse("meetings:detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}")


@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user, decision = _decision(request, pk)
    if not can_report(user, decision):
        raise PermissionDenied("您无权报告该事项的办理情况")
    form = ReportForm(request.POST, request.FILES, prefix=f"r{decision.pk}")
    if form.is_valid():
        try:
            workflow.report_decision(
                decision, text=form.cleaned_data["text"], upload=form.cleaned_data["upload"], by=user
            )
        except workflow.MeetingError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, decision, f"已报告第{decision.position}项议定事项办结，等待联席办确认")
    return _render_detail(request, user, decision.meeting, bound=(decision.pk, "report", form))


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user, decision = _decision(request, pk)
    if not can_manage(user, decision.meeting.office):
        raise PermissionDenied("您无权确认该事项办结")
    form = forms.Form(request.POST)
    try:
        workflow.confirm_decision(decision, by=user)
    except workflow.MeetingError as error:
        form.add_error(None, str(error))
        return _render_detail(request, user, decision.meeting, bound=(decision.pk, "confirm", form))
    return _after(request, decision, f"第{decision.position}项议定事项已确认办结")


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    user, decision = _decision(request, pk)
    if not can_manage(user, decision.meeting.office):
        raise PermissionDenied("您无权退回该事项")
    form = ReturnForm(request.POST, prefix=f"b{decision.pk}")
    if form.is_valid():
        try:
            workflow.return_decision(decision, note=form.cleaned_data["note"], by=user)
        except workflow.MeetingError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, decision, f"已退回第{decision.position}项议定事项，已通知牵头单位继续办理")
    return _render_detail(request, user, decision.meeting, bound=(decision.pk, "return", form))


def download_report(request: HttpRequest, pk: int) -> FileResponse:
    _viewer, decision = _decision(request, pk)
    if not decision.report_file:
        raise Http404("未上传办理材料")
    return FileResponse(
        decision.report_file.open("rb"), as_attachment=True, filename=decision.report_name or decision.report_file.name
    )


def my_tasks(request: HttpRequest) -> HttpResponse:
    """我的议定事项: the decisions the liaison's unit owns, shown until confirmed done."""
    user = _user(request)
    if user.role not in OWNER_ROLES:
        raise PermissionDenied("我的议定事项仅供成员单位联络员查看")
    today = timezone.localdate()
    rows = paginate(request, my_open_tasks(user).select_related("meeting"))
    for decision in rows.object_list:
        decision.overdue = decision.is_overdue(today)
    return render(request, "meetings/mine.html", {"nav": "meetings-mine", "rows": rows})
