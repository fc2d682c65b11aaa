"""The hearing pages (SPEC §6.1): the hearing file with its actions, 我的出庭任务 (agency), 本周开庭 (依法治办/领导),
the court liaison's 开庭通知 page and the registration form.

Every page starts from ``queries.visible_to``: a hearing the user cannot see is a 404. A page that is not the
user's business (the court's page for an agency) is a 403. Views only parse, call ``hearings.workflow`` and render;
a refusal from the workflow is shown on the form, and nothing is written.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.cases import queries as case_queries
from fuyuan.core.masking import shown
from fuyuan.core.models import RegionLevel, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.queries import regions_visible_to
from fuyuan.core.timeline import timeline
from fuyuan.hearings import workflow
from fuyuan.hearings.forms import AttendanceForm, CancelForm, DesignateForm, ExplainAbsenceForm, RegisterHearingForm
from fuyuan.hearings.models import UPCOMING_STATES, Hearing, HearingState
from fuyuan.hearings.queries import visible_to

WEEKDAYS = "一二三四五六日"
WEEK_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
REGISTER_ROLES = frozenset({Role.COURT_LIAISON, Role.RULE_OF_LAW_OFFICE})
# The court page lists the hearings of the last month, when attendance is recorded and corrected.
COURT_RECENT_DAYS = 30
# 我的出庭任务 also shows what was recorded lately, so that the liaison sees the task closed.
MINE_RECENT_DAYS = 60
RECORDED_STATES = (HearingState.ATTENDED, HearingState.ABSENT)


def _user(request: HttpRequest) -> User:
    """The logged-in user (LoginRequiredMiddleware turns everyone else away before a view runs)."""
    return cast(User, request.user)


def day_label(day: datetime.date) -> str:
    """2026年12月1日（周二）: how the pages and messages write a hearing day."""
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def _nav(user: User) -> str:
    return {Role.AGENCY_LIAISON: "hearings-mine", Role.COURT_LIAISON: "hearings-court"}.get(
        cast(Role, user.role), "hearings-week" if user.role in WEEK_ROLES else ""
    )


def _task(hearing: Hearing, today: datetime.date) -> dict[str, Any]:
    """A hearing as a line of a task list: how far off it is, and whether the designation is late (T-7)."""
    days_left = (hearing.held_on - today).days
    awaiting_head = hearing.state in (HearingState.NOTIFIED, HearingState.ESCALATED)
    return {
        "hearing": hearing,
        "days_left": days_left,
        "days_past": -days_left,
        "due": hearing.designation_due(),
        "designation_late": awaiting_head and today > hearing.designation_due(),
        "awaiting_head": awaiting_head,
        "awaiting_attendance": hearing.is_upcoming and days_left <= 0,
    }


# ---------------------------------------------------------------------------------------------------------------
# The hearing file and its actions


def _load(request: HttpRequest, pk: int) -> tuple[User, Hearing]:
    user = _user(request)
    hearing = get_object_or_404(
        visible_to(user).select_related("case", "court", "agency", "county", "designated_head", "registered_by"),
        pk=pk,
    )
    return user, hearing


def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, hearing = _load(request, pk)
    return _render_detail(request, user, hearing)


def _render_detail(
    request: HttpRequest, user: User, hearing: Hearing, *, bound: dict[str, forms.Form] | None = None, refused: str = ""
) -> HttpResponse:
    today = timezone.localdate()
    head = hearing.designated_head
    recorded = hearing.state in RECORDED_STATES
    act_for_agency = workflow.can_act_for_agency(user, hearing) and hearing.is_upcoming
    may_record = workflow.can_record_attendance(user, hearing) and (hearing.is_upcoming or recorded)
    actions = {
        "designate": act_for_agency,
        "explain": act_for_agency,
        "attendance": may_record and today >= hearing.held_on,
        "attendance_later": may_record and today < hearing.held_on,
        "cancel": workflow.can_cancel(user, hearing) and hearing.is_upcoming,
    }
    # A form sent back with its reason stays on the page even if the action is no longer open (``_act`` has
    # checked the right): the person sees why, next to what they typed.
    actions.update(dict.fromkeys(bound or {}, True))
    spoke_initial = {True: "yes", False: "no"}.get(hearing.spoke) if hearing.spoke is not None else None
    unbound: dict[str, forms.Form] = {
        # The number on file is not put back in the form (it would show it whole, unaudited): a re-designation
        # gives the number of the head designated now.
        "designate": DesignateForm(initial={"name": head.name if head else ""}, prefix="designate"),
        "explain": ExplainAbsenceForm(
            initial={
                "reason": hearing.absence_reason,
                "explanation": hearing.explanation,
                "delegate_name": hearing.delegate_name,
                "delegate_title": hearing.delegate_title,
            },
            prefix="explain",
        ),
        "attendance": AttendanceForm(
            initial={
                "appeared": {HearingState.ATTENDED: "yes", HearingState.ABSENT: "no"}.get(
                    cast(HearingState, hearing.state)
                ),
                "head_name": hearing.appeared_head_name or (head.name if head else ""),
                "spoke": spoke_initial,
                "speech": hearing.speech,
            },
            prefix="attendance",
        ),
        "cancel": CancelForm(prefix="cancel"),
    }
    action_forms = {**unbound, **(bound or {})}
    context = {
        "nav": _nav(user),
        "hearing": hearing,
        "task": _task(hearing, today),
        "today": today,
        "actions": actions,
        "any_action": any(actions.values()),
        "forms": action_forms,
        "open_form": next(iter(bound), "") if bound else "",
        "refused": refused,
        "designated_late": hearing.designated_at is not None
        and timezone.localtime(hearing.designated_at).date() > hearing.designation_due(),
        "roster": list(hearing.agency.heads_on(hearing.held_on)) if actions["designate"] else [],
        # Masked for everyone; who may reveal it (audited) is core.masking.REVEALABLE["hearing.designee_phone"].
        "phone": shown(user, hearing, "designee_phone"),
        "events": timeline(hearing),
    }
    return render(request, "hearings/detail.html", context)


def _act(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form_class: type[forms.Form],
    allowed: Callable[[User, Hearing], bool],
    do: Callable[[Hearing, Any, User], Hearing],
    done: Callable[[Hearing], str],
) -> HttpResponse:
    """One action on the hearing file: the right, the form, the workflow; success goes back to the file with a
    message, a refusal re-shows the file with the reason on the form and nothing changed."""
    user, hearing = _load(request, pk)
    if not allowed(user, hearing):
        raise PermissionDenied("您无权进行此项操作")
    form = form_class(request.POST, prefix=name)
    refused = ""
    if form.is_valid():
        try:
            hearing = do(hearing, form, user)
        except workflow.DesignationRefused as refusal:
            refused = str(refusal)
        except workflow.HearingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done(hearing))
            return HttpResponseRedirect(reverse("hearings:detail", args=[hearing.pk]))
        # The workflow re-read the hearing under its lock; show it as stored, not as tried.
        user, hearing = _load(request, pk)
    return _render_detail(request, user, hearing, bound={name: form}, refused=refused)


@require_POST
def designate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="designate",
        form_class=DesignateForm,
        allowed=workflow.can_act_for_agency,
        do=lambda h, f, u: workflow.designate(h, name=f.cleaned_data["name"], phone=f.cleaned_data["phone"], by=u),
        done=lambda h: f"已指定出庭负责人：{workflow.designee_text(h).removeprefix('出庭负责人：')}",
    )


@require_POST
def explain_absence(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="explain",
        form_class=ExplainAbsenceForm,
        allowed=workflow.can_act_for_agency,
        do=lambda h, f, u: workflow.explain_absence(h, **f.cleaned_data, by=u),
        done=lambda h: f"已提交书面说明，委托{h.delegate_name}出庭",
    )


@require_POST
def record_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="attendance",
        form_class=AttendanceForm,
        allowed=workflow.can_record_attendance,
        do=lambda h, f, u: workflow.record_attendance(h, **f.workflow_values(), by=u),
        done=lambda h: (
            f"已登记出庭情况：{h.get_state_display()}"
            + (("，负责人出声" if h.spoke else "，负责人未发言") if h.state == HearingState.ATTENDED else "")
        ),
    )


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="cancel",
        form_class=CancelForm,
        allowed=workflow.can_cancel,
        do=lambda h, f, u: workflow.cancel_hearing(h, reason=f.cleaned_data["reason"], by=u),
        done=lambda h: "已取消开庭，已通知被告机关和依法治办",
    )


# ---------------------------------------------------------------------------------------------------------------
# 我的出庭任务


def mine(request: HttpRequest) -> HttpResponse:
    """The agency liaison's tasks: upcoming hearings first, then past ones still waiting for their attendance."""
    user = _user(request)
    if user.role != Role.AGENCY_LIAISON:
        raise PermissionDenied("我的出庭任务仅供行政机关联络员使用")
    today = timezone.localdate()
    hearings = list(
        visible_to(user)
        .filter(state__in=[*UPCOMING_STATES, *RECORDED_STATES])
        .exclude(state__in=RECORDED_STATES, held_on__lt=today - datetime.timedelta(days=MINE_RECENT_DAYS))
        .select_related("case", "court", "designated_head")
        .order_by("held_on", "starts_at", "id")
    )
    tasks = [_task(h, today) for h in hearings]
    upcoming = [t for t in tasks if t["hearing"].is_upcoming and t["days_left"] >= 0]
    awaiting = [t for t in tasks if t["hearing"].is_upcoming and t["days_left"] < 0]
    recorded = [t for t in reversed(tasks) if not t["hearing"].is_upcoming]
    context = {
        "nav": "hearings-mine",
        "today": today,
        # The nearest hearing first; a busy agency's months ahead page rather than fill the phone.
        "upcoming": paginate(request, upcoming),
        "awaiting": awaiting,
        "recorded": recorded,
        "late": sum(1 for t in upcoming if t["designation_late"]),
        "recent_days": MINE_RECENT_DAYS,
    }
    return render(request, "hearings/mine.html", context)


