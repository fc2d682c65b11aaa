"""The decisions pages (SPEC §6.6): the list with the catalogues, a catalogue, a decision with its steps (done,
current, locked with why) and each step's form, the archive and the review opinion. Thin: every id is loaded through
``queries.visible_to``; every change is one workflow call whose refusal is shown on its form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from fuyuan.core.models import Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.decisions import figures as fig
from fuyuan.decisions import forms as f
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import STAGE_ORDER, Conclusion, DocumentStep, Stage
from fuyuan.decisions.models import Decision
from fuyuan.decisions.queries import (
    catalogues_visible_to,
    is_government_office,
    is_owner,
    is_reviewer,
    links_visible_to,
    may_link,
    visible_to,
)

READERS = (Role.AGENCY_LIAISON, Role.RECONSIDERATION_BODY, Role.RULE_OF_LAW_OFFICE, Role.LEADER)


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in READERS:
        raise PermissionDenied("重大行政决策仅供决策承办单位、合法性审查部门、依法治办和领导使用")
    return user


def _attachment(filename: str) -> str:
    return f"attachment; filename=\"file{filename[filename.rfind('.') :]}\"; filename*=UTF-8''{quote(filename)}"


# ---------------------------------------------------------------------------------------------------------------
# The list and the catalogues


def decision_list(request: HttpRequest) -> HttpResponse:
    """The decisions the user sees, newest first; with ``figure`` (and ``owner``) only those behind that number of
    决策统计 (``figures.decisions_behind``)."""
    user = _user(request)
    decisions = visible_to(user)
    figure, owner = request.GET.get("figure", ""), request.GET.get("owner", "")
    caption = ""
    if figure:
        measures = fig.decision_measures()
        if figure not in measures or (owner and not owner.isdigit()):
            raise Http404("没有这项统计")
        decisions = fig.decisions_behind(decisions, figure, int(owner) if owner else None)
        caption = measures[figure][0]
    page = paginate(request, decisions.select_related("owner", "region").order_by("-id"))
    catalogues = catalogues_visible_to(user).select_related("region")
    context = {
        "nav": "decisions",
        "page": page,
        "caption": caption,
        "catalogues": catalogues,
        "may_catalogue": user.role == Role.RULE_OF_LAW_OFFICE and user.region_id is not None,
    }
    return render(request, "decisions/list.html", context)


def catalogue_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = f.CatalogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and user.region is not None:
        try:
            catalogue = wf.create_catalogue(user.region, form.cleaned_data["year"], by=user)
        except wf.DecisionError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("decisions:list"))
        return HttpResponseRedirect(reverse("decisions:catalogue", args=[catalogue.pk]))
    raise PermissionDenied("请从列表页编制目录")


def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    catalogue = get_object_or_404(catalogues_visible_to(user).select_related("region"), pk=pk)
    office = is_government_office(user, catalogue.region_id)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        if not office:
            raise PermissionDenied("只有本级依法治办（代行政府办公室职责）可以编制和调整目录")
        name = request.POST.get("action", "")
        form: Any
        try:
            if name == "item":
                form = bound[name] = f.ItemForm(catalogue, request.POST)
                if form.is_valid():
                    data = {k: form.cleaned_data[k] for k in ("title", "owner", "planned_start", "planned_end")}
                    if catalogue.state == "published":
                        wf.adjust_catalogue(catalogue, reason=form.cleaned_data["reason"], add=data, by=user)
                    else:
                        wf.add_catalogue_item(catalogue, **data, by=user)
                    return HttpResponseRedirect(request.path)
            elif name == "approve":
                form = bound[name] = f.ApproveForm(request.POST)
                if form.is_valid():
                    wf.approve_catalogue(catalogue, **form.cleaned_data, by=user)
                    return HttpResponseRedirect(request.path)
            elif name == "publish":
                form = bound[name] = f.PublishCatalogueForm(request.POST)
                if form.is_valid():
                    wf.publish_catalogue(catalogue, **form.cleaned_data, by=user)
                    return HttpResponseRedirect(request.path)
            elif name == "withdraw":
                form = bound[name] = f.WithdrawForm(request.POST)
                if form.is_valid():
                    item = get_object_or_404(catalogue.items, pk=form.cleaned_data["item"])
                    wf.adjust_catalogue(catalogue, reason=form.cleaned_data["reason"], withdraw=item, by=user)
                    return HttpResponseRedirect(request.path)
            else:
                raise PermissionDenied("没有这项操作")
        except wf.DecisionError as error:
            form.add_error(None, str(error))
    items = catalogue.items.select_related("owner", "decision")
    context = {
        "nav": "decisions",
        "catalogue": catalogue,
        "items": items,
        "adjustments": catalogue.adjustments.select_related("item", "adjusted_by"),
        "office": office,
        "item_form": bound.get("item") or f.ItemForm(catalogue),
        "approve_form": bound.get("approve") or f.ApproveForm(),
        "publish_form": bound.get("publish") or f.PublishCatalogueForm(),
        "withdraw_error": bound.get("withdraw"),
        "owner_here": user.role == Role.AGENCY_LIAISON,
        "user_org": user.organisation_id,
    }
    return render(request, "decisions/catalogue.html", context)


def start(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _user(request)
    catalogue = get_object_or_404(catalogues_visible_to(user), pk=pk)
    item = get_object_or_404(catalogue.items, pk=item_pk)
    if request.method != "POST":
        raise PermissionDenied("请从目录页启动")
    try:
        decision = wf.start_decision(item, draft=request.POST.get("draft", ""), by=user)
    except wf.DecisionError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("decisions:catalogue", args=[pk]))
    return HttpResponseRedirect(reverse("decisions:detail", args=[decision.pk]))


# ---------------------------------------------------------------------------------------------------------------
# A decision and its steps


@dataclass(frozen=True)
class Action:
    form: type[f.StepForm]
    who: str  # owner | reviewer | office
    label: str
    do: Callable[[Decision, dict[str, Any], User], Any]
    done: str


ACTIONS: dict[str, Action] = {
    "open_comment": Action(f.OpenCommentForm, "owner", "发布征求意见", lambda d, c, u: wf.open_public_comment(d, **c, by=u), "决策草案已公开征求意见"),
    "answer": Action(f.AnswerForm, "owner", "保存答复", lambda d, c, u: wf.answer_comment(c["comment"], answer=c["answer"], reason=c["reason"], by=u), "已答复该条意见"),
    "hearing": Action(f.HearingForm, "owner", "登记听证", lambda d, c, u: wf.record_hearing(d, **c, by=u), "已登记听证会"),
    "publish_answers": Action(f.NoFieldsForm, "owner", "公布意见采纳情况，结束公众参与", lambda d, c, u: wf.publish_answers(d, by=u), "意见采纳情况已公布"),
    "add_expert": Action(f.AddExpertForm, "owner", "邀请论证", lambda d, c, u: wf.add_expert(d, c["expert"], by=u), "已邀请专家论证"),
    "expert_opinion": Action(f.ExpertOpinionForm, "owner", "登记意见", lambda d, c, u: wf.record_expert_opinion(c["review"], opinion=c["opinion"], signed_by=c["signed_by"], signed_on=c["signed_on"], by=u), "已登记书面论证意见"),
    "finish_experts": Action(f.NoFieldsForm, "owner", "完成专家论证", lambda d, c, u: wf.finish_expert_argument(d, by=u), "专家论证已完成"),
    "risk": Action(f.RiskForm, "owner", "登记风险评估", lambda d, c, u: wf.record_risk_assessment(d, **c, by=u), "风险评估已登记"),
    "send_review": Action(f.SendReviewForm, "owner", "送请合法性审查", lambda d, c, u: wf.send_for_legality_review(d, **c, by=u), "已送请合法性审查"),
    "review": Action(f.ReviewForm, "reviewer", "出具审查意见", lambda d, c, u: wf.record_legality_review(d, **c, by=u), "合法性审查意见已出具"),
    "changes": Action(f.ChangesForm, "owner", "登记修改情况", lambda d, c, u: wf.mark_changes_made(d, **c, by=u), "已登记修改情况"),
    "discussion": Action(f.DiscussionForm, "office", "登记集体讨论决定", lambda d, c, u: wf.record_collective_discussion(d, **c, by=u), "集体讨论决定已登记"),
    "publish": Action(f.PublishForm, "office", "公布决策", lambda d, c, u: wf.publish_decision(d, **c, by=u), "决策已公布"),
    "execute": Action(f.ExecutionForm, "office", "明确执行单位", lambda d, c, u: wf.start_execution(d, **c, by=u), "已明确执行单位"),
    "evaluate": Action(f.PostEvaluationForm, "office", "启动决策后评估", lambda d, c, u: wf.start_post_evaluation(d, **c, by=u), "已启动决策后评估"),
    "finish_evaluation": Action(f.FinishEvaluationForm, "office", "登记评估结论", lambda d, c, u: wf.finish_post_evaluation(d.post_evaluations.filter(finished_on__isnull=True).latest("id"), **c, by=u), "决策后评估已完成"),
}  # fmt: skip


# The actions whose form sits inside a row of the page (a comment's answer, an expert's opinion).
INLINE = frozenset({"answer", "expert_opinion"})


@dataclass
class Step:
    key: str
    label: str
    state: str  # done | current | locked
    why: str
    actions: list[str]


# The steps as the page shows them: the stages each covers, the actions offered while current, and why it is locked.
STEPS: list[tuple[str, str, tuple[str, ...], tuple[str, ...], str]] = [
    ("public", "公众参与", (Stage.DRAFTING, Stage.PUBLIC_PARTICIPATION), ("open_comment", "hearing", "publish_answers"), ""),
    ("experts", "专家论证", (Stage.EXPERT_ARGUMENT,), ("add_expert", "finish_experts"), "公众参与尚未完成：公众意见的采纳情况尚未公布"),
    ("risk", "风险评估", (Stage.RISK_ASSESSMENT,), ("risk",), "专家论证尚未完成"),
    ("review", "合法性审查", (Stage.LEGALITY_REVIEW,), ("send_review", "review"), "风险评估尚未完成"),
    ("discussion", "集体讨论决定", (Stage.COLLECTIVE_DISCUSSION,), ("changes", "discussion"), ""),
    ("publication", "公布", (Stage.DECIDED,), ("publish",), "尚未经集体讨论作出决定"),
    ("execution", "执行", (Stage.PUBLISHED,), ("execute",), "决策尚未公布"),
    ("evaluation", "决策后评估", (Stage.EXECUTING, Stage.EVALUATED), ("evaluate", "finish_evaluation"), "决策尚未执行"),
    ("archive", "归档", (Stage.ARCHIVED,), (), "决策尚未公布执行"),
]  # fmt: skip


def steps_of(decision: Decision) -> list[Step]:
    at = STAGE_ORDER.index(decision.stage)
    steps = []
    for key, label, stages, actions, why in STEPS:
        first, last = STAGE_ORDER.index(stages[0]), STAGE_ORDER.index(stages[-1])
        if at > last:
            state = "done"
        elif at >= first:
            state = "current"
        else:
            state = "locked"
        if key == "discussion" and state != "done":
            why = wf.discussion_blocker(decision) if decision.review_conclusion else "合法性审查尚未完成"
        if key == "archive" and decision.stage in (Stage.EXECUTING, Stage.POST_EVALUATION, Stage.EVALUATED):
            state = "current"
        if key == "archive" and decision.stage == Stage.ARCHIVED:
            state = "done"
        shown = why if state == "locked" or (key == "discussion" and state == "current") else ""
        steps.append(Step(key, label, state, shown, list(actions)))
    return steps


def _may(user: User, decision: Decision, who: str) -> bool:
    if who == "owner":
        return is_owner(user, decision)
    if who == "reviewer":
        return is_reviewer(user, decision)
    return is_government_office(user, decision.region_id)


def _available(name: str, decision: Decision) -> bool:
    """Whether the action's form is worth showing now (the workflow decides in the end)."""
    stage = decision.stage
    return {
        "open_comment": stage == Stage.DRAFTING,
        "hearing": stage == Stage.PUBLIC_PARTICIPATION,
        "publish_answers": stage == Stage.PUBLIC_PARTICIPATION,
        "send_review": stage == Stage.LEGALITY_REVIEW and decision.review_sent_on is None,
        "review": stage == Stage.LEGALITY_REVIEW
        and decision.review_sent_on is not None
        and not decision.review_conclusion,
        "changes": decision.review_conclusion == Conclusion.LAWFUL_IF_CHANGED and decision.changes_made_on is None,
        "evaluate": stage in (Stage.EXECUTING, Stage.EVALUATED),
        "finish_evaluation": stage == Stage.POST_EVALUATION,
    }.get(name, True)


