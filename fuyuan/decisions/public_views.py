"""The public pages of major decisions: the published catalogue (and its .docx), and the comment page of a draft (公众参与, 条例 第14条、第15条), open without log-in like ``/disputes/apply/`` and
``/reconsideration/apply/``: the draft, the period, a comment form while the period runs (limited per address by
``disputes.throttle``, counted apart from the applications), and the answers once published."""

from __future__ import annotations

import math
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from fuyuan.audit.log import client_ip
from fuyuan.decisions.choices import CatalogueState
from fuyuan.decisions.documents import catalogue_docx
from fuyuan.decisions.forms import CommentForm
from fuyuan.decisions.models import Catalogue, Decision
from fuyuan.decisions.workflow import DecisionError, comment_open, submit_comment
from fuyuan.disputes import throttle

COMMENT_BUCKET = "decision-comment:"


def _admitted(request: HttpRequest) -> HttpResponse | None:
    address = COMMENT_BUCKET + client_ip(request)
    if throttle.admit_submission(address):
        return None
    minutes = max(1, math.ceil(throttle.retry_after(address).total_seconds() / 60))
    context = {"minutes": minutes, "limit": settings.FUYUAN_APPLY_LIMIT}
    response = render(request, "decisions/public/limited.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@login_not_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("owner", "region"), pk=pk)
    if decision.comment_from is None:
        raise Http404("该决策草案尚未公开征求意见")
    is_open = comment_open(decision)
    if request.method == "POST" and (refused := _admitted(request)) is not None:
        return refused
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_comment(decision, content=form.cleaned_data["content"], author=form.cleaned_data["author"])
        except DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "您的意见已提交，决策承办单位将逐条研究并公布采纳情况。")
            return HttpResponseRedirect(request.path)
    answers = decision.comments.all() if decision.answers_published_on else None
    context = {"d": decision, "form": form, "is_open": is_open, "answers": answers}
    return render(request, "decisions/public/comment.html", context)


@login_not_required
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """The published catalogue (条例 第10条: 向社会公布), with the adjustments and their reasons, and its .docx."""
    published = get_object_or_404(Catalogue.objects.select_related("region"), pk=pk, state=CatalogueState.PUBLISHED)
    if request.GET.get("format") == "docx":
        response = HttpResponse(
            catalogue_docx(published),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = (
            f"attachment; filename=\"catalogue.docx\"; filename*=UTF-8''{quote(str(published))}.docx"
        )
        return response
    items = published.items.select_related("owner", "decision")
    context = {"catalogue": published, "items": items, "adjustments": published.adjustments.select_related("item")}
    return render(request, "decisions/public/catalogue.html", context)
