"""The coordination centre's pages (SPEC §6.2): the queue (争议受理台账), intake, the dispute file with its actions,
我的协调任务 for a coordinator, and the party's own online application (线上申请, the only page open without login).

Every page starts from ``queries.visible_to``: a dispute the user cannot see is a 404; a page or action that is not
the user's business is a 403. Views only parse, call ``disputes.workflow`` and render; a ``DisputeError`` is shown
next to the form it came from, and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from fuyuan.cases import queries as case_queries
from fuyuan.cases.choices import ActType, Domain
from fuyuan.cases.models import Case
from fuyuan.core.masking import shown
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.timeline import timeline
from fuyuan.disputes import intake, matching, workflow
from fuyuan.disputes.choices import (
    MEDIABLE_ACT_TYPES,
    MEETING_STATES,
    OPEN_STATES,
    AssignmentRole,
    DisputeOutcome,
    DisputeState,
    ParticipantRole,
    Urgency,
)
from fuyuan.disputes.forms import (
    OPEN,
    AcceptForm,
    ApplyForm,
    AssignForm,
    ClassifyForm,
    HandOverForm,
    IntakeForm,
    LinkCaseForm,
    MediatedForm,
    MeetingForm,
    MergeForm,
    PlanForm,
    QueueFilterForm,
    RejectForm,
    ReleaseForm,
    ReviewForm,
    WithdrawnForm,
)
from fuyuan.disputes.models import Assignment, Coordinator, Dispute
from fuyuan.disputes.queries import can_manage, can_work_on, pool_for, visible_to

PAGE_SIZE = 50
QUEUE_ROLES = frozenset({Role.CENTRE_STAFF, Role.RULE_OF_LAW_OFFICE, Role.LEADER})
# What the confirmation page promises a party who applied online. Not a statute: the centre's service promise,
# set like the 5-working-day acceptance review of 行政复议法 (2023) 第30条 so that the two doors answer alike.
CONTACT_WORKING_DAYS = 5
APPLY_SALT = "disputes.apply"
# A confirmation link works for a day: long enough to note the number, short enough not to linger in a history.
APPLY_TOKEN_MAX_AGE = 24 * 3600
RELATED_CASES_SHOWN = 10


def _user(request: HttpRequest) -> User:
    """The logged-in user (LoginRequiredMiddleware turns everyone else away before a view runs)."""
    return cast(User, request.user)


def due_text(due: datetime.date | None, today: datetime.date) -> dict[str, Any]:
    """How a time limit reads on a page: the date, and the days left or ``已逾期 N 日``."""
    if due is None:
        return {"due": None, "days_left": None, "overdue": False, "text": ""}
    days_left = (due - today).days
    if days_left < 0:
        text = f"已逾期 {-days_left} 日"
    elif days_left == 0:
        text = "今日到期"
    else:
        text = f"还有 {days_left} 日"
    return {"due": due, "days_left": days_left, "overdue": days_left < 0, "soon": 0 <= days_left <= 3, "text": text}


def _nav(user: User) -> str:
    if user.role == Role.COORDINATOR:
        return "disputes-mine"
    return "disputes" if user.role in QUEUE_ROLES else ""


def _centre_of(user: User) -> Organisation:
    """The centre whose staff the user is; intake belongs to them alone."""
    if user.role != Role.CENTRE_STAFF or user.organisation is None:
        raise PermissionDenied("只有协调化解中心工作人员可以登记争议")
    if user.organisation.kind != OrganisationKind.COORDINATION_CENTRE:
        raise PermissionDenied("您所在单位不是协调化解中心")
    return user.organisation


# ---------------------------------------------------------------------------------------------------------------
# 争议受理台账


def _active_assignments() -> Prefetch:
    """The 专班 of each dispute as the lists show it: the lead first, then members in the order assigned."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(released_at__isnull=True)
        .select_related("coordinator")
        .order_by("role", "assigned_at", "id"),
        to_attr="active_assignments",
    )


