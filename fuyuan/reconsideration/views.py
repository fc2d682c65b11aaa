"""The reconsideration body's pages (SPEC §6.8, issue 14): its queue, the case file with the actions the current stage
allows, the file's documents and archive, and the respondent agency's replies.

Every page loads the file through ``queries.visible_to`` (one 404 for a file that does not exist and one that is not
the user's); an action that is not the user's business is a 403. Views only parse, call one
``reconsideration.workflow`` function and render: a refusal (``ReconsiderationError`` or the workflow's
``PermissionDenied``) is shown next to the form it came from, in Chinese, and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.masking import mask_id_number, shown
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.rules import RULES
from fuyuan.deadlines.workflow import DECISION_RULES
from fuyuan.disputes.views import due_text
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX
from fuyuan.reconsideration import filing, intake, workflow
from fuyuan.reconsideration import forms as rforms
from fuyuan.reconsideration.choices import BEFORE_ACCEPTANCE, IN_PROCEDURE, MaterialKind, Stage
from fuyuan.reconsideration.models import Application, Material
from fuyuan.reconsideration.queries import (
    QueueRow,
    can_answer,
    can_approve,
    can_handle,
    is_committee_member,
    may_reveal,
    queue_files,
    queue_rows,
    visible_to,
)
from fuyuan.reconsideration.rules import suggest_simplified

RELATED_SHOWN = 10


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _nav(user: User) -> str:
    if user.role == Role.RECONSIDERATION_BODY:
        return "reconsideration"
    return "reconsideration-replies" if user.role == Role.AGENCY_LIAISON else ""


def _open_deadlines() -> Prefetch:
    return Prefetch(
        "case__deadlines",
        queryset=Deadline.objects.filter(state=DeadlineState.OPEN).order_by("due_on", "id"),
        to_attr="open_deadlines",
    )


def _next_deadline(row: QueueRow, today: datetime.date) -> dict[str, Any]:
    """The nearest open deadline of a queue's row, as the lists show it (临期 within 3 days, 逾期 past)."""
    if row.next_rule_id is None:
        return {"label": "", **due_text(None, today)}
    return {"label": RULES[row.next_rule_id].label, **due_text(row.next_due_on, today)}


# ---------------------------------------------------------------------------------------------------------------
# 行政复议案件台账 (the body's queue)


def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role != Role.RECONSIDERATION_BODY or user.organisation_id is None:
        raise PermissionDenied("行政复议案件台账仅供行政复议机构工作人员使用")
    today = timezone.localdate()
    form = rforms.QueueFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = paginate(request, queue_files(user, stage=data.get("stage"), procedure=data.get("procedure")))
    rows = [
        {"a": row, "applicant": _masked_name(row.applicant_name), "limit": _next_deadline(row, today)}
        for row in queue_rows(cast(QuerySet[Application], page.object_list))
    ]
    context = {"nav": "reconsideration", "form": form, "page": page, "rows": rows, "today": today}
    return render(request, "reconsideration/queue.html", context)


def _masked_name(name: str) -> str:
    """A person's name in a list: 张三 → 张*, 欧阳小明 → 欧***; an organisation's name is shown whole."""
    name = name.strip()
    if len(name) > 6 or any(w in name for w in ("公司", "局", "委员会", "合作社", "中心", "厂")):
        return name
    return "、".join(p[:1] + "*" * (len(p) - 1) for p in name.replace("，", "、").split("、") if p)


# ---------------------------------------------------------------------------------------------------------------
# The file and its actions


def _load(request: HttpRequest, pk: int) -> tuple[User, Application]:
    user = _user(request)
    application = get_object_or_404(
        visible_to(user).select_related(
            "case", "body__region", "respondent", "handler", "competent_body", "registered_by"
        ),
        pk=pk,
    )
    return user, application


