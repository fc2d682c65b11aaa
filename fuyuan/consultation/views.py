"""The risk-notice pages: the list (each role its own notices, or the notices behind a figure), a notice with its
answer and meetings, sending one on a case, the 败诉风险提示函 (.docx), and the figures. Thin: every read starts from
``queries.visible_to``, every change is a ``workflow`` function."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fuyuan.cases.queries import visible_to as cases_visible_to
from fuyuan.consultation import figures as fig
from fuyuan.consultation.choices import NoticeState
from fuyuan.consultation.documents import render_letter
from fuyuan.consultation.forms import AnswerForm, MeetingForm, PeriodForm, SendForm
from fuyuan.consultation.queries import visible_to
from fuyuan.consultation.workflow import (
    ConsultationError,
    answer_notice,
    can_answer,
    can_record_meeting,
    can_send,
    record_meeting,
    send_notice,
)
from fuyuan.core.forms import date_param
from fuyuan.core.models import Role, User
from fuyuan.core.paging import paginate
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX
from fuyuan.stats.forms import default_window

LIST_RELATED = ("case", "court", "agency")
# Who reads the figures: the 依法治办 and leaders over their region, the court over its notices, an agency over its own.
FIGURE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.COURT_LIAISON, Role.AGENCY_LIAISON})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def notice_list(request: HttpRequest) -> HttpResponse:
    """The notices the user sees, newest first; with ``figure`` (and ``from``/``to``, ``agency``/``month``) only those
    behind that number of the figures page."""
    user = _user(request)
    notices = visible_to(user)
    figure = request.GET.get("figure", "")
    caption = ""
    if figure:
        today = timezone.localdate()
        date_from, date_to = date_param(request.GET.get("from")), date_param(request.GET.get("to"))
        labels = fig.measures(today)
        if figure not in labels or date_from is None or date_to is None:
            raise Http404("没有这项统计")
        agency = request.GET.get("agency", "")
        month = request.GET.get("month", "")
        if (agency and not agency.isdigit()) or (month and len(month.split("-")) != 2):
            raise Http404("没有这项统计")
        notices = fig.notices_behind(
            notices, figure, date_from, date_to, today, agency=int(agency) if agency else None, month=month
        )
        caption = (
            f"{labels[figure][0]}（提示日期 {date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}{'，' + month if month else ''}）"
        )
    state = request.GET.get("state", "")
    if state in NoticeState.values:
        notices = notices.filter(state=state)
    page = paginate(request, notices.select_related(*LIST_RELATED))
    return render(
        request,
        "consultation/list.html",
        {
            "nav": "consultation",
            "page": page,
            "caption": caption,
            "state": state,
            "states": NoticeState.choices,
            "today": timezone.localdate(),
            "can_see_figures": user.role in FIGURE_ROLES,
        },
    )


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notice = get_object_or_404(
        visible_to(user).select_related("case", "court", "agency", "county", "sent_by", "answered_by"), pk=pk
    )
    answer_form = AnswerForm(request.POST if request.POST.get("step") == "answer" else None)
    meeting_form = MeetingForm(request.POST if request.POST.get("step") == "meeting" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("step") == "answer" and answer_form.is_valid():
                answer_notice(notice, by=user, **answer_form.cleaned_data)
                messages.success(request, "已答复败诉风险提示")
                return HttpResponseRedirect(reverse("consultation:detail", args=[notice.pk]))
            if request.POST.get("step") == "meeting" and meeting_form.is_valid():
                record_meeting(notice, by=user, **meeting_form.cleaned_data)
                messages.success(request, "已登记判前会商纪要")
                return HttpResponseRedirect(reverse("consultation:detail", args=[notice.pk]))
        except ConsultationError as error:
            (answer_form if request.POST.get("step") == "answer" else meeting_form).add_error(None, str(error))
        status = 400
    return render(
        request,
        "consultation/detail.html",
        {
            "nav": "consultation",
            "notice": notice,
            "meetings": notice.meetings.select_related("recorded_by"),
            "case_visible": cases_visible_to(user).filter(pk=notice.case_id).exists(),
            "answer_form": answer_form if can_answer(user, notice) else None,
            "meeting_form": meeting_form if can_record_meeting(user, notice) else None,
        },
        status=status,
    )


def notice_send(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = _user(request)
    case = get_object_or_404(cases_visible_to(user).select_related("court", "defendant"), pk=case_pk)
    if not can_send(user, case):
        raise PermissionDenied("只有本案审理法院的联络员可以对在审一审案件发送败诉风险提示")
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = send_notice(case, by=user, **form.cleaned_data)
        except ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已向{notice.agency.name}发送败诉风险提示，并抄送依法治办")
            return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
    return render(
        request,
        "consultation/send.html",
        {"nav": "consultation", "case": case, "form": form},
        status=400 if form.errors else 200,
    )


def notice_letter(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_to(_user(request)).select_related("case", "court", "agency", "county"), pk=pk)
    response = HttpResponse(render_letter(notice), content_type=DOCX)
    filename = f"败诉风险提示函-{notice.case.number}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{urlencode({'': filename})[1:]}"
    return response


def _behind_url(figure: str, date_from: datetime.date, date_to: datetime.date, **extra: Any) -> str:
    params = {"figure": figure, "from": date_from.isoformat(), "to": date_to.isoformat()}
    params.update({k: v for k, v in extra.items() if v is not None})
    return reverse("consultation:list") + "?" + urlencode(params)


COLUMNS = ("sent", "answered", "correct", "settle", "defend", "overdue", "resolved", "concluded", "lost")


def figures_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in FIGURE_ROLES:
        raise PermissionDenied("您无权查看败诉风险提示统计")
    start, end = default_window()
    defaults: dict[str, Any] = {"date_from": start, "date_to": end, "by": "agency"}
    # Without a choice the form shows the default window, so that its dates say what is counted.
    form = PeriodForm(request.GET or {k: str(v) for k, v in defaults.items()})
    today = timezone.localdate()
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else defaults
    date_from, date_to, by = data["date_from"], data["date_to"], data["by"]
    result = fig.compute(visible_to(user), date_from, date_to, by, today)
    labels = fig.measures(today)

    def cells(row: fig.Row) -> list[dict[str, Any]]:
        extra = {} if row.key is None else ({"month": row.key} if by == "month" else {"agency": row.key})
        return [
            {"count": row.counts[name], "url": _behind_url(name, date_from, date_to, **extra), "name": name}
            for name in COLUMNS
        ]

    return render(
        request,
        "consultation/figures.html",
        {
            "nav": "consultation-figures",
            "form": form,
            "action": reverse("consultation:figures"),
            "window": (date_from, date_to),
            "by_label": fig.GROUPINGS[by],
            "headers": [labels[name][0] for name in COLUMNS],
            "total": {"cells": cells(result.total), "share": result.total.loss_share},
            "rows": [{"label": r.label, "cells": cells(r), "share": r.loss_share} for r in result.rows],
            "cards": [
                {"label": labels[n][0], "count": result.total.counts[n], "url": _behind_url(n, date_from, date_to)}
                for n in ("sent", "answered", "resolved", "lost")
            ],
            "share": result.total.loss_share,
        },
    )