def queue(request: HttpRequest) -> HttpResponse:
    """The centre's queue, filtered by GET parameters (bookmarkable, and the figures page drills down to it)."""
    user = _user(request)
    if user.role not in QUEUE_ROLES:
        raise PermissionDenied("协调化解台账仅供协调化解中心工作人员、依法治办和领导查看")
    today = timezone.localdate()
    scope = visible_to(user)
    form = QueueFilterForm(
        request.GET,
        centres=Organisation.objects.filter(
            kind=OrganisationKind.COORDINATION_CENTRE, pk__in=scope.values("centre_id")
        ).order_by("region__path", "name"),
        coordinators=Coordinator.objects.filter(
            pk__in=Assignment.objects.filter(dispute__in=scope).values("coordinator_id")
        ).order_by("name", "id"),
    )
    form.is_valid()
    unstated = form.apply(scope, today=today, state=False)
    counts = dict(unstated.order_by().values_list("state").annotate(n=Count("id")))
    disputes = (
        form.apply(scope, today=today)
        .select_related("agency", "centre")
        .prefetch_related(_active_assignments())
        .order_by("-received_on", "-id")
    )
    page = Paginator(disputes, PAGE_SIZE).get_page(request.GET.get("page"))

    query = request.GET.copy()
    query.pop("page", None)
    without_state = query.copy()
    without_state.pop("state", None)
    base = without_state.urlencode()
    state_links = [
        {
            "label": "全部",
            "count": sum(counts.values()),
            "url": f"?{base}",
            "active": not form.cleaned_data.get("state"),
            "value": "",
        },
        {
            "label": "办理中",
            "count": sum(counts.get(s, 0) for s in OPEN_STATES),
            "url": f"?{base}{'&' if base else ''}state={OPEN}",
            "active": form.cleaned_data.get("state") == OPEN,
            "value": OPEN,
        },
    ] + [
        {
            "label": state.label,
            "count": counts.get(state.value, 0),
            "url": f"?{base}{'&' if base else ''}state={state.value}",
            "active": form.cleaned_data.get("state") == state.value,
            "value": state.value,
        }
        for state in DisputeState
    ]
    context = {
        "nav": "disputes",
        "form": form,
        "notices": form.notices(),
        "page": page,
        "rows": [{"d": d, "limit": due_text(d.current_due_on(), today)} for d in page.object_list],
        "query": query.urlencode(),
        "state_links": state_links,
        "can_register": user.role == Role.CENTRE_STAFF,
        "today": today,
    }
    htmx = getattr(request, "htmx", None)
    partial = htmx is not None and bool(htmx) and not htmx.history_restore_request
    response = render(request, "disputes/_queue_results.html" if partial else "disputes/queue.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------------------------------------------------------
# 登记争议 (集中受理)


def new(request: HttpRequest) -> HttpResponse:
    """Intake at the centre. Before saving, a possible duplicate on file is shown with the choice to merge into it,
    and the cases the applicants brought against the agency are offered for linking."""
    user = _user(request)
    centre = _centre_of(user)
    form = IntakeForm(request.POST or None, centre=centre)
    check: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        values = form.values()
        # Any centre's: a matter brought to a county centre and to the prefecture's is found too. Only an open
        # dispute of this centre takes a merge (``workflow.register_dispute``); the others are for reference.
        duplicates = intake.possible_duplicates(
            applicants=values["applicants"],
            agency=values["agency"],
            matter=values["matter"],
            id_number=values.get("applicant_id_number", ""),
        )
        related = intake.related_cases(applicants=values["applicants"], agency=values["agency"])
        related_shown = list(related.select_related("court", "reconsideration_body")[:RELATED_CASES_SHOWN])
        decision = request.POST.get("decision", "")
        if decision.startswith("merge:"):
            target = next((d for d in duplicates if str(d.pk) == decision.removeprefix("merge:")), None)
            if target is None:
                form.add_error(None, "所选的已有争议不是本件的可能重复件，请重新选择")
            else:
                try:
                    workflow.register_dispute(centre, values, by=user, duplicate_of=target)
                except workflow.DisputeError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, f"已并入已有争议 {target.number}，本次申请记入其时间线")
                    return HttpResponseRedirect(reverse("disputes:detail", args=[target.pk]))
        elif decision == "new" or not (duplicates or related_shown):
            dispute = workflow.register_dispute(centre, values, by=user)
            linked = ""
            case_id = request.POST.get("link_case", "")
            case = next((c for c in related_shown if str(c.pk) == case_id), None)
            if case is not None:
                try:
                    workflow.link_case(dispute, case, by=user)
                    linked = f"，已关联案件 {case.number}"
                except workflow.DisputeError as error:
                    messages.warning(request, str(error))
            messages.success(request, f"已登记争议 {dispute.number}{linked}")
            return HttpResponseRedirect(reverse("disputes:detail", args=[dispute.pk]))
        if not form.errors or decision.startswith("merge:"):
            check = {"duplicates": duplicates, "related": related_shown}
    context = {"nav": "disputes", "form": form, "centre": centre, "check": check}
    return render(request, "disputes/new.html", context)


