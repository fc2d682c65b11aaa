import datetime
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fuyuan.cases.queries import REGION_WIDE_ROLES
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Region, RegionLevel, User
from fuyuan.core.paging import paginate
from fuyuan.core.queries import regions_visible_to, work_calendar
from fuyuan.deadlines.models import DeadlineState
from fuyuan.deadlines.queries import deadlines_visible_to, owners_visible_to
from fuyuan.deadlines.rules import RULES, compute_due

WEEKDAYS = "一二三四五六日"
GROUPS = {
    "litigation": "行政诉讼",
    "reconsideration": "行政复议",
    "hearing": "出庭应诉",
    "centre": "协调化解中心",
    "decision": "重大行政决策",
}


class CalculatorForm(NamedErrors, forms.Form):
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


SOON_DAYS = 7
STATE_FILTERS = {
    "due_soon": "临期（7日内届满）",
    "overdue": "已逾期",
    "open": "未到期",
    "met": "已完成",
    "": "全部",
}


def _chosen_region(user: User, value: str | None) -> Region | None:
    """A region the user may choose (their own subtree), from its id; None when absent, malformed or not theirs."""
    if not value or not value.isdigit():
        return None
    return regions_visible_to(user).filter(pk=int(value)).first()


def counties_to_choose(user: User) -> list[Region]:
    """The counties a region-wide user (依法治办, leader) may narrow the list to; others see their own cases only."""
    if user.role not in REGION_WIDE_ROLES:
        return []
    return list(regions_visible_to(user).filter(level=RegionLevel.COUNTY).only("id", "name", "path"))


def deadline_list(request: HttpRequest) -> HttpResponse:
    """临期/逾期: the deadlines of the cases the user can see, most urgent first. ``region`` narrows to the cases of
    a region's subtree and ``county`` to those placed in one county (a row of the dashboard's 已逾期期限), so that the
    dashboard's counts open a list of exactly their deadlines; ``owner`` to one organisation's (责任单位) deadlines."""
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    state = request.GET.get("state", "due_soon")
    rule_id = request.GET.get("rule", "")
    deadlines = deadlines_visible_to(user).select_related("case", "owner").exclude(state=DeadlineState.CANCELLED)
    region = _chosen_region(user, request.GET.get("region"))
    county = _chosen_region(user, request.GET.get("county"))
    owners = list(owners_visible_to(user))
    owner = next((o for o in owners if str(o.pk) == request.GET.get("owner")), None)
    notices = [
        f"筛选条件“{label}”的值无效，已忽略"
        for name, label, found in (
            ("region", "地区", region),
            ("county", "县(市、区)", county),
            ("owner", "责任单位", owner),
        )
        if request.GET.get(name) and found is None
    ]
    if region is not None:
        deadlines = deadlines.filter(case__region__path__startswith=region.path)
    if county is not None:
        deadlines = deadlines.filter(case__county=county)
    if owner is not None:
        deadlines = deadlines.filter(owner=owner)
    if state == "due_soon":
        deadlines = deadlines.filter(state=DeadlineState.OPEN, due_on__lte=today + datetime.timedelta(days=SOON_DAYS))
    elif state in DeadlineState.values:
        deadlines = deadlines.filter(state=state)
    if rule_id in RULES:
        deadlines = deadlines.filter(rule_id=rule_id)
    page = paginate(request, deadlines.order_by("due_on", "id"))
    rows = [{"deadline": d, "days_left": d.days_left(today)} for d in page]
    context = {
        "nav": "deadlines",
        "page": page,
        "rows": rows,
        "state": state,
        "rule": rule_id,
        "states": STATE_FILTERS,
        "rules": [(r.id, r.label) for r in RULES.values()],
        "today": today,
        "region": region,
        "county": county,
        "counties": counties_to_choose(user),
        "owner": owner,
        "owners": owners,
        "notices": notices,
        "query": urlencode(
            {
                "state": state,
                "rule": rule_id,
                "region": region.pk if region else "",
                "county": county.pk if county else "",
                "owner": owner.pk if owner else "",
            }
        ),
    }
    return render(request, "deadlines/list.html", context)
