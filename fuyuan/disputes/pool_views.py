"""The coordinator pool's own pages (专业协调员库, SPEC §6.2): the list, a coordinator's page with declared
conflicts and timeline, and the form to add or change an entry.

Who sees what is decided in ``disputes.queries`` (``pool_visible_to``, ``can_keep``): centre staff keep the pool of
their region subtree; 依法治办 and leaders read it; everyone else gets 403. A coordinator outside the user's pool is a
404. Views only parse, call ``disputes.workflow`` and render; a ``DisputeError`` is shown on the form, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.core.masking import mask_phone
from fuyuan.core.models import User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.disputes import matching, workflow
from fuyuan.disputes.choices import OPEN_STATES
from fuyuan.disputes.models import Coordinator
from fuyuan.disputes.pool_forms import (
    REMOVED,
    ConflictForm,
    CoordinatorForm,
    PoolFilterForm,
    WithdrawConflictForm,
    coordinator_initial,
)
from fuyuan.disputes.queries import (
    POOL_ROLES,
    can_keep,
    conflict_agencies,
    keepable_regions,
    keeps_pool,
    linkable_accounts,
    pool_organisations,
    pool_region_of,
    pool_visible_to,
)

NAV = "disputes-pool"


def _user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in POOL_ROLES or pool_region_of(user) is None:
        raise PermissionDenied("专业协调员库仅供协调化解中心工作人员、依法治办和领导查看")
    return user


def _keeper(request: HttpRequest) -> User:
    user = _user(request)
    if not keeps_pool(user):
        raise PermissionDenied("只有协调化解中心工作人员可以维护专业协调员库")
    return user


def pool(request: HttpRequest) -> HttpResponse:
    """The pool the user's centre (or region) may call on, with each one's load against their limit, availability,
    declarations in force and past success; filtered by GET parameters."""
    user = _user(request)
    today = timezone.localdate()
    region = pool_region_of(user)
    form = PoolFilterForm(request.GET)
    coordinators = (
        matching.with_load(form.apply(pool_visible_to(user), today=today))
        .annotate(conflicts_in_force=Count("conflicts", filter=Q(conflicts__withdrawn_on__isnull=True), distinct=True))
        .select_related("organisation", "region")
        .order_by("region__path", "name", "id")
    )
    page = paginate(request, coordinators)
    rows = list(page.object_list)
    successes = matching.mediation_successes(c.pk for c in rows)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": NAV,
        "form": form,
        "region": region,
        "page": page,
        "removed": form.value("status") == REMOVED,
        "query": query.urlencode(),
        "rows": [
            {
                "c": c,
                "phone": mask_phone(c.phone),
                "free": c.is_available_on(today),
                "full": c.load >= c.max_load,
                "successes": successes.get(c.pk, 0),
                "editable": can_keep(user, c),
            }
            for c in rows
        ],
        "can_add": keeps_pool(user),
    }
    return render(request, "disputes/pool.html", context)


def _load(user: User, pk: int) -> Coordinator:
    return get_object_or_404(pool_visible_to(user).select_related("organisation", "region", "user"), pk=pk)


def coordinator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _render_detail(request, user, _load(user, pk))


def _render_detail(
    request: HttpRequest,
    user: User,
    c: Coordinator,
    *,
    conflict_form: ConflictForm | None = None,
    withdraw_forms: dict[int, WithdrawConflictForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    editable = can_keep(user, c)
    conflicts = list(c.conflicts.select_related("organisation", "withdrawn_by").order_by("-declared_on", "-id"))
    withdraw_forms = withdraw_forms or {}
    in_hand = c.assignments.filter(released_at__isnull=True, dispute__state__in=OPEN_STATES).values("dispute").count()
    context = {
        "nav": NAV,
        "c": c,
        "editable": editable,
        "phone": mask_phone(c.phone),
        "free": c.is_available_on(today),
        "in_hand": in_hand,
        "successes": matching.mediation_successes([c.pk]).get(c.pk, 0),
        "in_force": [
            {"x": x, "form": withdraw_forms.get(x.pk) or WithdrawConflictForm(prefix=f"withdraw-{x.pk}")}
            for x in conflicts
            if x.in_force
        ],
        "withdrawn": [x for x in conflicts if not x.in_force],
        "conflict_form": conflict_form or (ConflictForm(agencies=conflict_agencies(user)) if editable else None),
        "open_withdraw": next(iter(withdraw_forms), None),
        "events": timeline(c),
    }
    return render(request, "disputes/coordinator_detail.html", context, status=status)


def _form(user: User, coordinator: Coordinator | None, data: Any = None) -> CoordinatorForm:
    return CoordinatorForm(
        data,
        initial=coordinator_initial(coordinator) if coordinator is not None else {},
        organisations=pool_organisations(user),
        regions=keepable_regions(user),
        accounts=linkable_accounts(user, coordinator),
    )


def _edit(request: HttpRequest, user: User, coordinator: Coordinator | None) -> HttpResponse:
    form = _form(user, coordinator, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = workflow.save_coordinator(coordinator, form.values(), by=user)
        except workflow.DisputeError as error:
            form.add_error(None, str(error))
        else:
            if coordinator is None:
                messages.success(request, f"已将 {saved.name} 加入专业协调员库")
            else:
                messages.success(request, f"已保存 {saved.name} 的信息")
            return HttpResponseRedirect(reverse("disputes:coordinator", args=[saved.pk]))
    context = {"nav": NAV, "form": form, "c": coordinator}
    return render(request, "disputes/coordinator_form.html", context, status=400 if form.errors else 200)


def coordinator_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, _keeper(request), None)


def coordinator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    coordinator = _load(user, pk)
    if not can_keep(user, coordinator):
        raise PermissionDenied(f"{coordinator.name} 不属于本中心所辖地区，不能修改")
    return _edit(request, user, coordinator)


def _done(request: HttpRequest, coordinator: Coordinator, text: str, anchor: str = "top") -> HttpResponse:
    messages.success(request, text)
    return HttpResponseRedirect(reverse("disputes:coordinator", args=[coordinator.pk]) + f"#{anchor}")


def _change_membership(request: HttpRequest, pk: int, change: Callable[..., object], done: str) -> HttpResponse:
    """Take an expert out of the pool or put them back (``change`` is the workflow's transition)."""
    user = _keeper(request)
    coordinator = _load(user, pk)
    try:
        change(coordinator, by=user)
    except workflow.DisputeError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("disputes:coordinator", args=[pk]))
    return _done(request, coordinator, done.format(name=coordinator.name))