# ---------------------------------------------------------------------------------------------------------------
# The dispute file and its actions


def _load(request: HttpRequest, pk: int) -> tuple[User, Dispute]:
    user = _user(request)
    dispute = get_object_or_404(
        visible_to(user).select_related(
            "centre__region", "agency__region", "referred_by", "case", "county", "region", "registered_by"
        ),
        pk=pk,
    )
    return user, dispute


def _hand_over_cases(d: Dispute) -> QuerySet[Case]:
    """The cases a failed mediation may go to: those the applicants brought against the agency, still pending
    (``workflow.hand_over`` refuses any other)."""
    return _link_cases(d).filter(concluded_on__isnull=True)


def _forums(d: Dispute) -> QuerySet[Organisation]:
    """The courts and reconsideration bodies of the centre's region, above and below it."""
    region = d.centre.region
    return Organisation.objects.filter(
        Q(region__path__startswith=region.path) | Q(region__in=region.ancestors()),
        kind__in=[OrganisationKind.COURT, OrganisationKind.JUSTICE_BUREAU],
    ).order_by("kind", "region__path", "name")


def _link_cases(d: Dispute) -> QuerySet[Case]:
    return intake.related_cases(applicants=d.applicants, agency=d.agency)


def _form(name: str, d: Dispute, data: Any = None) -> forms.Form:
    """The form of action ``name`` on dispute ``d``, bound to ``data`` when given."""
    kw: dict[str, Any] = {"prefix": name}
    if name == "classify":
        kw["initial"] = {"domain": d.domain, "act_type": d.act_type, "urgency": d.urgency, "group_size": d.group_size}
        return ClassifyForm(data, **kw)
    if name == "link":
        return LinkCaseForm(data, cases=_link_cases(d), **kw)
    if name == "assign":
        return AssignForm(data, pool=pool_for(d.centre.region.path), **kw)
    if name == "handover":
        return HandOverForm(data, cases=_hand_over_cases(d), forums=_forums(d), **kw)
    if name == "accept":
        return AcceptForm(data, dispute=d, **kw)
    if name == "merge":
        return MergeForm(data, candidates=_mergeable(d), **kw)
    plain: dict[str, type[forms.Form]] = {
        "reject": RejectForm,
        "review": ReviewForm,
        "plan": PlanForm,
        "meeting": MeetingForm,
        "mediated": MediatedForm,
        "withdrawn": WithdrawnForm,
        "release": ReleaseForm,
    }
    if name == "review":
        kw["initial"] = {"opinion": d.review_opinion}
    return plain[name](data, **kw)


