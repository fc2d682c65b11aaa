"""The citizen's online reconsideration application, open without log-in (SPEC §6.8 item 1, 行政复议法 (2023) 第22条:
an application may be made in writing, online included).

- ``apply``: the application with its material → ``receive_application`` (channel online); submissions limited per
  address and carrying a picture challenge, like the dispute application (``disputes.throttle``).
- ``apply_done``: the receipt number and the follow-up code, the code shown once (kept in the session only until
  the receipt page has shown it), and what happens next and by when.
- ``follow``: the receipt number and the code → the file's state and its steps in plain words (``public_progress``).
  A wrong code and a missing number get the same answer (``for_follow_up``); lookups are limited per address. Once
  found, the (server-side) session keeps the proof of it (``queries.follow_proof``: a keyed hash, never the code),
  so the applicant can correct the application (``amend``, until the body starts examining it) or supply the 补正
  asked for (``correct``), both checked again by the workflow with that proof — one comparison per request and per
  file, where the code itself would cost a password hash each time.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fuyuan.audit.log import client_ip
from fuyuan.core.masking import mask_id_number, mask_phone
from fuyuan.disputes import throttle
from fuyuan.reconsideration.choices import Channel, MaterialKind, Stage
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.public_forms import AmendForm, ApplyForm, CorrectionForm, FollowForm
from fuyuan.reconsideration.queries import (
    FollowProof,
    follow_proof,
    for_follow_proof,
    for_follow_up,
    public_progress,
)
from fuyuan.reconsideration.workflow import (
    ONLINE_APPLICANT,
    ReconsiderationError,
    StaleApplication,
    acceptance_due,
    add_material,
    amend_application,
    correction_due,
    decision_due,
    receive_application,
    receive_correction,
)

RECEIPT_KEY = "reconsideration_receipt"
FOLLOW_KEY = "reconsideration_follow"
# The per-address limits count these apart from the dispute application's (same table, same window and number).
APPLY_BUCKET = "recon-apply:"
FOLLOW_BUCKET = "recon-follow:"
# The applicant's own files are listed back to them (never the respondent's reply or the staff's records).
APPLICANTS_MATERIALS = (MaterialKind.APPLICATION, MaterialKind.CORRECTION, MaterialKind.APPLICANT_EVIDENCE)
NOT_FOUND = "收件编号或查询码不正确，请核对后重新输入。如果忘记了查询码，请带身份证件到行政复议机构查询。"

# What each stage means for the applicant, in plain words.
STAGE_TEXT = {
    Stage.RECEIVED: "行政复议机构已收到您的申请，尚未开始审查。在开始审查之前，您可以在本页修改申请内容、补充材料。",
    Stage.EXAMINING: "行政复议机构正在审查是否受理您的申请。",
    Stage.CORRECTION_REQUESTED: "行政复议机构认为申请材料不齐全或者表述不清楚，请您按下面列出的事项在期限内补正。",
    Stage.WITHDRAWN: "您没有在补正期限内补正，依法视为放弃行政复议申请（行政复议法第31条第2款）。",
    Stage.REJECTED: "行政复议机构决定不予受理，不予受理决定书会送达给您，其中写明了理由。",
    Stage.ACCEPTED: "您的申请已受理，正在审理。",
    Stage.SUSPENDED: "行政复议已中止（如等待其他案件的结果），中止的原因消除后恢复审理。",
    Stage.MEDIATING: "正在进行调解或者和解。",
    Stage.DECIDED: "行政复议机关已作出决定，决定书将送达给您。",
    Stage.SERVED: "行政复议决定书已送达。",
}


def _admitted(request: HttpRequest, bucket: str) -> HttpResponse | None:
    """None when the address may go on; otherwise the page saying it must wait (429), nothing written."""
    address = bucket + client_ip(request)
    if throttle.admit_submission(address):
        return None
    minutes = max(1, math.ceil(throttle.retry_after(address).total_seconds() / 60))
    context = {"minutes": minutes, "limit": settings.FUYUAN_APPLY_LIMIT, "follow": bucket == FOLLOW_BUCKET}
    response = render(request, "reconsideration/public/limited.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _save_materials(application: Application, files: list[Any], kind: str, proof: FollowProof) -> None:
    for upload in files:
        add_material(application, kind=kind, upload=upload, by=ONLINE_APPLICANT, code=proof)


# ---------------------------------------------------------------------------------------------------------------
# 网上申请


@login_not_required
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (refused := _admitted(request, APPLY_BUCKET)) is not None:
        return refused
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        assert form.respondent is not None
        try:
            with transaction.atomic():  # the application and its material, or nothing
                receipt = receive_application(
                    form.particulars(),
                    body=form.cleaned_data["body"],
                    respondent=form.respondent,
                    channel=Channel.ONLINE,
                    by=ONLINE_APPLICANT,
                )
                materials = form.cleaned_data["materials"]
                proof = follow_proof(receipt.application)
                _save_materials(receipt.application, materials, MaterialKind.APPLICATION, proof)
        except ReconsiderationError as error:
            form.add_error(None, str(error))
        else:
            request.session[RECEIPT_KEY] = {"id": receipt.application.pk, "code": receipt.follow_code}
            return HttpResponseRedirect(reverse("reconsideration_public:apply_done"))
    context = {
        "form": form,
        "agency_names": form.agency_names(),
        "files_again": bool(request.FILES),
        "known_late": form.known_on_is_late(),
    }
    return render(request, "reconsideration/public/apply.html", context)


@login_not_required
def apply_done(request: HttpRequest) -> HttpResponse:
    """The receipt: the follow-up code is shown on the first visit only (then removed from the session)."""
    kept = request.session.get(RECEIPT_KEY) or {}
    pk = kept.get("id")
    application = (
        Application.objects.select_related("case", "body", "respondent").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    code = kept.get("code")
    if application is not None and code:
        request.session[RECEIPT_KEY] = {"id": application.pk}
    context: dict[str, Any] = {"a": application, "code": code}
    if application is not None:
        context |= {
            **_facts(application),
            "materials": list(application.materials.filter(kind__in=APPLICANTS_MATERIALS)),
            "follow_url": request.build_absolute_uri(reverse("reconsideration_public:follow")),
        }
    return render(request, "reconsideration/public/apply_done.html", context)


def _facts(application: Application) -> dict[str, Any]:
    """What both the receipt and the follow page say of the file: masked personal data and the days that matter."""
    stage = Stage(application.stage)
    context: dict[str, Any] = {
        "masked_id": mask_id_number(application.applicant_id_number),
        "masked_phone": mask_phone(application.applicant_phone),
        "stage_text": STAGE_TEXT[stage],
        "review_due": acceptance_due(application) if stage in (Stage.RECEIVED, Stage.EXAMINING) else None,
        "decision_due": decision_due(application) if stage in (Stage.ACCEPTED, Stage.SUSPENDED) else None,
        "correction_due": correction_due(application) if stage == Stage.CORRECTION_REQUESTED else None,
        "late": application.is_late_application,
    }
    return context


# ---------------------------------------------------------------------------------------------------------------
# 查询、修改、补正


def _followed(request: HttpRequest) -> tuple[Application, FollowProof] | None:
    """The file the session follows, its proof checked again (a changed code or a lost file ends it)."""
    kept = request.session.get(FOLLOW_KEY) or {}
    if not isinstance(kept.get("id"), int) or not isinstance(kept.get("proof"), str):
        return None
    proof = FollowProof(kept["id"], kept["proof"])
    application = for_follow_proof(proof)
    if application is None:
        request.session.pop(FOLLOW_KEY, None)
        return None
    return application, proof


def _render_file(
    request: HttpRequest,
    application: Application,
    *,
    correction: CorrectionForm | None = None,
    notice: str = "",
    warning: bool = False,
) -> HttpResponse:
    stage = Stage(application.stage)
    context = {
        "a": application,
        "progress": public_progress(application),
        "materials": application.materials.filter(kind__in=APPLICANTS_MATERIALS),
        "may_amend": application.channel == Channel.ONLINE and stage == Stage.RECEIVED,
        "correction_form": correction or (CorrectionForm() if stage == Stage.CORRECTION_REQUESTED else None),
        "notice": notice,
        "warning": warning,
        "files_again": bool(request.FILES),
        **_facts(application),
    }
    return render(request, "reconsideration/public/follow_file.html", context)


def _why_not_amendable(application: Application) -> str:
    if application.channel != Channel.ONLINE:
        return "您的申请不是在网上提交的，不能在网上修改；需要更正的，请联系行政复议机构。"
    return (
        "行政复议机构已经开始审查您的申请，申请内容已作为审查的依据，不能再在网上修改。"
        f"如需更正或者补充，请联系{application.body.name}；如果机构通知您补正，可以在本页提交补正材料。"
    )


@login_not_required
def follow(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if (refused := _admitted(request, FOLLOW_BUCKET)) is not None:
            return refused
        form = FollowForm(request.POST)
        if form.is_valid():
            receipt, code = form.cleaned_data["receipt_number"].strip(), form.cleaned_data["code"].strip()
            if (found := for_follow_up(receipt, code)) is not None:
                request.session.cycle_key()
                proof = follow_proof(found)
                request.session[FOLLOW_KEY] = {"id": proof.application_id, "proof": proof.digest}
                return HttpResponseRedirect(reverse("reconsideration_public:follow"))
            form.add_error(None, NOT_FOUND)
        return render(request, "reconsideration/public/follow.html", {"form": form})
    followed = _followed(request)
    if followed is None:
        return render(request, "reconsideration/public/follow.html", {"form": FollowForm()})
    notice = request.session.pop("reconsideration_notice", "")
    return _render_file(request, followed[0], notice=notice)


@login_not_required
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOW_KEY, None)
    return HttpResponseRedirect(reverse("reconsideration_public:follow"))


def _back_to_file(request: HttpRequest, notice: str) -> HttpResponse:
    request.session["reconsideration_notice"] = notice
    return HttpResponseRedirect(reverse("reconsideration_public:follow"))


def _amend_initial(application: Application) -> dict[str, Any]:
    names = ("contested_act", "act_document_number", "known_on", "request", "facts_and_reasons", "applicant_name")
    return {**{n: getattr(application, n) for n in names}, "version": application.version}


@login_not_required
def amend(request: HttpRequest) -> HttpResponse:
    followed = _followed(request)
    if followed is None:
        return HttpResponseRedirect(reverse("reconsideration_public:follow"))
    application, proof = followed
    refused = ""
    if not (application.channel == Channel.ONLINE and application.stage == Stage.RECEIVED):
        return _render_file(request, application, notice=_why_not_amendable(application), warning=True)
    form = AmendForm(request.POST or None, request.FILES or None, initial=_amend_initial(application))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                amended = amend_application(
                    application, form.particulars(), code=proof, expected_version=form.cleaned_data["version"]
                )
                _save_materials(amended, form.cleaned_data["materials"], MaterialKind.APPLICATION, proof)
        except StaleApplication as stale:
            refused = "您的申请在打开本页之后已经修改过（可能是在另一个页面），本次修改没有保存。请核对下面的最新内容后重新修改。"
            form = AmendForm(initial=_amend_initial(stale.latest))
        except ReconsiderationError as error:
            refused = str(error)
        except PermissionDenied:
            return _render_file(request, application, notice=_why_not_amendable(application), warning=True)
        else:
            return _back_to_file(request, "申请已修改。行政复议机构开始审查前，您仍可以继续修改。")
    context = {
        "a": application,
        "form": form,
        "refused": refused,
        "masked_id": mask_id_number(application.applicant_id_number),
        "masked_phone": mask_phone(application.applicant_phone),
        "has_address": bool(application.applicant_address),
        "files_again": bool(request.FILES),
    }
    return render(request, "reconsideration/public/amend.html", context)


@login_not_required
@require_POST
def correct(request: HttpRequest) -> HttpResponse:
    followed = _followed(request)
    if followed is None:
        return HttpResponseRedirect(reverse("reconsideration_public:follow"))
    application, proof = followed
    form = CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                reply = form.cleaned_data["reply"]
                corrected = receive_correction(application, reply=reply, by=ONLINE_APPLICANT, code=proof)
                _save_materials(corrected, form.cleaned_data["materials"], MaterialKind.CORRECTION, proof)
        except (ReconsiderationError, PermissionDenied) as error:
            if application.stage != Stage.CORRECTION_REQUESTED:
                return _render_file(request, application, notice=str(error), warning=True)
            form.add_error(None, str(error))
        else:
            return _back_to_file(
                request, "补正材料已提交。行政复议机构将自收到补正材料之日起重新审查是否受理（行政复议法第31条第3款）。"
            )
    return _render_file(request, application, correction=form)
