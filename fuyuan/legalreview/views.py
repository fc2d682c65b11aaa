"""The legality-review pages: the queue (each role its own matters, or the matters behind a figure), a matter with
its documents, forms and timeline, the sender's form, the attachment, the opinion (.docx) and the figures. Thin: every
read starts from ``queries.visible_to``, every change is a ``workflow`` function."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fuyuan.core.forms import date_param
from fuyuan.core.models import Organisation, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.decisions.queries import links_visible_to, may_link
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX
from fuyuan.legalreview import figures as fig
from fuyuan.legalreview import workflow as wf
from fuyuan.legalreview.choices import MatterKind, MatterState
from fuyuan.legalreview.documents import render_opinion
from fuyuan.legalreview.forms import (
    AdoptionForm,
    AssignForm,
    MaterialForm,
    OpinionForm,
    PeriodForm,
    ReturnForm,
    SubmitForm,
)
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.queries import visible_to
from fuyuan.stats.forms import default_window

LIST_RELATED = ("sender", "sender_region", "review_body", "reviewer")
FIGURE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.RECONSIDERATION_BODY, Role.AGENCY_LIAISON})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def matter_list(request: HttpRequest) -> HttpResponse:
    """The matters the user sees (the reviewer's queue, the sender's own list), newest first, filtered by state, kind
    and sender; with ``figure`` (and ``from``/``to``, ``sender``/``kind``) only those behind that number."""
    user = _user(request)
    matters = visible_to(user)
    figure = request.GET.get("figure", "")
    caption = ""
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    sender = request.GET.get("sender", "")
    if figure:
        date_from, date_to = date_param(request.GET.get("from")), date_param(request.GET.get("to"))
        labels = fig.measures()
        valid_sender = not sender or sender.isdigit() or (sender.startswith(f"{fig.OFFICE}:") and sender[7:].isdigit())
        if figure not in labels or date_from is None or date_to is None or not valid_sender:
            raise Http404("没有这项统计")
        if kind and kind not in MatterKind.values:
            raise Http404("没有这项统计")
        matters = fig.matters_behind(matters, figure, date_from, date_to, sender=sender, kind=kind)
        caption = f"{labels[figure][0]}（收件日期 {date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}）"
    else:
        if state in MatterState.values:
            matters = matters.filter(state=state)
        if kind in MatterKind.values:
            matters = matters.filter(kind=kind)
        if sender.isdigit():
            matters = matters.filter(sender_id=int(sender))
    senders = Organisation.objects.filter(
        pk__in=visible_to(user).exclude(sender__isnull=True).values("sender_id")
    ).order_by("name")
    page = paginate(request, matters.select_related(*LIST_RELATED))
    return render(
        request,
        "legalreview/list.html",
        {
            "nav": "legalreview",
            "page": page,
            "caption": caption,
            "state": state,
            "kind": kind,
            "sender": sender,
            "states": MatterState.choices,
            "kinds": MatterKind.choices,
            "senders": senders,
            "today": timezone.localdate(),
            "can_submit": wf.can_submit(user),
            "can_see_figures": user.role in FIGURE_ROLES,
        },
    )


def matter_submit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not wf.can_submit(user):
        raise PermissionDenied("只有行政机关联络员或代表政府办公室的依法治办可以报送合法性审查")
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = wf.submit_matter(by=user, **form.cleaned_data)
        except wf.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已报送{matter.review_body.name}审查，审查期限至 {matter.due_on:%Y-%m-%d}")
            return HttpResponseRedirect(reverse("legalreview:detail", args=[matter.pk]))
    return render(
        request,
        "legalreview/submit.html",
        {"nav": "legalreview", "form": form},
        status=400 if form.errors else 200,
    )


STEPS: dict[str, tuple[type[Any], Callable[..., LegalMatter], str]] = {
    "assign": (AssignForm, wf.assign_reviewer, "已分办"),
    "return": (ReturnForm, wf.return_for_material, "已退回补充材料，审查期限中止"),
    "material": (MaterialForm, wf.supply_material, "已补充材料，审查期限恢复计算"),
    "opinion": (OpinionForm, wf.give_opinion, "已出具审查意见"),
    "adoption": (AdoptionForm, wf.record_adoption, "已反馈采纳情况"),
}


def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    matter = get_object_or_404(
        visible_to(user).select_related(*LIST_RELATED, "sent_by", "opinion_by", "adoption_by"), pk=pk
    )
    staff = User.objects.filter(
        is_active=True, role=Role.RECONSIDERATION_BODY, organisation_id=matter.review_body_id
    ).order_by("id")
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {}
    for name, (form_class, _, _) in STEPS.items():
        data, files = (request.POST, request.FILES) if step == name else (None, None)
        forms[name] = form_class(data, staff=staff) if form_class is AssignForm else form_class(data, files)
    allowed = {
        "assign": wf.can_assign(user, matter),
        "return": wf.can_review(user, matter),
        "material": wf.can_supply(user, matter),
        "opinion": wf.can_review(user, matter),
        "adoption": wf.can_record_adoption(user, matter),
    }
    status = 200
    if step in STEPS:
        form = forms[step]
        _, action, done = STEPS[step]
        try:
            if form.is_valid():
                action(matter, by=user, **form.cleaned_data)
                messages.success(request, done)
                return HttpResponseRedirect(reverse("legalreview:detail", args=[matter.pk]))
        except wf.ReviewError as error:
            form.add_error(None, str(error))
            if not allowed[step]:
                # The form is not on this person's page: the refusal is shown above it instead.
                messages.error(request, str(error))
        status = 400
    return render(
        request,
        "legalreview/detail.html",
        {
            "nav": "legalreview",
            "matter": matter,
            "events": timeline(matter).order_by("at", "id"),
            "forms": {name: form for name, form in forms.items() if allowed[name]},
            "today": timezone.localdate(),
            "linked": links_visible_to(user).filter(matter=matter).select_related("case", "linked_by"),
            "source_key": f"m{matter.pk}",
            "may_link": may_link(user),
        },
        status=status,
    )


def matter_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file sent with the matter, or with ``?of=material`` the file of the material supplied."""
    matter = get_object_or_404(visible_to(_user(request)), pk=pk)
    if request.GET.get("of") == "material":
        stored, name = matter.material_file, matter.material_file_name
    else:
        stored, name = matter.attachment, matter.attachment_name
    if not stored:
        raise Http404("没有此材料")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name or stored.name)