# ---------------------------------------------------------------------------------------------------------------
# 本周开庭


def _start(value: str | None, today: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else today
    except ValueError:
        return today


def _county_choices(user: User) -> list[tuple[int, str]]:
    """The counties the user may look at; a prefecture's own cases are its "本级"."""
    regions = list(regions_visible_to(user).filter(level__lte=RegionLevel.COUNTY).order_by("path"))
    return [(r.pk, r.name if r.level == RegionLevel.COUNTY else f"{r.name}本级") for r in regions]


def week(request: HttpRequest) -> HttpResponse:
    """本周开庭: the hearings of the user's region for seven days, day by day, with how each appearance stands."""
    user = _user(request)
    if user.role not in WEEK_ROLES:
        raise PermissionDenied("本周开庭仅供依法治办和领导查看")
    today = timezone.localdate()
    start = _start(request.GET.get("start"), today)
    end = start + datetime.timedelta(days=6)
    counties = _county_choices(user)
    county = request.GET.get("county", "")
    hearings = (
        visible_to(user)
        .filter(held_on__range=(start, end))
        .exclude(state=HearingState.CANCELLED)
        .select_related("case", "court", "agency", "county", "designated_head")
        .order_by("held_on", "starts_at", "id")
    )
    if county.isdigit() and int(county) in {pk for pk, _ in counties}:
        hearings = hearings.filter(county_id=int(county))
    else:
        county = ""
    rows = [_task(h, today) for h in hearings]
    days = []
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        days.append({"day": day, "label": day_label(day), "today": day == today, "rows": []})
    for row in rows:
        days[(row["hearing"].held_on - start).days]["rows"].append(row)
    counts = Counter(row["hearing"].state for row in rows)
    county_query = f"&county={county}" if county else ""
    context = {
        "nav": "hearings-week",
        "today": today,
        "start": start,
        "end": end,
        "range_label": f"{day_label(start)} 至 {day_label(end)}",
        "days": days,
        "total": len(rows),
        "counts": {state.value: counts.get(state, 0) for state in HearingState},
        "counties": counties if len(counties) > 1 else [],
        "county": county,
        "prev_url": f"?start={(start - datetime.timedelta(days=7)).isoformat()}{county_query}",
        "next_url": f"?start={(start + datetime.timedelta(days=7)).isoformat()}{county_query}",
        "this_week_url": f"?start={today.isoformat()}{county_query}",
    }
    return render(request, "hearings/week.html", context)


# ---------------------------------------------------------------------------------------------------------------
# The court's page and registering a notice


def _register(request: HttpRequest, user: User, form: RegisterHearingForm) -> HttpResponse | None:
    """Register the notice the form describes; None (and the reason on the form) when it cannot be."""
    if not form.is_valid():
        return None
    assert form.case is not None
    data = form.cleaned_data
    try:
        hearing = workflow.register_hearing(
            form.case, held_on=data["held_on"], starts_at=data["starts_at"], courtroom=data["courtroom"], by=user
        )
    except workflow.HearingError as error:
        form.add_error(None, str(error))
        return None
    except IntegrityError:
        # Someone registered the same notice a moment ago (the one-notice-per-day constraint caught it).
        form.add_error(None, f"{form.case.number} 在 {data['held_on'].isoformat()} 的开庭通知已经登记过")
        return None
    messages.success(
        request,
        f"已登记开庭通知：{hearing.case.number}，{day_label(hearing.held_on)}开庭；"
        f"已同时通知{hearing.agency.name}和{hearing.county.name}依法治办（双调度）",
    )
    return HttpResponseRedirect(reverse("hearings:detail", args=[hearing.pk]))


def court(request: HttpRequest) -> HttpResponse:
    """开庭通知: the court liaison registers notices and sees the court's upcoming and recent hearings."""
    user = _user(request)
    if user.role != Role.COURT_LIAISON or not user.organisation_id:
        raise PermissionDenied("开庭通知页面仅供法院联络员使用")
    form = RegisterHearingForm(request.POST or None, user=user)
    if request.method == "POST" and (done := _register(request, user, form)):
        return done
    today = timezone.localdate()
    hearings = list(
        visible_to(user)
        .filter(held_on__gte=today - datetime.timedelta(days=COURT_RECENT_DAYS))
        .select_related("case", "agency", "designated_head")
        .order_by("held_on", "starts_at", "id")
    )
    tasks = [_task(h, today) for h in hearings]
    context = {
        "nav": "hearings-court",
        "today": today,
        "form": form,
        "suggestions": form.suggestions(),
        "upcoming": [t for t in tasks if t["days_left"] >= 0],
        "recent": [t for t in reversed(tasks) if t["days_left"] < 0],
        "recent_days": COURT_RECENT_DAYS,
    }
    return render(request, "hearings/court.html", context)


def new(request: HttpRequest) -> HttpResponse:
    """Register a notice for one case (the button on the case's page prefills it with ``?case=<id>``)."""
    user = _user(request)
    if user.role not in REGISTER_ROLES:
        raise PermissionDenied("您无权登记开庭通知")
    case = None
    case_id = request.GET.get("case", "")
    if case_id:
        if not case_id.isdigit():
            raise Http404("没有这件案件")
        case = get_object_or_404(case_queries.visible_to(user), pk=int(case_id))
        if not workflow.can_register(user, case):
            raise PermissionDenied("您无权登记此案件的开庭通知")
    form = RegisterHearingForm(request.POST or None, user=user, initial={"case_number": case.number} if case else {})
    if request.method == "POST" and (done := _register(request, user, form)):
        return done
    context = {"nav": _nav(user), "form": form, "case": case, "suggestions": form.suggestions()}
    return render(request, "hearings/new.html", context)