def _actions(user: User, d: Dispute) -> dict[str, bool]:
    manage, work = can_manage(user, d), can_work_on(user, d)
    is_open = d.state != DisputeState.CLOSED
    return {
        "classify": manage and is_open,
        "link": manage and is_open,
        "accept": manage and d.state == DisputeState.RECEIVED,
        "reject": manage and d.state == DisputeState.RECEIVED,
        "merge": manage and d.state == DisputeState.RECEIVED,
        "assign": manage and d.state in (DisputeState.ACCEPTED, *MEETING_STATES),
        "release": manage and is_open,
        "review": work and d.state == DisputeState.ASSIGNED,
        "plan": work and d.state == DisputeState.REVIEWED,
        "meeting": work and d.state in MEETING_STATES,
        "mediated": manage and d.state in OPEN_STATES,
        "withdrawn": manage and d.state in OPEN_STATES,
        "handover": manage and d.state in OPEN_STATES,
    }


def _limit(
    label: str, rule: str, due: datetime.date | None, done_on: datetime.date | None, today: datetime.date
) -> dict[str, Any]:
    """One of the centre's time limits (SPEC §5) as the file shows it."""
    if due is None:
        return {"label": label, "rule": rule, "due": None, "state": "未开始", "tone": "secondary"}
    if done_on is not None:
        late = done_on > due
        return {
            "label": label,
            "rule": rule,
            "due": due,
            "state": f"{'逾期' if late else '按期'}完成（{done_on.isoformat()}）",
            "tone": "warning" if late else "success",
        }
    limit = due_text(due, today)
    return {
        "label": label,
        "rule": rule,
        "due": due,
        "state": limit["text"],
        "tone": "danger" if limit["overdue"] else "primary",
    }


def _suggestion(d: Dispute) -> dict[str, Any] | None:
    s = d.suggestion or {}
    if not s:
        return None
    domains, acts, urgencies = dict(Domain.choices), dict(ActType.choices), dict(Urgency.choices)
    return {
        "domain": domains.get(s.get("domain", ""), "") or "（未识别）",
        "act_type": acts.get(s.get("act_type", ""), "") or "（未识别）",
        "urgency": urgencies.get(s.get("urgency", ""), "一般"),
        "group_size": s.get("group_size", 1),
        "reasons": s.get("reasons", []),
        "matches": s.get("domain", "") == d.domain
        and s.get("act_type", "") == d.act_type
        and s.get("urgency", "") == d.urgency
        and s.get("group_size", 1) == d.group_size,
    }


def _duplicates(user: User, d: Dispute) -> list[dict[str, Any]]:
    """可能重复: the disputes on file at any centre that look like this one, for the centre's staff. Each says
    whether it may be opened (visible to the user) and whether this one may be merged into it."""
    if not can_manage(user, d):
        return []
    found = workflow.duplicates_of(d)
    visible = set(visible_to(user).filter(pk__in=[o.pk for o in found]).values_list("pk", flat=True))
    return [
        {
            "d": o,
            "visible": o.pk in visible,
            "mergeable": d.state == DisputeState.RECEIVED
            and o.centre_id == d.centre_id
            and o.state != DisputeState.CLOSED,
        }
        for o in found
    ]


def _mergeable(d: Dispute) -> list[Dispute]:
    return [o for o in workflow.duplicates_of(d) if o.centre_id == d.centre_id and o.state != DisputeState.CLOSED]


def _mediation_note(d: Dispute) -> str:
    """行政诉讼法 第60条: a note (not a bar) when the act in dispute is not compensation, where mediation is lawful
    only if the matter lies in the agency's discretion."""
    if not d.act_type or d.act_type in MEDIABLE_ACT_TYPES:
        return ""
    return (
        f"本件行政行为类别为“{d.get_act_type_display()}”。行政诉讼法第六十条规定，行政案件不适用调解，但行政赔偿、"
        "补偿以及行政机关行使法律、法规规定的自由裁量权的案件可以调解。请确认本件争议涉及赔偿、补偿或自由裁量事项；"
        "此为提示，不影响受理和化解。"
    )


