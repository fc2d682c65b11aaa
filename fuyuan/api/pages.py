"""The pages of the API: the system administrator's list of external systems and tokens (a token is shown once,
on the page that creates it), and the endpoint list for the developers of court and agency systems."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from drf_spectacular.generators import SchemaGenerator

from fuyuan.api.models import ApiToken, ExternalSystem, SystemKind
from fuyuan.api.workflow import ACCOUNT_OF_KIND, SystemRefused, issue_token, register_system, revoke_token
from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, Role, User


def _admin(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    assert isinstance(user, User)
    # 等保 三员管理: external access is configured by the system administrator only.
    if user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以管理外部系统和接口令牌")
    return user


class SystemForm(NamedErrors, forms.Form):
    name = forms.CharField(label="系统名称", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(
        label="系统类别", choices=SystemKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    organisation = forms.ModelChoiceField(
        label="所属单位",
        queryset=Organisation.objects.filter(kind__in=[k for _, k in ACCOUNT_OF_KIND.values()]).order_by(
            "region__path", "name"
        ),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="接口以该单位的权限范围读写：法院系统只见本院案件，依法治办系统只见本地区案件",
        empty_label="请选择单位",
        error_messages={"required": "请选择所属单位", "invalid_choice": "所选单位不存在"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "请填写系统名称"


class TokenForm(NamedErrors, forms.Form):
    days = forms.IntegerField(
        label="有效天数",
        min_value=0,
        max_value=3650,
        initial=365,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm w-auto"}),
        error_messages={
            "invalid": "有效天数须为整数",
            "min_value": "有效天数不能为负数",
            "max_value": "有效天数最长 3650 天",
        },
    )


def _context(form: SystemForm) -> dict[str, Any]:
    systems = ExternalSystem.objects.select_related("account__organisation").prefetch_related("tokens")
    return {"systems": systems, "form": form, "token_form": TokenForm(), "nav": "api-systems"}


def systems(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            system = register_system(
                form.cleaned_data["name"],
                form.cleaned_data["kind"],
                form.cleaned_data["organisation"],
                by=user,
                request=request,
            )
        except SystemRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记外部系统“{system.name}”，请为其生成令牌")
            return redirect("api:systems")
    return render(request, "api/systems.html", _context(form))


@require_POST
def create_token(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    system = get_object_or_404(ExternalSystem, pk=pk)
    token_form = TokenForm(request.POST)
    if not token_form.is_valid():
        for errors in token_form.errors.values():
            for error in errors:
                messages.error(request, f"未生成令牌：{error}")
        return redirect("api:systems")
    try:
        token, secret = issue_token(system, by=user, days=token_form.cleaned_data["days"], request=request)
    except SystemRefused as exc:
        messages.error(request, str(exc))
        return redirect("api:systems")
    response = render(request, "api/token_created.html", {"system": system, "token": token, "secret": secret})
    # The secret is on this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    token = get_object_or_404(ApiToken.objects.select_related("system"), pk=pk)
    if revoke_token(token, by=user, request=request):
        messages.success(request, f"已吊销“{token.system.name}”的令牌 {token.prefix}…，使用该令牌的调用将被拒绝")
    else:
        messages.info(request, f"令牌 {token.prefix}… 此前已吊销")
    return redirect("api:systems")


def _enum(schema: dict[str, Any], field: dict[str, Any]) -> list[str]:
    """The allowed values of a property, whether listed in place or in a referenced enum component."""
    values: list[str] = []
    for ref in [field, *field.get("oneOf", []), *field.get("allOf", [])]:
        target = schema["components"]["schemas"].get(ref["$ref"].rsplit("/", 1)[-1], {}) if "$ref" in ref else ref
        values += [str(v) for v in target.get("enum", []) if v not in ("", None)]
    return values


def _endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "text": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            body_ref = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref", "")
            )
            body_fields = []
            if body_ref:
                component = schema["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]
                required = set(component.get("required", []))
                for name, field in component.get("properties", {}).items():
                    text = field.get("description", "")
                    allowed = _enum(schema, field)
                    if allowed:
                        text += f"。可填：{'、'.join(allowed)}"
                    body_fields.append({"name": name, "required": name in required, "text": text})
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "body": body_fields,
                    "statuses": sorted(op.get("responses", {})),
                }
            )
    return rows


@login_not_required  # the API's description is public, as its schema is
def docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"endpoints": _endpoints(schema), "title": schema["info"]["title"], "version": schema["info"]["version"],
         "nav": "api-docs"},
    )  # fmt: skip
