"""The 类案检索 pages: the search page for a free text, and the case page's panel (loaded by the case page with
htmx, so the case page's own query bound is untouched), and the judgment upload."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fuyuan.cases.queries import visible_to
from fuyuan.core.masking import mask_personal_text
from fuyuan.core.models import User
from fuyuan.similar.extract import UnreadableJudgment
from fuyuan.similar.forms import JudgmentForm, SearchForm
from fuyuan.similar.models import Judgment
from fuyuan.similar.queries import DEFAULT_LIMIT, NothingToCompare, similar_to_case, similar_to_text
from fuyuan.similar.workflow import may_upload_judgment, upload_judgment


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def search_page(request: HttpRequest) -> HttpResponse:
    """A lawyer's or staff member's description of a case → the most similar cases the user may see."""
    user = _user(request)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        try:
            results = similar_to_text(
                form.cleaned_data["text"], visible_to(user), limit=form.cleaned_data["limit"] or DEFAULT_LIMIT
            )
        except NothingToCompare as exc:
            form.add_error("text", str(exc))
    return render(request, "similar/search.html", {"nav": "similar", "form": form, "results": results})


def case_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page's panel: the 10 most similar cases the user may see, their outcomes and the share lost, and
    the case's judgments (masked) with the upload form."""
    user = _user(request)
    scope = visible_to(user)
    case = get_object_or_404(scope.select_related("defendant"), pk=pk)
    results = similar_to_case(case, scope, limit=DEFAULT_LIMIT)
    judgments = [
        (j, mask_personal_text(j.text)) for j in Judgment.objects.filter(case=case).select_related("uploaded_by")
    ]
    return render(
        request,
        "similar/_panel.html",
        {
            "case": case,
            "results": results,
            "judgments": judgments,
            "can_upload": may_upload_judgment(user, case),
            "judgment_form": JudgmentForm(),
        },
    )


@require_POST
def judgment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_object_or_404(visible_to(user), pk=pk)
    form = JudgmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        upload = form.cleaned_data["file"]
        try:
            judgment = upload_judgment(case, upload.name, upload.read(), by=user)
        except UnreadableJudgment as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已上传裁判文书：{judgment.filename}，已提取 {len(judgment.text)} 字")
    return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]) + "#similar-panel")
