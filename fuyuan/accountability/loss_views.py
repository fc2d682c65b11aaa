"""The loss-review pages (败诉问责, SPEC §6.3): the list of reviews with their state and current deadline, and a
review's page with the case, each step's record, the court's comment, the timeline and the form of the step the
user may record now.

Every page starts from ``queries.loss_reviews_visible_to``: a review the user cannot see is a 404; the list is a 403
for the roles that see none. Views only parse, call ``accountability.losses`` and render; a refusal is shown on the
form, and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.accountability import losses
from fuyuan.accountability.loss_forms import AnalysisForm, CommentForm, DecisionForm, InterviewForm, NoticeForm
from fuyuan.accountability.models import STEP_RULES, LossCause, LossReview, LossReviewState
from fuyuan.accountability.queries import loss_reviews_visible_to
from fuyuan.cases.choices import Domain
from fuyuan.core.models import Organisation, Region, RegionLevel, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import Deadline
from fuyuan.stats.figures import analysed_filter, cause_filter

# ``cause=any``: the reviews whose 倒查 is recorded, whatever its causes (the dashboard's 已倒查案件 links).
ANY_CAUSE = "any"
LIST_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON, Role.COURT_LIAISON})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def loss_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("败诉问责事项仅供依法治办、领导、败诉机关和法院联络员查看")
    visible = loss_reviews_visible_to(user)
    state = request.GET.get("state", "")
    reviews = visible.select_related("case__county", "agency")
    if state in LossReviewState.values:
        reviews = reviews.filter(state=state)
    else:
        state = ""
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, pk__in=visible.values("case__county_id")).order_by("path")
    )
    county = request.GET.get("county", "")
    if county.isdigit() and any(c.pk == int(county) for c in counties):
        reviews = reviews.filter(case__county_id=int(county))
    else:
        county = ""
    reviews, filters, active = _filter(reviews, request.GET)
    reviews = reviews.prefetch_related(
        Prefetch("case__deadlines", queryset=Deadline.objects.filter(rule_id__in=STEP_RULES.values()), to_attr="steps")
    ).order_by("-opened_at", "-id")
    page = paginate(request, reviews)
    rows = []
    for review in page.object_list:
        rule_id = review.current_rule
        steps: list[Deadline] = getattr(review.case, "steps", [])
        current = next((d for d in steps if d.rule_id == rule_id), None)
        rows.append({"review": review, "deadline": current})
    context = {
        "nav": "loss-reviews",
        "page": page,
        "rows": rows,
        "state": state,
        "states": LossReviewState.choices,
        "county": county,
        "counties": counties,
        "today": timezone.localdate(),
        # The filters the dashboard's 败诉原因 links set (each {"name", "value", "label"}), to show and keep.
        "filters": filters,
        "active_filters": active,
    }
    return render(request, "accountability/loss_list.html", context)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _filter(reviews: QuerySet[LossReview], params: QueryDict) -> tuple[QuerySet[LossReview], list[dict[str, str]], str]:
    """The list narrowed by the dashboard's 败诉原因 links: ``cause`` (a LossCause code: the reviews whose 倒查 names
    it, not withdrawn — ``stats.figures.cause_filter``, the figure's own condition; ``any``: 倒查 recorded), ``agency`` (the losing agency),
    ``domain`` (the case's 领域), ``concluded_from``/``concluded_to`` (the case's 结案日期, inclusive). An unknown
    value is ignored, as the state filter does. Returns the reviews, the applied filters and their description."""
    applied: list[dict[str, str]] = []
    cause = params.get("cause", "")
    if cause in LossCause.values:
        reviews = reviews.filter(cause_filter(cause))
        applied.append({"name": "cause", "value": cause, "label": f"败诉原因：{LossCause(cause).label}"})
    elif cause == ANY_CAUSE:
        reviews = reviews.filter(analysed_filter())
        applied.append({"name": "cause", "value": cause, "label": "已完成倒查分析"})
    agency = params.get("agency", "")
    if agency.isdigit():
        name = Organisation.objects.filter(pk=int(agency)).values_list("name", flat=True).first()
        if name is not None:
            reviews = reviews.filter(agency_id=int(agency))
            applied.append({"name": "agency", "value": agency, "label": f"败诉机关：{name}"})
    domain = params.get("domain", "")
    if domain in Domain.values:
        reviews = reviews.filter(case__domain=domain)
        applied.append({"name": "domain", "value": domain, "label": f"领域：{Domain(domain).label}"})
    for name, lookup, label in (("concluded_from", "gte", "结案日期起"), ("concluded_to", "lte", "结案日期止")):
        day = _date(params.get(name, ""))
        if day is not None:
            reviews = reviews.filter(**{f"case__concluded_on__{lookup}": day})
            applied.append({"name": name, "value": day.isoformat(), "label": f"{label}：{day:%Y年%-m月%-d日}"})
    return reviews, applied, "；".join(f["label"] for f in applied)


def _load(request: HttpRequest, pk: int) -> tuple[User, LossReview]:
    user = _user(request)
    review = get_object_or_404(
        loss_reviews_visible_to(user).select_related(
            "case__region", "case__county", "case__court", "case__defendant", "agency", "court",
            "notice_by", "analysis_by", "interview_by", "decision_by", "comment_by",
        ),
        pk=pk,
    )  # fmt: skip
    return user, review


FORMS: dict[str, Callable[..., forms.Form]] = {
    "notice": NoticeForm,
    "analysis": AnalysisForm,
    "interview": InterviewForm,
    "decision": DecisionForm,
    "comment": CommentForm,
}

RIGHTS: dict[str, Callable[[User, LossReview], bool]] = {
    "notice": losses.is_office_of,
    "analysis": losses.is_agency_of,
    "interview": losses.is_office_of,
    "decision": losses.is_office_of,
    "comment": losses.is_court_of,
}


def loss_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, review = _load(request, pk)
    return _render_detail(request, user, review)


def _render_detail(
    request: HttpRequest, user: User, review: LossReview, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    initial: dict[str, dict[str, Any]] = {
        "notice": {"on": today},
        "interview": {"on": today},
        "comment": {
            "procedure": review.comment_procedure,
            "substance": review.comment_substance,
            "appearance": review.comment_appearance,
        },
    }
    step_forms = {name: cls(prefix=name, initial=initial.get(name)) for name, cls in FORMS.items()}
    step_forms.update(bound or {})
    rows = {d.rule_id: d for d in Deadline.objects.filter(case_id=review.case_id, rule_id__in=STEP_RULES.values())}
    deadlines = {state.value: rows.get(rule_id) for state, rule_id in STEP_RULES.items()}
    context = {
        "nav": "loss-reviews",
        "review": review,
        "case": review.case,
        "actions": losses.allowed_actions(user, review),
        "forms": step_forms,
        "deadlines": deadlines,
        "current": rows.get(review.current_rule or ""),
        "today": today,
        "events": timeline(review),
    }
    return render(request, "accountability/loss_detail.html", context)


def _act(request: HttpRequest, pk: int, name: str, do: Callable[[LossReview, dict[str, Any], User], Any],
         done: str) -> HttpResponse:  # fmt: skip
    """One step: the form, the workflow (which checks the right); a refusal re-shows the page with the reason."""
    user, review = _load(request, pk)
    if not RIGHTS[name](user, review):
        raise PermissionDenied("您无权进行此项操作")
    bound = FORMS[name](request.POST, prefix=name)
    if bound.is_valid():
        try:
            do(review, bound.cleaned_data, user)
        except losses.LossReviewError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(losses.link(review))
        user, review = _load(request, pk)
    return _render_detail(request, user, review, bound={name: bound})


@require_POST
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    def do(r: LossReview, d: dict[str, Any], u: User) -> Any:
        return losses.record_notice(r, on=d["on"], number=d["number"], text=d["text"], by=u)

    return _act(request, pk, "notice", do, "已登记通报，已通知败诉机关开展倒查分析")


@require_POST
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    def do(r: LossReview, d: dict[str, Any], u: User) -> Any:
        return losses.record_analysis(
            r, causes=d["causes"], analysis=d["analysis"], responsible_persons=d["responsible_persons"],
            measures=d["measures"], by=u,
        )  # fmt: skip

    return _act(request, pk, "analysis", do, "已提交倒查分析，已通知依法治办组织约谈")


@require_POST
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    def do(r: LossReview, d: dict[str, Any], u: User) -> Any:
        return losses.record_interview(
            r, on=d["on"], interviewer=d["interviewer"], interviewee=d["interviewee"],
            conclusions=d["conclusions"], by=u,
        )  # fmt: skip

    return _act(request, pk, "interview", do, "已登记约谈")


@require_POST
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    def do(r: LossReview, d: dict[str, Any], u: User) -> Any:
        return losses.record_decision(r, accountable=d["accountable"], decision=d["decision"], by=u)

    return _act(request, pk, "decision", do, "已登记决定，败诉问责事项办结")


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    def do(r: LossReview, d: dict[str, Any], u: User) -> Any:
        return losses.record_comment(
            r, procedure=d["procedure"], substance=d["substance"], appearance=d["appearance"], by=u
        )

    return _act(request, pk, "comment", do, "已保存法院点评")
