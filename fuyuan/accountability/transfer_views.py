"""The 移送纪委监委 pages (SPEC §6.3; issue 6 §4): the yearly review list of candidate losses (county and prefecture
依法治办), the list of transfers, and a transfer's page with its steps, timeline and the form of the step the user
may take now.

Every page starts from ``transfers.transfers_visible_to`` / ``transfers.candidates``: a transfer the user cannot
see is a 404; the lists are a 403 for the roles that see none. Views only parse, call ``transfers`` and render; a
refusal is shown on the form, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.accountability import transfers
from fuyuan.accountability.models import ClueTransfer, LossReview
from fuyuan.accountability.transfer_forms import (
    AcknowledgeForm,
    AnswerForm,
    ProposeForm,
    RejectForm,
    SubmitForm,
    TransferForm,
)
from fuyuan.core.models import Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline

NAV = "clue-transfers"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _office_only(user: User) -> None:
    if transfers.office_region(user) is None:
        raise PermissionDenied("移送纪委监委的年度审查仅供县(市、区)和州(市)依法治办使用")


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def candidate_list(request: HttpRequest) -> HttpResponse:
    """年度审查: the year's closed losses naming 不履行法定职责 or 超越职权/滥用职权, with their transfer if any."""
    user = _user(request)
    _office_only(user)
    year = _year(request)
    page = paginate(
        request,
        transfers.candidates(user, year)
        .select_related("case__county", "agency", "clue_transfer")
        .order_by("case__county__path", "closed_at", "id"),
    )
    rows = []
    for review in page.object_list:
        existing = getattr(review, "clue_transfer", None)
        form = None
        if existing is None and transfers.is_proposer(user, review):
            form = ProposeForm(prefix=f"r{review.pk}", initial={"clue": transfers.clue_of(review)})
        rows.append({"review": review, "transfer": existing, "form": form})
    context = {
        "nav": NAV,
        "page": page,
        "rows": rows,
        "year": year,
        "years": range(timezone.localdate().year, 2019, -1),
    }
    return render(request, "accountability/transfer_candidates.html", context)


@require_POST
def propose(request: HttpRequest, review: int) -> HttpResponse:
    user = _user(request)
    _office_only(user)
    loss = get_object_or_404(LossReview.objects.select_related("case__region", "case__county"), pk=review)
    if not transfers.is_proposer(user, loss):
        raise Http404("没有找到该事项")
    form = ProposeForm(request.POST, prefix=f"r{loss.pk}")
    back = reverse("accountability:transfer_candidates")
    if loss.closed_at:
        back += f"?year={timezone.localtime(loss.closed_at).year}"
    if not form.is_valid():
        messages.error(request, "请选择问题线索（不作为或乱作为）")
        return HttpResponseRedirect(back)
    try:
        transfer = transfers.propose(loss, clue=form.cleaned_data["clue"], facts=form.cleaned_data["facts"], by=user)
    except transfers.TransferError as error:
        messages.error(request, f"{loss.case.number}：{error}")
        return HttpResponseRedirect(back)
    messages.success(request, f"{loss.case.number}已提出移送，待县级初审报送")
    return HttpResponseRedirect(transfers.link(transfer))


def transfer_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if transfers.office_region(user) is None and user.role != Role.DISCIPLINE_LIAISON:
        raise PermissionDenied("移送纪委监委线索仅供依法治办和纪委监委联络员查看")
    visible = transfers.transfers_visible_to(user).select_related("review__case", "county", "discipline")
    page = paginate(request, visible.order_by("-year", "-proposed_at", "-id"))
    context = {"nav": NAV, "page": page, "is_office": transfers.office_region(user) is not None}
    return render(request, "accountability/transfer_list.html", context)


def _load(request: HttpRequest, pk: int) -> tuple[User, ClueTransfer]:
    user = _user(request)
    transfer = get_object_or_404(
        transfers.transfers_visible_to(user).select_related(
            "review__case__court", "review__agency", "county", "prefecture", "discipline",
            "proposed_by", "submitted_by", "reviewed_by", "acknowledged_by", "answered_by",
        ),
        pk=pk,
    )  # fmt: skip
    return user, transfer


FORMS: dict[str, Callable[..., forms.Form]] = {
    "submit": SubmitForm,
    "transfer": TransferForm,
    "reject": RejectForm,
    "acknowledge": AcknowledgeForm,
    "answer": AnswerForm,
}

DONE = {
    "submit": "已报州级复核",
    "transfer": "已移送纪委监委",
    "reject": "已登记不予移送",
    "acknowledge": "已签收",
    "answer": "已反馈处理结果",
}


def _do(name: str, transfer: ClueTransfer, data: dict[str, Any], user: User) -> Any:
    if name == "submit":
        return transfers.submit(transfer, by=user)
    if name == "transfer":
        return transfers.transfer_clue(transfer, on=data["on"], number=data["number"], by=user)
    if name == "reject":
        return transfers.reject(transfer, reason=data["reason"], by=user)
    if name == "acknowledge":
        return transfers.acknowledge(transfer, by=user)
    return transfers.answer(transfer, result=data["result"], by=user)


def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, transfer = _load(request, pk)
    return _render_detail(request, user, transfer)


def _render_detail(
    request: HttpRequest, user: User, transfer: ClueTransfer, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    step_forms = {name: cls(prefix=name, initial={"on": timezone.localdate()}) for name, cls in FORMS.items()}
    step_forms.update(bound or {})
    context = {
        "nav": NAV,
        "transfer": transfer,
        "review": transfer.review,
        "case": transfer.review.case,
        "actions": transfers.allowed_actions(user, transfer),
        "forms": step_forms,
        "events": timeline(transfer),
        "is_office": transfers.office_region(user) is not None,
        "errors": [e for f in (bound or {}).values() for e in f.non_field_errors()],
    }
    return render(request, "accountability/transfer_detail.html", context)


@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step: the form, the workflow (which checks the right); a refusal re-shows the page with the reason."""
    user, transfer = _load(request, pk)
    if step not in FORMS:
        raise Http404("没有该操作")
    if not transfers.allowed_actions(user, transfer)[step]:
        # The right is the workflow's; a step of another state is refused there with its reason.
        rights = {
            "submit": transfers.is_proposer,
            "transfer": transfers.is_prefecture_office,
            "reject": transfers.is_prefecture_office,
            "acknowledge": transfers.is_liaison,
            "answer": transfers.is_liaison,
        }
        if not rights[step](user, transfer):
            raise PermissionDenied("您无权进行此项操作")
    bound = FORMS[step](request.POST, prefix=step)
    if bound.is_valid():
        try:
            _do(step, transfer, bound.cleaned_data, user)
        except transfers.TransferError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, DONE[step])
            return HttpResponseRedirect(transfers.link(transfer))
        user, transfer = _load(request, pk)
    return _render_detail(request, user, transfer, bound={step: bound})