def matter_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(visible_to(_user(request)).select_related(*LIST_RELATED), pk=pk)
    if matter.opinion_on is None:
        raise Http404("尚未出具审查意见")
    response = HttpResponse(render_opinion(matter), content_type=DOCX)
    filename = f"合法性审查意见书-{matter.title[:40]}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{urlencode({'': filename})[1:]}"
    return response


def _behind_url(figure: str, date_from: datetime.date, date_to: datetime.date, **extra: Any) -> str:
    params = {"figure": figure, "from": date_from.isoformat(), "to": date_to.isoformat()}
    params.update({k: v for k, v in extra.items() if v is not None})
    return reverse("legalreview:list") + "?" + urlencode(params)


COLUMNS = ("received", "opinions", "on_time", "reported", "followed")


def figures_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in FIGURE_ROLES:
        raise PermissionDenied("您无权查看合法性审查统计")
    start, end = default_window()
    defaults: dict[str, Any] = {"date_from": start, "date_to": end, "by": "sender"}
    form = PeriodForm(request.GET or {k: str(v) for k, v in defaults.items()})
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else defaults
    date_from, date_to, by = data["date_from"], data["date_to"], data["by"]
    result = fig.compute(visible_to(user), date_from, date_to, by)
    labels = fig.measures()

    def cells(row: fig.Row) -> list[dict[str, Any]]:
        extra = {} if row.key is None else ({"kind": row.key} if by == "kind" else {"sender": row.key})
        return [
            {"count": row.counts[name], "url": _behind_url(name, date_from, date_to, **extra), "name": name}
            for name in COLUMNS
        ]

    def line(row: fig.Row) -> dict[str, Any]:
        return {
            "label": row.label,
            "cells": cells(row),
            "average": row.average_days,
            "on_time_share": row.on_time_share,
            "followed_share": row.followed_share,
        }

    return render(
        request,
        "legalreview/figures.html",
        {
            "nav": "legalreview",
            "form": form,
            "action": reverse("legalreview:figures"),
            "window": (date_from, date_to),
            "by_label": fig.GROUPINGS[by],
            "headers": [labels[name][0] for name in COLUMNS],
            "total": line(result.total),
            "rows": [line(r) for r in result.rows],
        },
    )


def review_queue_page(request: HttpRequest) -> HttpResponse:
    """审查工作台: every decision and matter waiting for the user's review body, with its period."""
    from fuyuan.legalreview.queue import QUEUE_ROLES, review_queue

    user = _user(request)
    if user.role not in QUEUE_ROLES:
        raise PermissionDenied("审查工作台仅供司法局、依法治办和领导使用")
    today = timezone.localdate()
    rows = review_queue(user, today)
    counts = {name: sum(1 for r in rows if r.status == name) for name in ("逾期", "临期", "期限内", "中止")}
    return render(
        request,
        "legalreview/queue.html",
        {
            "nav": "legalreview",
            "rows": rows,
            "counts": counts,
            "today": today,
            "warn_days": settings.FUYUAN_DEADLINE_WARN_DAYS,
        },
    )