def _load(request: HttpRequest, pk: int) -> tuple[User, Decision]:
    user = _user(request)
    decision = get_object_or_404(
        visible_to(user).select_related(
            "owner", "region", "item__catalogue", "review_body", "risk_assessor", "executor"
        ),
        pk=pk,
    )
    return user, decision


def _render_detail(
    request: HttpRequest, user: User, decision: Decision, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    steps = steps_of(decision)
    for step in steps:
        forms = []
        if step.state == "current":
            for name in step.actions:
                action = ACTIONS[name]
                if _may(user, decision, action.who) and _available(name, decision):
                    forms.append(
                        {"name": name, "label": action.label, "form": bound.get(name) or action.form(decision)}
                    )
        step.forms = forms  # type: ignore[attr-defined]
    comments = list(decision.comments.all())
    experts = list(decision.experts.select_related("expert"))
    owner = is_owner(user, decision)
    context = {
        "nav": "decisions",
        "d": decision,
        "steps": steps,
        "comments": comments,
        "experts": experts,
        "hearings": decision.hearings.all(),
        "evaluations": decision.post_evaluations.select_related("evaluator"),
        "owner": owner,
        "may_answer": owner and decision.stage == Stage.PUBLIC_PARTICIPATION and decision.answers_published_on is None,
        "may_opinion": owner and decision.stage == Stage.EXPERT_ARGUMENT,
        "answer_forms": bound.get("answer"),
        "office": is_government_office(user, decision.region_id),
        "events": timeline(decision),
        "public_url": reverse("decisions_public:comment", args=[decision.pk]),
        "documents": decision.documents.all(),
        "upload_steps": [
            (value, label) for value, label in DocumentStep.choices if wf.may_upload(user, decision, value)
        ]
        if decision.stage != Stage.ARCHIVED
        else [],
        "linked": links_visible_to(user).filter(decision=decision).select_related("case", "linked_by"),
        "source_key": f"d{decision.pk}",
        "may_link": may_link(user),
    }
    return render(request, "decisions/detail.html", context, status=status)


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, decision = _load(request, pk)
    return _render_detail(request, user, decision)


def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One step's action: the right, the form, one workflow call; a refusal re-shows the page with the reason on the
    form, nothing written."""
    user, decision = _load(request, pk)
    action = ACTIONS.get(name)
    if action is None or request.method != "POST":
        raise PermissionDenied("没有这项操作")
    if not _may(user, decision, action.who):
        raise PermissionDenied("您无权办理此环节")
    form = action.form(decision, request.POST)
    valid = form.is_valid()
    if not valid and name in INLINE:
        # a form inside a table row: its errors said at the top of the page, nothing written
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(reverse("decisions:detail", args=[decision.pk]))
    if valid:
        try:
            action.do(decision, form.cleaned_data, user)
        except wf.DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, action.done)
            return HttpResponseRedirect(reverse("decisions:detail", args=[decision.pk]))
    user, decision = _load(request, pk)
    return _render_detail(request, user, decision, bound={name: form})


def archive(request: HttpRequest, pk: int) -> HttpResponse:
    user, decision = _load(request, pk)
    try:
        content = wf.archive_decision(decision, by=user)
    except wf.DecisionError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("decisions:detail", args=[pk]))
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = _attachment(f"{decision.title}-决策卷宗.zip")
    return response


def review_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    from fuyuan.decisions.documents import review_opinion_docx

    _, decision = _load(request, pk)
    if not decision.reviewed_on:
        raise PermissionDenied("尚未出具合法性审查意见")
    response = HttpResponse(
        review_opinion_docx(decision),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = _attachment(f"{decision.title}-合法性审查意见书.docx")
    return response