@require_POST
def coordinator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_membership(request, pk, workflow.remove_from_pool, "已将 {name} 移出专家库，不再推荐和指派")


@require_POST
def coordinator_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_membership(request, pk, workflow.return_to_pool, "{name} 已重新入库")


@require_POST
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    user = _keeper(request)
    coordinator = _load(user, pk)
    if not can_keep(user, coordinator):
        raise PermissionDenied(f"{coordinator.name} 不属于本中心所辖地区，不能申报")
    form = ConflictForm(request.POST, agencies=conflict_agencies(user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            conflict = workflow.declare_conflict(
                coordinator,
                organisation=data["organisation"],
                person_name=data["person_name"],
                reason=data["reason"],
                declared_on=data["declared_on"],
                by=user,
            )
        except workflow.DisputeError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, coordinator, f"已申报：{coordinator.name} 回避{conflict.whom}", "conflicts")
    return _render_detail(request, user, coordinator, conflict_form=form, status=400)


@require_POST
def conflict_withdraw(request: HttpRequest, pk: int, conflict_pk: int) -> HttpResponse:
    user = _keeper(request)
    coordinator = _load(user, pk)
    if not can_keep(user, coordinator):
        raise PermissionDenied(f"{coordinator.name} 不属于本中心所辖地区，不能撤回申报")
    conflict = get_object_or_404(coordinator.conflicts.select_related("organisation"), pk=conflict_pk)
    form = WithdrawConflictForm(request.POST, prefix=f"withdraw-{conflict.pk}")
    if form.is_valid():
        try:
            workflow.withdraw_conflict(conflict, reason=form.cleaned_data["reason"], by=user)
        except workflow.DisputeError as error:
            # Already withdrawn (by a colleague, or a second click): the page shows it among the withdrawn ones.
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("disputes:coordinator", args=[pk]) + "#conflicts")
        return _done(request, coordinator, f"已撤回对{conflict.whom}的回避申报", "conflicts")
    return _render_detail(request, user, coordinator, withdraw_forms={conflict.pk: form}, status=400)
