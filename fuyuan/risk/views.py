"""The loss-risk pages: the early-warning list (三色预警), one case's risk with its next steps and level history, the
model page (what it is and is not, its features, its back-test with the reliability plot) and the thresholds. Thin:
reads start from ``queries.visible_to``; the thresholds change through ``workflow.set_thresholds``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Region, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.risk.features import FEATURES
from fuyuan.risk.model import MIN_HISTORY, TEST_SHARE
from fuyuan.risk.models import LEVEL_CSS, LEVEL_ORDER, Level, RiskModelRun
from fuyuan.risk.queries import WARNING_ROLES, counts_by_level, visible_to
from fuyuan.risk.workflow import (
    LEVEL_EVENT,
    RiskError,
    can_set_thresholds,
    model_region,
    set_thresholds,
    thresholds_for,
)

LEVEL_CLASSES = LEVEL_CSS


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in WARNING_ROLES:
        raise PermissionDenied("您的角色不使用败诉风险预警")
    return user


def _region_of(user: User) -> Region | None:
    """The 州/市 whose model serves the user: their region's, or their agency's."""
    region = user.scope_region
    return model_region(region) if region is not None else None


def _levels(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "value": level,
            "label": Level(level).label,
            "css": LEVEL_CLASSES[level],
            "count": counts[level],
            "url": f"{reverse('risk:list')}?level={level}",
        }
        for level in LEVEL_ORDER
    ]


def next_steps(user: User, case_pk: int) -> list[dict[str, str]]:
    """The platform's own next steps for a case at risk, each a link to its existing form and who takes it."""
    return [
        {"label": "判前会商：法院发送败诉风险提示", "who": "审理法院联络员",
         "url": reverse("consultation:send", args=[case_pk])},
        {"label": "提交行政争议协调化解中心", "who": "协调化解中心工作人员", "url": reverse("disputes:new")},
        {"label": "报请领导包案", "who": "依法治办", "url": reverse("packaging:new")},
    ]  # fmt: skip


def warning_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    risks = visible_to(user)
    counts = counts_by_level(risks)
    level = request.GET.get("level", "")
    shown = risks.filter(level=level) if level in Level.values else risks
    page = paginate(
        request, shown.select_related("case", "case__defendant", "case__court").order_by("-score", "case_id")
    )
    region = _region_of(user)
    run = RiskModelRun.objects.filter(region=region).first() if region else None
    return render(
        request,
        "risk/list.html",
        {
            "nav": "risk",
            "page": page,
            "levels": _levels(counts),
            "level": level,
            "level_label": Level(level).label if level in Level.values else "",
            "run": run,
            "css": LEVEL_CLASSES,
        },
    )


def case_risk(request: HttpRequest, case_pk: int) -> HttpResponse:
    """One case's level, score and reasons, the next steps, and the history of its levels (its timeline)."""
    user = _user(request)
    risk = visible_to(user).select_related("case", "case__defendant", "case__court").filter(case_id=case_pk).first()
    if risk is None:
        raise Http404("没有这件案件的风险评估")
    history = timeline(risk.case).filter(action=LEVEL_EVENT).order_by("-at", "-id")
    return render(
        request,
        "risk/case.html",
        {
            "nav": "risk",
            "risk": risk,
            "css": LEVEL_CLASSES,
            "steps": next_steps(user, case_pk),
            "history": history,
        },
    )


def model_page(request: HttpRequest) -> HttpResponse:
    """What the model is and is not, what it uses, and how it did on the back-test (with the reliability plot)."""
    user = _user(request)
    region = _region_of(user)
    run = RiskModelRun.objects.filter(region=region).first() if region else None
    bt = run.backtest if run else {}
    chart = {
        "bins": bt.get("reliability", []),
    }
    return render(
        request,
        "risk/model.html",
        {
            "nav": "risk-model",
            "region": region,
            "run": run,
            "bt": bt,
            "chart": chart,
            "features": [{"name": f.name, "label": f.label} for f in FEATURES],
            "weights": (run.weights[:12] if run else []),
            "minimum": MIN_HISTORY,
            "test_share": int(TEST_SHARE * 100),
            "thresholds": thresholds_for(region),
            "can_set": region is not None and can_set_thresholds(user, region),
        },
    )


class ThresholdsForm(NamedErrors, forms.Form):
    red = forms.FloatField(label="红色预警：评分不低于（%）", min_value=1, max_value=99)
    orange = forms.FloatField(label="橙色预警：评分不低于（%）", min_value=1, max_value=99)
    yellow = forms.FloatField(label="黄色预警：评分不低于（%）", min_value=1, max_value=99)


def settings_page(request: HttpRequest) -> HttpResponse:
    """The 州 依法治办 sets its region's thresholds; the levels follow at once (``workflow.relevel``)."""
    user = _user(request)
    region = _region_of(user)
    if region is None or not can_set_thresholds(user, region):
        raise PermissionDenied("只有州（市）依法治办可以设置预警阈值")
    current = thresholds_for(region)
    initial = {"red": round(current.red * 100, 1), "orange": round(current.orange * 100, 1),
               "yellow": round(current.yellow * 100, 1)}  # fmt: skip
    form = ThresholdsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_thresholds(
                region, red=data["red"] / 100, orange=data["orange"] / 100, yellow=data["yellow"] / 100, by=user
            )
        except RiskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "预警阈值已保存，各案件的预警等级已按新阈值更新")
            return HttpResponseRedirect(reverse("risk:model"))
    return render(request, "risk/settings.html", {"nav": "risk-model", "form": form, "region": region, "role": Role})