def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, dispute = _load(request, pk)
    return _render_detail(request, user, dispute)


def _render_detail(
    request: HttpRequest, user: User, d: Dispute, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    manage = can_manage(user, d)
    actions = _actions(user, d)
    # A form sent back with its reason stays on the page even if the action is no longer open (``_act`` has
    # checked the right): the person sees why, next to what they typed.
    actions.update(dict.fromkeys(bound or {}, True))
    action_forms = {name: _form(name, d) for name, allowed in actions.items() if allowed}
    action_forms.update(bound or {})
    assignments = list(
        d.assignments.select_related("coordinator__organisation", "assigned_by").order_by("role", "assigned_at", "id")
    )
    active = [a for a in assignments if a.released_at is None]
    released = [a for a in assignments if a.released_at is not None]
    has_lead = any(a.role == AssignmentRole.LEAD for a in active)
    proposals = matching.propose(d, today=today) if actions["assign"] else []
    cases_visible = case_queries.visible_to(user)
    related = (
        list(
            _link_cases(d)
            .exclude(pk=d.case_id or 0)
            .select_related("court", "reconsideration_body")[:RELATED_CASES_SHOWN]
        )
        if actions["link"]
        else []
    )
    meeting_form = action_forms.get("meeting")
    context = {
        "nav": _nav(user),
        "d": d,
        "today": today,
        "manage": manage,
        "actions": actions,
        "any_action": any(actions.values()),
        "forms": action_forms,
        "open_form": next(iter(bound), "") if bound else "",
        "limit": due_text(d.current_due_on(), today),
        # Masked for everyone; the centre's staff may reveal one value at a time (audited): core.masking.REVEALABLE.
        "id_number": shown(user, d, "applicant_id_number"),
        "phone": shown(user, d, "applicant_phone"),
        "suggestion": _suggestion(d),
        "related": related,
        "case_link": d.case_id is not None and cases_visible.filter(pk=d.case_id).exists(),
        "active": active,
        "released": released,
        # The best-ranked coordinator is offered as lead while the 专班 has none.
        "proposals": [
            {"p": p, "role": AssignmentRole.LEAD if i == 0 and not has_lead else AssignmentRole.MEMBER}
            for i, p in enumerate(proposals)
        ],
        "roles": AssignmentRole.choices,
        "limits": [
            _limit("专家评审", "centre.expert_review：指派后3个工作日", d.review_due_on, d.reviewed_on, today),
            _limit("化解方案", "centre.plan：评审后5个工作日", d.plan_due_on, d.planned_on, today),
            _limit(
                "诉前化解",
                "centre.pre_litigation：受理后30日",
                d.mediation_due_on,
                d.concluded_on if d.state == DisputeState.CLOSED else None,
                today,
            ),
        ],
        "meetings": list(d.meetings.prefetch_related("participants").select_related("recorded_by")),
        "participant_rows": meeting_form.rows() if isinstance(meeting_form, MeetingForm) else [],
        "participant_roles": ParticipantRole.choices,
        "agreement_url": reverse("documents:agreement", args=[d.pk]) if d.outcome == DisputeOutcome.MEDIATED else "",
        "duplicates": _duplicates(user, d),
        "mediation_note": _mediation_note(d),
        "events": timeline(d),
    }
    return render(request, "disputes/detail.html", context, status=status)


def _act(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    allowed: Callable[[User, Dispute], bool],
    do: Callable[[Dispute, Any, User], str],
) -> HttpResponse:
    """One action on the dispute file: the right, the form, the workflow. Success goes back to the file with a
    message; a refusal re-shows the file with the reason on the form and nothing changed."""
    user, dispute = _load(request, pk)
    if not allowed(user, dispute):
        raise PermissionDenied("您无权进行此项操作")
    form = _form(name, dispute, request.POST)
    if form.is_valid():
        try:
            done = do(dispute, form, user)
        except workflow.DisputeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("disputes:detail", args=[dispute.pk]) + f"#{_anchor(name)}")
        # The workflow re-read the dispute under its lock; show it as stored, not as tried.
        user, dispute = _load(request, pk)
    return _render_detail(request, user, dispute, bound={name: form})