@dataclass(frozen=True)
class Action:
    """One action of the file: who may, when (the stage), its form, and the workflow call (returning the message)."""

    title: str
    allowed: Callable[[User, Application], bool]
    form: Callable[[Application, Any, Any], forms.Form]
    do: Callable[[Application, Any, User], str]


def _plain(cls: type[forms.Form]) -> Callable[[Application, Any, Any], forms.Form]:
    return lambda a, data, files: cls(data, files, prefix=None)


def _handles(stages: tuple[str, ...]) -> Callable[[User, Application], bool]:
    return lambda u, a: can_handle(u, a) and a.stage in stages


def _heads(stages: tuple[str, ...]) -> Callable[[User, Application], bool]:
    return lambda u, a: can_approve(u, a) and a.stage in stages


def _bodies(a: Application) -> Any:
    return Organisation.objects.filter(kind=OrganisationKind.JUSTICE_BUREAU).exclude(pk=a.body_id).order_by("name")


def _hearings(a: Application) -> Any:
    return a.hearings.order_by("-held_at", "-id")


def _committee_members(a: Application) -> Any:
    """Who may be named to the 行政复议委员会 consultation (第52条): the active reconsideration staff of the body's region
    and the regions below it (its members sit on the committee; the body names those who advise on this case)."""
    return User.objects.filter(
        is_active=True,
        role=Role.RECONSIDERATION_BODY,
        organisation__region__path__startswith=a.body.region.path,
    ).order_by("username")


def _do_examine(a: Application, f: Any, u: User) -> str:
    workflow.start_examination(a, by=u)
    return "已开始受理审查（申请人不能再自行修改申请）"


def _do_correction(a: Application, f: Any, u: User) -> str:
    a = workflow.request_correction(a, items=rforms.lines(f.cleaned_data["items"]), by=u)
    return f"已通知补正，补正期限 {workflow.correction_due(a).isoformat()}"


def _do_accept(a: Application, f: Any, u: User) -> str:
    a = workflow.accept(a, procedure=f.cleaned_data["procedure"], by=u)
    return "已视为受理（审查期限已届满）" if a.deemed_accepted else f"已受理（{a.get_procedure_display()}）"


def _do_correction_extension(a: Application, f: Any, u: User) -> str:
    a = workflow.extend_correction(a, until=f.cleaned_data["until"], reason=f.cleaned_data["reason"], by=u)
    return f"补正期限已延长至 {workflow.correction_due(a).isoformat()}"


