"""The 旁听庭审 pages: the sessions (each role its own; ``?organisation=ID&year=YYYY`` the sessions behind a unit's
count), the unit's form, one session with its people and their 心得, and each unit's count for the year against the
rule with the units behind first. Thin: every read starts from ``queries``, every change is a ``workflow`` function."""

from __future__ import annotations

import datetime
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from fuyuan.attendance import workflow as wf
from fuyuan.attendance.indicators import counted_units
from fuyuan.attendance.models import Attendee, Mode
from fuyuan.attendance.queries import counts_of, organisations_visible_to, units_visible_to, visible_to
from fuyuan.attendance.rules import min_sessions, rule_source
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.queries import organisations_named
from fuyuan.core.timeline import timeline

PEOPLE_ROWS = 3
COMPLIANCE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.ENFORCEMENT_SUPERVISION})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def session_list(request: HttpRequest) -> HttpResponse:
    """The sessions the user sees, newest first; with ``organisation`` and ``year`` exactly those
    ``indicators.attendance_compliance`` counts for that unit."""
    user = _user(request)
    sessions = visible_to(user)
    # ``organisation`` repeated for a county's units, whose value sums them
    orgs = [o for o in (_int(v) for v in request.GET.getlist("organisation")) if o is not None]
    year = _int(request.GET.get("year"))
    caption = ""
    if orgs and year is not None:
        sessions = sessions.filter(pk__in=counted_units(year).filter(organisation_id__in=orgs).values("session_id"))
        name = organisations_named(orgs)
        caption = f"{name} {year}年旁听庭审（计入年度次数）"
    elif year is not None:
        sessions = sessions.filter(held_on__year=year)
    units = Prefetch(
        "units", queryset=units_visible_to(user).select_related("organisation").order_by("organisation__name")
    )
    page = paginate(request, sessions.select_related("court", "case").prefetch_related(units))
    this_year = timezone.localdate().year
    own = None
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        own = counts_of(Organisation.objects.filter(pk=user.organisation_id), this_year).first()
    return render(
        request,
        "attendance/list.html",
        {
            "nav": "attendance",
            "page": page,
            "caption": caption,
            "own": own,
            "this_year": this_year,
            "rule": min_sessions(),
            "rule_source": rule_source(),
            "can_record": wf.can_record(user),
            "can_see_compliance": user.role in COMPLIANCE_ROLES,
        },
    )


def session_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not wf.can_record(user):
        raise PermissionDenied("只有单位的机关联络员可以登记本单位的旁听庭审")
    courts = Organisation.objects.filter(kind=OrganisationKind.COURT).select_related("region").order_by("region__path")
    error = ""
    post = request.POST
    if request.method == "POST":
        try:
            court = courts.filter(pk=_int(post.get("court")) or 0).first()
            if court is None:
                raise wf.AttendanceError("请选择“审理法院”")
            try:
                held_on = datetime.date.fromisoformat(post.get("held_on", ""))
            except ValueError:
                raise wf.AttendanceError("请填写“庭审日期”（如 2026-05-20）") from None
            people = [
                wf.Person(post.get(f"name_{i}", ""), post.get(f"post_{i}", ""), post.get(f"reflection_{i}", ""))
                for i in range(1, PEOPLE_ROWS + 1)
            ]
            session = wf.record_session(
                case_number=post.get("case_number", ""),
                cause=post.get("cause", ""),
                court=court,
                held_on=held_on,
                mode=post.get("mode", ""),
                people=people,
                by=user,
            )
        except wf.AttendanceError as e:
            error = str(e)
        else:
            messages.success(request, f"已登记{session.held_on:%Y-%m-%d}旁听庭审")
            return HttpResponseRedirect(reverse("attendance:detail", args=[session.pk]))
    return render(
        request,
        "attendance/new.html",
        {
            "nav": "attendance",
            "error": error,
            "courts": courts,
            "modes": Mode.choices,
            "rows": [
                (i, post.get(f"name_{i}", ""), post.get(f"post_{i}", ""), post.get(f"reflection_{i}", ""))
                for i in range(1, PEOPLE_ROWS + 1)
            ],
            "post": post,
            "today": timezone.localdate(),
        },
        status=400 if error else 200,
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One session: the units the user sees with their people and 心得; their own unit's staff add a person."""
    user = _user(request)
    session = get_object_or_404(visible_to(user).select_related("court", "case", "recorded_by"), pk=pk)
    can_add = wf.can_add_to(user, session)
    error = ""
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有参加旁听的单位的机关联络员可以增加人员")
        person = wf.Person(
            request.POST.get("name", ""), request.POST.get("post", ""), request.POST.get("reflection", "")
        )
        try:
            wf.add_attendee(session, person, by=user)
        except wf.AttendanceError as e:
            error = str(e)
        else:
            messages.success(request, f"已增加旁听人员{person.name.strip()}")
            return HttpResponseRedirect(reverse("attendance:detail", args=[session.pk]))
    units = (
        units_visible_to(user)
        .filter(session=session)
        .select_related("organisation")
        .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.order_by("id")))
    )
    return render(
        request,
        "attendance/detail.html",
        {
            "nav": "attendance",
            "session": session,
            "units": units,
            "can_add": can_add,
            "error": error,
            "events": timeline(session).order_by("at", "id"),
        },
        status=400 if error else 200,
    )


def compliance(request: HttpRequest) -> HttpResponse:
    """Each unit's sessions in the year against the rule, the units behind first; each count opens its sessions."""
    user = _user(request)
    if user.role not in COMPLIANCE_ROLES:
        raise PermissionDenied("本页面供依法治办、领导和执法监督人员查看")
    year = _int(request.GET.get("year")) or timezone.localdate().year
    rule = min_sessions()
    units = counts_of(organisations_visible_to(user), year).select_related("region")
    only_behind = request.GET.get("behind") == "1"
    behind_count = units.filter(attended__lt=rule).count()
    if only_behind:
        units = units.filter(attended__lt=rule)
    page = paginate(request, units.order_by("attended", "region__path", "name"))
    return render(
        request,
        "attendance/compliance.html",
        {
            "nav": "attendance-compliance",
            "page": page,
            "year": year,
            "rule": rule,
            "rule_source": rule_source(),
            "behind_count": behind_count,
            "only_behind": only_behind,
        },
    )
