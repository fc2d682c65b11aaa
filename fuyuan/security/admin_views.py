"""The system and security administrators' pages (三员管理). Thin: parse, call ``admins``, render.

The audit administrator's page is the audit log (``fuyuan.audit``); none of these pages opens for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fuyuan.core.masking import mask_phone
from fuyuan.core.models import ADMIN_ROLES, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.timeline import timeline
from fuyuan.security import admins
from fuyuan.security.admin_forms import AccountForm, PasswordResetForm, ReasonForm, RoleForm, UnlockForm
from fuyuan.security.admins import AdministrationError, administrator_required

SYSTEM = Role.SYSTEM_ADMIN
SECURITY = Role.SECURITY_ADMIN


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@administrator_required(SYSTEM, SECURITY)
def user_list(request: HttpRequest) -> HttpResponse:
    """Every account with its role and scope; the mobile number masked (no administrator needs it whole)."""
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    state = request.GET.get("state", "")
    users = User.objects.select_related("region", "organisation").order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role == "none":
        users = users.filter(role="")
    elif role in Role.values:
        users = users.filter(role=role)
    if state in ("active", "inactive"):
        users = users.filter(is_active=state == "active")
    page = paginate(request, users)
    for user in page:
        user.masked_mobile = mask_phone(user.mobile)  # type: ignore[attr-defined]
    context = {
        "nav": "admins-users",
        "page": page,
        "filters": {"q": q, "role": role, "state": state},
        "roles": Role.choices,
        "can_create": _actor(request).role == SYSTEM,
        "query": _query_without_page(request),
    }
    return render(request, "security/admins/users.html", context)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@administrator_required(SYSTEM)
def user_create(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = admins.AccountDraft(data["username"], data["full_name"], data["mobile"], data["password1"])
        try:
            user = admins.create_account(draft, by=_actor(request), request=request)
        except ValidationError as error:
            form.add_error("password1", error)
        except AdministrationError as error:
            form.add_error("username", str(error))
        else:
            messages.success(request, f"已创建账号 {user.username}，请安全管理员为其分配角色和范围")
            return HttpResponseRedirect(reverse("admins:detail", args=[user.pk]))
    status = 400 if form.is_bound else 200
    return render(request, "security/admins/user_new.html", {"nav": "admins-users", "form": form}, status=status)


def _detail(request: HttpRequest, account: User, status: int = 200, error: str = "", **forms: Any) -> HttpResponse:
    """The account page; after a refused action, with the reason on top and the form as it was filled."""
    actor = _actor(request)
    context = {
        "nav": "admins-users",
        "error": error,
        "account": account,
        "masked_mobile": mask_phone(account.mobile),
        "is_admin_account": account.role in ADMIN_ROLES,
        "events": timeline(account),
        "is_system_admin": actor.role == SYSTEM,
        "is_security_admin": actor.role == SECURITY,
        "is_self": actor.pk == account.pk,
        "has_second_factor": admins.has_second_factor(account),
        "password_form": forms.get("password_form") or PasswordResetForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "role_form": forms.get("role_form")
        or RoleForm(
            initial={
                "role": account.role,
                "region": account.region_id,
                "organisation": account.organisation_id,
                "is_head": account.is_head,
            }
        ),
    }
    return render(request, "security/admins/user_detail.html", context, status=status)


@administrator_required(SYSTEM, SECURITY)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(User.objects.select_related("region", "organisation"), pk=pk))


@administrator_required(SYSTEM)
@require_POST
def reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            admins.reset_password(account, form.cleaned_data["password1"], by=_actor(request), request=request)
        except ValidationError as error:
            form.add_error("password1", error)
        except AdministrationError as error:
            return _detail(request, account, status=400, error=str(error), password_form=form)
        else:
            messages.success(request, f"已重置账号 {account.username} 的密码")
            return HttpResponseRedirect(reverse("admins:detail", args=[account.pk]))
    return _detail(request, account, status=400, password_form=form)


def _change_activation(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            action(account, form.cleaned_data["reason"], by=_actor(request), request=request)
        except AdministrationError as error:
            return _detail(request, account, status=400, error=str(error), reason_form=form)
        else:
            messages.success(request, f"已{done}账号 {account.username}")
            return HttpResponseRedirect(reverse("admins:detail", args=[account.pk]))
    return _detail(request, account, status=400, reason_form=form)


@administrator_required(SYSTEM)
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_activation(request, pk, admins.deactivate_account, "停用")


@administrator_required(SYSTEM)
@require_POST
def activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_activation(request, pk, admins.reactivate_account, "重新启用")


@administrator_required(SECURITY)
@require_POST
def assign_role(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("region", "organisation"), pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = admins.assign_role(
                account,
                role=data["role"],
                region=data["region"],
                organisation=data["organisation"],
                is_head=data["is_head"],
                by=_actor(request),
                request=request,
            )
        except AdministrationError as error:
            account.refresh_from_db()
            return _detail(request, account, status=400, error=str(error), role_form=form)
        else:
            if changed:
                messages.success(request, f"已将账号 {account.username} 授权为{account.get_role_display()}")
            else:
                messages.info(request, "角色和范围没有变化")
            return HttpResponseRedirect(reverse("admins:detail", args=[account.pk]))
    account.refresh_from_db()
    return _detail(request, account, status=400, role_form=form)


@administrator_required(SECURITY)
@require_POST
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("region", "organisation"), pk=pk)
    try:
        admins.reset_second_factor(account, by=_actor(request), request=request)
    except AdministrationError as error:
        return _detail(request, account, status=400, error=str(error))
    messages.success(request, f"已解除账号 {account.username} 的身份验证器绑定")
    return HttpResponseRedirect(reverse("admins:detail", args=[account.pk]))


@administrator_required(SYSTEM)
def system(request: HttpRequest) -> HttpResponse:
    context = {"nav": "admins-system", "sections": admins.system_configuration()}
    return render(request, "security/admins/system.html", context)


@administrator_required(SECURITY)
def policy(request: HttpRequest) -> HttpResponse:
    context = {
        "nav": "admins-policy",
        "sections": admins.security_policy(),
        "second_factor": admins.administrators_second_factor(),
    }
    return render(request, "security/admins/policy.html", context)


@administrator_required(SECURITY)
def lockouts(request: HttpRequest) -> HttpResponse:
    context = {
        "nav": "admins-lockouts",
        "axes_installed": admins.axes_installed(),
        "lockouts": admins.locked_out_accounts(),
    }
    return render(request, "security/admins/lockouts.html", context)


@administrator_required(SECURITY)
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请指明要解锁的账号")
    else:
        username = form.cleaned_data["username"]
        try:
            admins.unlock_account(username, by=_actor(request), request=request)
        except AdministrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已解锁账号 {username}，可重新登录")
    return HttpResponseRedirect(reverse("admins:lockouts"))