def _do_reject(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    workflow.reject(a, grounds=d["grounds"], reason=d["reason"], competent_body=d["competent_body"], by=u)
    return "已作出不予受理决定"


def _do_procedure(a: Application, f: Any, u: User) -> str:
    a = workflow.choose_procedure(a, f.cleaned_data["procedure"], by=u)
    return f"审理程序已改为{a.get_procedure_display()}"


def _do_copy(a: Application, f: Any, u: User) -> str:
    workflow.send_copy_to_respondent(a, on=f.cleaned_data["on"], by=u)
    return "已登记发送申请书副本，被申请人的答复期限开始计算"


def _do_reply(a: Application, f: Any, u: User) -> str:
    # Only the body's staff date a reply received on paper; the respondent's own reply is dated the day it is given.
    on = f.cleaned_data["on"] if can_handle(u, a) else None
    a = workflow.record_reply(a, text=f.cleaned_data["text"], on=on, by=u)
    return "已登记被申请人答复" + ("（逾期答复）" if a.reply_late else "")


def _do_material(a: Application, f: Any, u: User) -> str:
    m = workflow.add_material(a, kind=f.cleaned_data["kind"], upload=f.cleaned_data["file"], by=u)
    return f"已上传{m.get_kind_display()}：{m.name}"


def _do_hearing(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    workflow.schedule_hearing(a, held_at=d["held_at"], place=d["place"], matters=d["matters"], by=u)
    return "已安排听证"


def _do_hearing_notice(a: Application, f: Any, u: User) -> str:
    workflow.send_hearing_notice(f.cleaned_data["hearing"], on=f.cleaned_data["on"], by=u)
    return "已登记发出听证通知"


def _do_hearing_head(a: Application, f: Any, u: User) -> str:
    workflow.designate_hearing_head(f.cleaned_data["hearing"], name=f.cleaned_data["name"], by=u)
    return "已确定参加听证的负责人"


def _do_hearing_record(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    workflow.record_hearing(
        d["hearing"],
        head_attended=d["head_attended"],
        head_name=d["head_name"],
        absence_reason=d["absence_reason"],
        delegate_name=d["delegate_name"],
        record=d["record"],
        by=u,
    )
    return "已登记听证情况"


def _do_committee(a: Application, f: Any, u: User) -> str:
    workflow.refer_to_committee(a, ground=f.cleaned_data["ground"], members=list(f.cleaned_data["members"]), by=u)
    return "已提请行政复议委员会咨询"


def _do_advice(a: Application, f: Any, u: User) -> str:
    workflow.record_committee_advice(f.cleaned_data["review"], advice=f.cleaned_data["advice"], by=u)
    return "已登记咨询意见"


def _do_suspend(a: Application, f: Any, u: User) -> str:
    workflow.suspend(a, reason=f.cleaned_data["reason"], by=u)
    return "已中止审理"


def _do_resume(a: Application, f: Any, u: User) -> str:
    workflow.resume(a, by=u)
    return "已恢复审理"


def _do_extension(a: Application, f: Any, u: User) -> str:
    workflow.request_extension(a, reason=f.cleaned_data["reason"], days=f.cleaned_data["days"], by=u)
    return "已提出延长审理期限申请，待机构负责人批准"


def _do_approve(a: Application, f: Any, u: User) -> str:
    a = workflow.approve_extension(a, days=f.cleaned_data["days"], by=u)
    return f"已批准延长审理期限{a.extension_days}日，复议决定期限至 {workflow.decision_due(a)}"


def _do_mediation_start(a: Application, f: Any, u: User) -> str:
    m = workflow.start_mediation(a, kind=f.cleaned_data["kind"], mediator=f.cleaned_data["mediator"], by=u)
    return f"已开始{m.get_kind_display()}"


def _do_mediation_end(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    m = workflow.end_mediation(d["mediation"], succeeded=d["succeeded"], terms=d["terms"], by=u)
    return f"{m.get_kind_display()}达成协议，已结案" if m.succeeded else "未达成协议，已恢复审理"


def _do_decide(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    a = workflow.decide(a, outcome=d["outcome"], facts=d["facts"], grounds=d["grounds"], content=d["content"], by=u)
    return f"已作出行政复议决定：{ReconsiderationOutcome(a.case.outcome).label}"


def _do_service(a: Application, f: Any, u: User) -> str:
    workflow.record_service(a, on=f.cleaned_data["on"], by=u)
    return "已登记送达"


def _do_publish(a: Application, f: Any, u: User) -> str:
    workflow.publish(a, text=f.cleaned_data["text"], by=u)
    return "已公开（已去除个人信息）"


def _do_opinion(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    o = workflow.issue_opinion(
        a, number=d["number"], text=d["text"], items=rforms.lines(d["items"]), document=d["document"], by=u
    )
    return f"已制发行政复议意见书（{o.number}），记入销账本"


def _do_non_performance(a: Application, f: Any, u: User) -> str:
    d = f.cleaned_data
    record = workflow.record_non_performance(
        a,
        number=d["number"],
        particulars=d["particulars"],
        perform_by=d["perform_by"],
        document=d["document"],
        interview=d["interview"],
        criticism=d["criticism"],
        follow_up_note=d["follow_up_note"],
        by=u,
    )
    return f"已责令被申请人于 {record.perform_by.isoformat()} 前履行，记入销账本（{record.recommendation.number}）"


def _advice_allowed(u: User, a: Application) -> bool:
    if not a.committee_reviews.filter(advised_on__isnull=True).exists():
        return False
    return can_handle(u, a) or is_committee_member(u, a)


def _answer_allowed(u: User, a: Application) -> bool:
    return can_answer(u, a) and a.stage in IN_PROCEDURE


ACTIONS: dict[str, Action] = {
    "examine": Action("开始审查", _handles((Stage.RECEIVED,)), _plain(rforms.EmptyForm), _do_examine),
    "correction": Action(
        "通知补正",
        lambda u, a: (
            can_handle(u, a) and a.stage in (Stage.RECEIVED, Stage.EXAMINING) and not a.correction_requested_on
        ),
        _plain(rforms.CorrectionForm),
        _do_correction,
    ),
    "correction_extension": Action(
        "延长补正期限",
        _handles((Stage.CORRECTION_REQUESTED,)),
        _plain(rforms.CorrectionExtensionForm),
        _do_correction_extension,
    ),
    "accept": Action("受理", _handles((Stage.RECEIVED, Stage.EXAMINING)), _plain(rforms.AcceptForm), _do_accept),
    "reject": Action(
        "不予受理",
        _handles((Stage.RECEIVED, Stage.EXAMINING)),
        lambda a, data, files: rforms.RejectForm(data, bodies=_bodies(a)),
        _do_reject,
    ),
    "procedure": Action(
        "变更审理程序",
        _handles(IN_PROCEDURE),
        # Offered: the procedure the file is not in (the one it is in would be refused).
        lambda a, data, files: rforms.ProcedureForm(
            data, initial={"procedure": "ordinary" if a.procedure == "simplified" else "simplified"}
        ),
        _do_procedure,
    ),
    "copy": Action(
        "发送申请书副本",
        lambda u, a: can_handle(u, a) and a.stage in IN_PROCEDURE and a.copy_sent_on is None,
        _plain(rforms.CopyForm),
        _do_copy,
    ),
    "reply": Action(
        "登记被申请人答复",
        lambda u, a: (
            (can_handle(u, a) or can_answer(u, a))
            and a.stage in IN_PROCEDURE
            and a.copy_sent_on is not None
            and a.reply_received_on is None
        ),
        _plain(rforms.ReplyForm),
        _do_reply,
    ),
    "material": Action(
        "上传材料", lambda u, a: can_handle(u, a) and not a.is_closed, _plain(rforms.MaterialForm), _do_material
    ),
    "hearing": Action("安排听证", _handles((Stage.ACCEPTED,)), _plain(rforms.HearingForm), _do_hearing),
    "hearing_notice": Action(
        "发出听证通知",
        lambda u, a: can_handle(u, a) and a.hearings.filter(notice_sent_on__isnull=True).exists(),
        lambda a, data, files: rforms.HearingNoticeForm(
            data, hearings=_hearings(a).filter(notice_sent_on__isnull=True)
        ),
        _do_hearing_notice,
    ),
    "hearing_head": Action(
        "确定参加听证的负责人",
        lambda u, a: can_answer(u, a) and a.hearings.filter(recorded_at__isnull=True).exists(),
        lambda a, data, files: rforms.HearingHeadForm(data, hearings=_hearings(a).filter(recorded_at__isnull=True)),
        _do_hearing_head,
    ),
    "hearing_record": Action(
        "登记听证情况",
        lambda u, a: can_handle(u, a) and a.hearings.filter(recorded_at__isnull=True).exists(),
        lambda a, data, files: rforms.HearingRecordForm(data, hearings=_hearings(a).filter(recorded_at__isnull=True)),
        _do_hearing_record,
    ),
    "committee": Action(
        "提请行政复议委员会咨询",
        _handles(IN_PROCEDURE),
        lambda a, data, files: rforms.CommitteeForm(data, members=_committee_members(a)),
        _do_committee,
    ),
    "advice": Action(
        "登记咨询意见",
        _advice_allowed,
        lambda a, data, files: rforms.AdviceForm(data, reviews=a.committee_reviews.filter(advised_on__isnull=True)),
        _do_advice,
    ),
    "suspend": Action("中止审理", _handles((Stage.ACCEPTED,)), _plain(rforms.SuspendForm), _do_suspend),
    "resume": Action("恢复审理", _handles((Stage.SUSPENDED,)), _plain(rforms.EmptyForm), _do_resume),
    "extension": Action(
        "申请延长审理期限",
        lambda u, a: can_handle(u, a) and a.stage in IN_PROCEDURE and a.extension_requested_on is None,
        _plain(rforms.ExtensionForm),
        _do_extension,
    ),
    "approve_extension": Action(
        "批准延长审理期限",
        lambda u, a: (
            can_approve(u, a)
            and a.stage in IN_PROCEDURE
            and a.extension_requested_on is not None
            and a.extension_approved_on is None
        ),
        lambda a, data, files: rforms.ApproveExtensionForm(data, initial={"days": a.extension_days or 30}),
        _do_approve,
    ),
    "mediation_start": Action(
        "调解和解", _handles((Stage.ACCEPTED,)), _plain(rforms.MediationStartForm), _do_mediation_start
    ),
    "mediation_end": Action(
        "登记调解和解结果",
        _handles((Stage.MEDIATING,)),
        lambda a, data, files: rforms.MediationEndForm(data, mediations=a.mediations.filter(ended_on__isnull=True)),
        _do_mediation_end,
    ),
    "decide": Action(
        "作出行政复议决定", _heads((Stage.ACCEPTED, Stage.SUSPENDED)), _plain(rforms.DecideForm), _do_decide
    ),
    "service": Action("登记送达", _handles((Stage.DECIDED,)), _plain(rforms.ServiceForm), _do_service),
    "publish": Action(
        "公开决定书",
        lambda u, a: can_handle(u, a) and a.stage == Stage.SERVED and a.published_on is None,
        lambda a, data, files: rforms.PublishForm(data, initial={"text": _decision_text(a)}),
        _do_publish,
    ),
    "opinion": Action(
        "制发行政复议意见书",
        lambda u, a: can_approve(u, a) and a.case.acceptance == "accepted",
        _plain(rforms.OpinionForm),
        _do_opinion,
    ),
    "non_performance": Action(
        "登记不履行、责令履行",
        lambda u, a: can_approve(u, a) and a.stage == Stage.SERVED and a.case.outcome in workflow.PERFORMED,
        _plain(rforms.NonPerformanceForm),
        _do_non_performance,
    ),
}
# Actions a head may also take when the page is shown to a member of the body's staff who is not the head: shown
# disabled with the reason, so the 承办人 knows who approves.
# The actions shown in the side column (those shown next to what they change are placed in the template).
MAIN = [n for n in ACTIONS if n not in ("material",)]
# Actions taken now and then, folded until opened (the next step of the procedure stays open).
FOLDED = frozenset(
    {
        "correction",
        "correction_extension",
        "reject",
        "procedure",
        "hearing",
        "committee",
        "suspend",
        "extension",
        "mediation_start",
        "opinion",
        "non_performance",
    }
)
HEAD_ONLY = {
    "decide": "作出行政复议决定须经行政复议机构负责人批准",
    "approve_extension": "延长审理期限须经机构负责人批准",
    "non_performance": "责令履行须经行政复议机构负责人批准",
}


def _decision_text(a: Application) -> str:
    from fuyuan.reconsideration import documents as docs

    if not filing._has_decision(a):
        return ""
    try:
        return docs.decision_text(filing.decision(a))
    except docs.DocumentError:
        return "\n".join(t for t in (a.decision_facts, a.decision_grounds, a.decision_content) if t)


def _form_for(name: str, a: Application, data: Any = None, files: Any = None) -> forms.Form:
    form = ACTIONS[name].form(a, data, files)
    form.prefix = name
    return form


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The file. The respondent's liaison is shown its own page of it (the reply, its evidence, the hearing)."""
    user, application = _load(request, pk)
    if can_answer(user, application) and not can_handle(user, application):
        return _render_reply(request, user, application)
    return _render_detail(request, user, application)


def _render_detail(
    request: HttpRequest,
    user: User,
    a: Application,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    allowed = {name: action.allowed(user, a) for name, action in ACTIONS.items()}
    allowed.update(dict.fromkeys(bound or {}, True))
    action_forms = {name: _form_for(name, a) for name, ok in allowed.items() if ok}
    action_forms.update(bound or {})
    handle = can_handle(user, a)
    deadlines = list(Deadline.objects.filter(case=a.case).order_by("due_on", "id"))
    deadline_rows = []
    decision_note = workflow.decision_period_note(a)
    for d in deadlines:
        if d.state == DeadlineState.OPEN:
            state = due_text(d.due_on, today)
            tone = "danger" if state["overdue"] else ("warning" if state["soon"] else "primary")
            text = state["text"]
        elif d.state == DeadlineState.MET:
            late = d.met_late
            tone, text = ("warning" if late else "success"), f"{'逾期' if late else '按期'}完成（{d.met_on}）"
        else:
            tone, text = "secondary", d.get_state_display()
        label = d.rule.label + (decision_note if d.rule_id in DECISION_RULES else "")
        deadline_rows.append({"d": d, "label": label, "source": d.rule.source, "tone": tone, "text": text})
    documents = filing.available(a) if handle or can_answer(user, a) else []
    context = {
        "nav": _nav(user),
        "a": a,
        "today": today,
        "handle": handle,
        "answer": can_answer(user, a),
        "forms": action_forms,
        "action_list": [
            (name, ACTIONS[name].title, form, name in FOLDED) for name, form in action_forms.items() if name in MAIN
        ],
        "open_form": next(iter(bound), "") if bound else "",
        "head_only": {k: v for k, v in HEAD_ONLY.items() if handle and not allowed.get(k) and _head_stage(k, a)},
        "id_number": shown(user, a, "applicant_id_number"),
        "phone": shown(user, a, "applicant_phone"),
        "address": a.applicant_address if may_reveal(user, a) else ("（已隐藏）" if a.applicant_address else ""),
        "suggestions": suggest_simplified(a),
        "duplicates": intake.possible_duplicates(a) if handle and a.stage in BEFORE_ACCEPTANCE else [],
        "related_cases": list(intake.related_cases(a).select_related("court", "reconsideration_body")[:RELATED_SHOWN])
        if handle
        else [],
        "related_disputes": intake.related_disputes(a)[:RELATED_SHOWN] if handle else [],
        "acceptance_due": workflow.acceptance_due(a) if a.stage in BEFORE_ACCEPTANCE else None,
        "decision_due": workflow.decision_due(a),
        "deadlines": deadline_rows,
        "materials": list(a.materials.select_related("uploaded_by")),
        "hearings": list(a.hearings.all()),
        "reviews": list(a.committee_reviews.prefetch_related("members")),
        "suspensions": list(a.suspensions.all()),
        "mediations": list(a.mediations.all()),
        "opinions": list(a.opinions.select_related("recipient")),
        "non_performances": list(a.non_performances.select_related("recommendation")),
        "correction_due": workflow.correction_due(a) if a.correction_requested_on else None,
        "documents": documents,
        "can_archive": handle and filing.can_archive(a),
        "outcome": ReconsiderationOutcome(a.case.outcome).label if a.case.outcome else "",
        "events": timeline(a),
    }
    return render(request, "reconsideration/detail.html", context, status=status)


def _head_stage(name: str, a: Application) -> bool:
    if name == "decide":
        return a.stage in (Stage.ACCEPTED, Stage.SUSPENDED)
    if name == "non_performance":
        return a.stage == Stage.SERVED and a.case.outcome in workflow.PERFORMED
    return a.stage in IN_PROCEDURE and a.extension_requested_on is not None and a.extension_approved_on is None


@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One action on the file: the right, the form, one workflow call. Success goes back to the file with a message;
    a refusal re-shows the page with the reason on the form, nothing written."""
    user, application = _load(request, pk)
    action = ACTIONS.get(name)
    if action is None:
        raise PermissionDenied("没有这项操作")
    if not (can_handle(user, application) or can_answer(user, application) or is_committee_member(user, application)):
        raise PermissionDenied("您无权办理此行政复议案件")
    form = _form_for(name, application, request.POST, request.FILES)
    status = 200
    if form.is_valid():
        try:
            done = action.do(application, form, user)
        except workflow.ReconsiderationError as error:
            form.add_error(None, str(error))
        except PermissionDenied as denied:
            form.add_error(None, str(denied) or "您无权进行此项操作")
            status = 403
        else:
            messages.success(request, done)
            target = "reconsideration:reply" if can_answer(user, application) else "reconsideration:detail"
            return HttpResponseRedirect(reverse(target, args=[application.pk]))
        user, application = _load(request, pk)
    if can_answer(user, application) and name in ("reply", "hearing_head"):
        return _render_reply(request, user, application, bound={name: form}, status=status)
    return _render_detail(request, user, application, bound={name: form}, status=status)


# ---------------------------------------------------------------------------------------------------------------
# Materials, documents, archive


def material(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    _, application = _load(request, pk)
    item: Material = get_object_or_404(application.materials, pk=material_pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


def document(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    from fuyuan.reconsideration.documents import DocumentError

    user, application = _load(request, pk)
    if not (can_handle(user, application) or can_answer(user, application)):
        raise PermissionDenied("文书仅供行政复议机构和被申请人下载")
    found = next((d for d in filing.available(application) if d.key == key), None)
    if found is None:
        raise PermissionDenied("本案当前没有这份文书")
    try:
        content = found.render()
    except DocumentError as error:
        messages.error(request, f"{found.name}不能生成：{error}")
        return HttpResponseRedirect(reverse("reconsideration:detail", args=[pk]) + "#documents")
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = _attachment(found.filename)
    return response


def archive(request: HttpRequest, pk: int) -> HttpResponse:
    from fuyuan.reconsideration.documents import DocumentError

    user, application = _load(request, pk)
    if not can_handle(user, application):
        raise PermissionDenied("案卷归档仅供行政复议机构工作人员使用")
    if not filing.can_archive(application):
        raise PermissionDenied("案件办结后才能归档")
    try:
        content = filing.build(application)
    except DocumentError as error:
        messages.error(request, f"案卷不能归档：{error}")
        return HttpResponseRedirect(reverse("reconsideration:detail", args=[pk]) + "#documents")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = _attachment(f"{application.receipt_number}-案卷.zip")
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"file{filename[filename.rfind('.') :]}\"; filename*=UTF-8''{quote(filename)}"


# ---------------------------------------------------------------------------------------------------------------
# 复议答复 (the respondent agency)


def replies(request: HttpRequest) -> HttpResponse:
    """The respondent's files: those awaiting its reply first (the nearest due date first), then the others."""
    user = _user(request)
    if user.role != Role.AGENCY_LIAISON or user.organisation_id is None:
        raise PermissionDenied("复议答复仅供被申请人的机关联络员使用")
    today = timezone.localdate()
    files = visible_to(user).filter(respondent_id=user.organisation_id)
    # Awaiting a reply: a period of 10 (simplified 5) working days, so the list stays short and is shown whole.
    awaiting = files.filter(stage__in=IN_PROCEDURE, copy_sent_on__isnull=False, reply_received_on__isnull=True)
    rows = [
        {"a": a, "limit": _reply_limit(a, today)}
        for a in awaiting.select_related("case", "body")
        .prefetch_related(_open_deadlines())
        .order_by("copy_sent_on", "id")
    ]
    others = paginate(
        request, files.exclude(pk__in=awaiting.values("pk")).select_related("case", "body").order_by("-id")
    )
    context = {"nav": "reconsideration-replies", "rows": rows, "others": others, "today": today}
    return render(request, "reconsideration/replies.html", context)


def _reply_limit(a: Application, today: datetime.date) -> dict[str, Any]:
    due = next((d.due_on for d in getattr(a.case, "open_deadlines", []) if d.rule_id == workflow.reply_rule(a)), None)
    if due is None and a.copy_sent_on is not None:
        from fuyuan.core.queries import work_calendar
        from fuyuan.deadlines.rules import compute_due

        due = compute_due(workflow.reply_rule(a), a.copy_sent_on, work_calendar()).due
    return due_text(due, today)


def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The respondent's reply page: the application (personal data masked), its written reply with evidence."""
    user, application = _load(request, pk)
    if not can_answer(user, application):
        return HttpResponseRedirect(reverse("reconsideration:detail", args=[pk]))
    if request.method == "POST":
        return _post_reply(request, user, application)
    return _render_reply(request, user, application)


def _post_reply(request: HttpRequest, user: User, a: Application) -> HttpResponse:
    """The reply and its evidence, each through its own workflow call, in one transaction: a refused reply or file
    writes nothing."""
    form = _form_for("reply", a, request.POST, request.FILES)
    uploads = request.FILES.getlist("evidence")
    if not _answer_allowed(user, a) or a.copy_sent_on is None or a.reply_received_on is not None:
        form.is_valid()
        form.add_error(None, "本案当前没有待提交的答复")
        return _render_reply(request, user, a, bound={"reply": form})
    if form.is_valid():
        try:
            with transaction.atomic():
                workflow.record_reply(a, text=form.cleaned_data["text"], by=user)
                for upload in uploads:
                    workflow.add_material(a, kind=MaterialKind.EVIDENCE, upload=upload, by=user)
        except workflow.ReconsiderationError as error:
            form.add_error(None, str(error))
        else:
            fresh = Application.objects.get(pk=a.pk)
            late = "；已逾期，依行政复议法第70条视为该行政行为没有证据、依据" if fresh.reply_late else ""
            messages.success(request, f"已提交书面答复和 {len(uploads)} 份证据、依据{late}")
            return HttpResponseRedirect(reverse("reconsideration:reply", args=[a.pk]))
    _, a = _load(request, a.pk)
    return _render_reply(request, user, a, bound={"reply": form})


def _render_reply(
    request: HttpRequest,
    user: User,
    a: Application,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    awaiting = _answer_allowed(user, a) and a.copy_sent_on is not None and a.reply_received_on is None
    forms_ = {}
    if awaiting:
        forms_["reply"] = _form_for("reply", a)
    if ACTIONS["hearing_head"].allowed(user, a):
        forms_["hearing_head"] = _form_for("hearing_head", a)
    forms_.update(bound or {})
    context = {
        "nav": "reconsideration-replies",
        "a": a,
        "awaiting": awaiting,
        "limit": _reply_limit(a, today) if a.copy_sent_on else due_text(None, today),
        "forms": forms_,
        "id_number": mask_id_number(a.applicant_id_number),
        "materials": list(
            a.materials.filter(
                Q(kind__in=[MaterialKind.REPLY, MaterialKind.EVIDENCE]) | Q(kind=MaterialKind.APPLICATION)
            )
        ),
        "hearings": list(a.hearings.all()),
        "documents": filing.available(a),
        "events": timeline(a),
    }
    return render(request, "reconsideration/reply.html", context, status=status)
