import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fuyuan.core.queries import work_calendar
from fuyuan.deadlines.rules import RULES, compute_due

WEEKDAYS = "一二三四五六日"
GROUPS = {
    "litigation": "行政诉讼",
    "reconsideration": "行政复议",
    "hearing": "出庭应诉",
    "centre": "协调化解中心",
    "decision": "重大行政决策",
}


class CalculatorForm(forms.Form):
    rule = forms.ChoiceField(
        label="期限规则",
        choices=[
            (
                group_label,
                [(r.id, f"{r.label}（{r.period_label}）") for r in RULES.values() if r.id.startswith(prefix + ".")],
            )
            for prefix, group_label in GROUPS.items()
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label="起算日（送达、收到或作出之日；开庭提醒填开庭日）",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        error_messages={"required": "请填写起算日", "invalid": "请填写存在的日期"},
    )


def calculator(request: HttpRequest) -> HttpResponse:
    """期限计算器: the same computation as ``fuyuan deadline``, for staff and lawyers."""
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        result = compute_due(form.cleaned_data["rule"], form.cleaned_data["start"], work_calendar())
    context = {"form": form, "result": result, "nav": "deadline", "weekday": _weekday(result.due) if result else ""}
    return render(request, "deadlines/calculator.html", context)


def _weekday(day: datetime.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]