def _anchor(name: str) -> str:
    return {"assign": "team", "release": "team", "meeting": "meetings", "link": "cases"}.get(name, "top")


@require_POST
def classify(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        workflow.classify_dispute(d, **f.cleaned_data, by=u)
        return "已确认分类"

    return _act(request, pk, name="classify", allowed=can_manage, do=do)


@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        case = f.cleaned_data["case"]
        workflow.link_case(d, case, by=u)
        return f"已关联案件 {case.number}"

    return _act(request, pk, name="link", allowed=can_manage, do=do)


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        d = workflow.accept_dispute(d, by=u, consent=f.consent())
        assert d.mediation_due_on is not None
        return f"已受理，化解期限至 {d.mediation_due_on.isoformat()}；请指派协调员组成专班"

    return _act(request, pk, name="accept", allowed=can_manage, do=do)


@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        into = workflow.merge_duplicate(d, f.cleaned_data["into"], by=u)
        return f"已将本件并入 {into.number} 办理，本件以“重复申请”办结"

    return _act(request, pk, name="merge", allowed=can_manage, do=do)


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        workflow.reject_dispute(d, reason=f.cleaned_data["reason"], by=u)
        return "已作出不予受理，请告知申请人理由"

    return _act(request, pk, name="reject", allowed=can_manage, do=do)


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        reasons = {p.coordinator.pk: p.reason_text for p in matching.propose(d, today=timezone.localdate(), limit=1000)}
        choices = [
            workflow.Choice(coordinator=c, role=f.role_of(c), reason=reasons.get(c.pk, ""))
            for c in f.cleaned_data["coordinator"]
        ]
        # The lead first, so that the timeline reads as the 专班 is formed.
        choices.sort(key=lambda c: c.role != AssignmentRole.LEAD)
        d = workflow.assign_coordinators(d, choices, by=u)
        names = "、".join(c.coordinator.name for c in choices)
        return f"已指派 {names}" + (f"；专家评审期限至 {d.review_due_on.isoformat()}" if d.review_due_on else "")

    return _act(request, pk, name="assign", allowed=can_manage, do=do)


@require_POST
def release(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    _, dispute = _load(request, pk)
    assignment = get_object_or_404(dispute.assignments.select_related("coordinator"), pk=assignment_pk)

    def do(d: Dispute, f: Any, u: User) -> str:
        workflow.release_coordinator(assignment, by=u)
        return f"{assignment.coordinator.name} 已退出专班"

    return _act(request, pk, name="release", allowed=can_manage, do=do)


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        d = workflow.record_review(d, opinion=f.cleaned_data["opinion"], by=u)
        assert d.plan_due_on is not None
        return f"已登记专家评审意见；化解方案期限至 {d.plan_due_on.isoformat()}"

    return _act(request, pk, name="review", allowed=can_work_on, do=do)


@require_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        workflow.record_plan(d, plan=f.cleaned_data["plan"], by=u)
        return "已登记化解方案"

    return _act(request, pk, name="plan", allowed=can_work_on, do=do)


@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        data = f.cleaned_data
        m = workflow.record_meeting(
            d,
            kind=data["kind"],
            held_at=data["held_at"],
            place=data["place"],
            participants=f.attendees(),
            minutes=data["minutes"],
            next_steps=data["next_steps"],
            by=u,
        )
        return f"已登记{m.get_kind_display()}（{len(f.attendees())} 人参加）"

    return _act(request, pk, name="meeting", allowed=can_work_on, do=do)


@require_POST
def mediated(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        data = f.cleaned_data
        workflow.conclude_mediated(d, terms=data["terms"], judicial_confirmation=data["judicial_confirmation"], by=u)
        return "已办结：调解成功" + ("，当事人申请司法确认" if data["judicial_confirmation"] else "")

    return _act(request, pk, name="mediated", allowed=can_manage, do=do)


@require_POST
def withdrawn(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        d = workflow.conclude_withdrawn(d, reason=f.cleaned_data["reason"], note=f.cleaned_data["note"], by=u)
        return f"已办结：撤回（{d.get_withdrawal_reason_display()}）"

    return _act(request, pk, name="withdrawn", allowed=can_manage, do=do)


@require_POST
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    def do(d: Dispute, f: Any, u: User) -> str:
        data = f.cleaned_data
        new_case = None
        if data["case"] is None:
            new_case = workflow.NewCase(number=data["number"].strip(), forum=data["forum"], on=data["on"])
        d = workflow.hand_over(d, to=data["to"], case=data["case"], new_case=new_case, note=data["note"], by=u)
        assert d.case is not None
        return f"已办结：{d.get_outcome_display()}，关联案件 {d.case.number}"

    return _act(request, pk, name="handover", allowed=can_manage, do=do)


# ---------------------------------------------------------------------------------------------------------------
# 我的协调任务


def mine(request: HttpRequest) -> HttpResponse:
    """A coordinator's disputes: those in hand (with the time limit they work to and their role), then the past
    ones — closed, or left (a dispute the coordinator has left is no longer open to them: only its number shows)."""
    user = _user(request)
    if user.role != Role.COORDINATOR:
        raise PermissionDenied("我的协调任务仅供协调员使用")
    today = timezone.localdate()
    mine_only = Assignment.objects.filter(coordinator__user=user).select_related("coordinator")
    disputes = list(
        visible_to(user)
        .select_related("agency", "centre")
        .prefetch_related(
            Prefetch("assignments", queryset=mine_only.filter(released_at__isnull=True), to_attr="my_assignments")
        )
        .order_by("-received_on", "-id")
    )
    rows: list[dict[str, Any]] = [
        {
            "d": d,
            "role": d.my_assignments[0].get_role_display() if d.my_assignments else "",
            "limit": due_text(d.current_due_on(), today),
        }
        for d in disputes
    ]
    in_hand = sorted(
        (r for r in rows if r["d"].state != DisputeState.CLOSED),
        key=lambda r: (r["limit"]["due"] is None, r["limit"]["due"] or today),
    )
    closed = [r for r in rows if r["d"].state == DisputeState.CLOSED]
    left = list(
        mine_only.filter(released_at__isnull=False)
        .exclude(dispute__in=[d.pk for d in disputes])
        .select_related("dispute__agency")
        .order_by("-released_at")
    )
    context = {
        "nav": "disputes-mine",
        "today": today,
        "in_hand": in_hand,
        "closed": closed,
        "left": left,
        "overdue": sum(1 for r in in_hand if r["limit"]["overdue"]),
    }
    return render(request, "disputes/mine.html", context)


# ---------------------------------------------------------------------------------------------------------------
# 线上申请 (open without login)


@login_not_required
def apply(request: HttpRequest) -> HttpResponse:
    """The party's own application. On success it goes to a confirmation page reachable only through a signed
    token, so that nobody can page through other people's applications."""
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        centre = form.cleaned_data["centre"]
        dispute = workflow.apply_online(
            centre, form.values(), consents_to_mediation=form.cleaned_data["consent_to_mediation"]
        )
        token = signing.dumps(dispute.pk, salt=APPLY_SALT)
        return HttpResponseRedirect(reverse("disputes:apply_done", args=[token]))
    return render(request, "disputes/apply.html", {"form": form, "agency_names": form.agency_names()})


@login_not_required
def apply_done(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = signing.loads(token, salt=APPLY_SALT, max_age=APPLY_TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404("链接无效或已过期") from error
    dispute = get_object_or_404(Dispute.objects.select_related("centre"), pk=pk)
    context = {"d": dispute, "contact_days": CONTACT_WORKING_DAYS}
    return render(request, "disputes/apply_done.html", context)
