"""One error body for every failure of the API, in Chinese and in English:

``{"error": {"code": "…", "message": "中文说明", "message_en": "English", "fields": {"field": ["…"]}}}``

Every exception a view can raise ends here (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``): DRF's own (400, 401, 403,
404, 405, 413, 415, 429 with ``Retry-After``), Django's ``PermissionDenied``/``Http404``, the case workflow's
``StaleCase`` (409), the case rules' ``CaseInvalid`` (400, each error on the request's field it concerns) and
``ApiError`` raised by the views. Anything else is a bug and stays a 500.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from fuyuan.api.auth import TokenRefused
from fuyuan.cases.rules import CaseError, CaseInvalid
from fuyuan.cases.workflow import StaleCase


class ApiError(exceptions.APIException):
    """A refusal decided by a view, with both texts and the fields concerned."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        message_en: str,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message, code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.message_en = message_en
        self.fields = fields or {}
        self.extra = extra


def invalid(fields: dict[str, list[str]]) -> ApiError:
    """400 naming each field and what is wrong with it."""
    names = "、".join(fields)
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        "invalid",
        f"请求内容有误：{names}",
        f"Invalid input: {', '.join(fields)}",
        fields,
    )


def not_found(what: str, what_en: str) -> ApiError:
    return ApiError(status.HTTP_404_NOT_FOUND, "not_found", f"未找到{what}", f"{what_en} not found")


def forbidden(message: str, message_en: str) -> ApiError:
    return ApiError(status.HTTP_403_FORBIDDEN, "forbidden", message, message_en)


# DRF exception class → (code, English text) when the exception carries no English of its own.
ENGLISH = {
    exceptions.NotAuthenticated: ("not_authenticated", "Authentication required: send 'Authorization: Bearer <token>'"),
    exceptions.AuthenticationFailed: ("authentication_failed", "Authentication failed"),
    exceptions.PermissionDenied: ("forbidden", "You do not have permission to do this"),
    exceptions.NotFound: ("not_found", "Not found"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "Method not allowed"),
    exceptions.NotAcceptable: ("not_acceptable", "Cannot produce a response in the requested format"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "Send the body as application/json"),
    exceptions.ParseError: ("malformed_body", "The request body is not valid JSON"),
}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _flatten(v)]
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def body(code: str, message: str, message_en: str, fields: dict[str, list[str]] | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "message_en": message_en, "fields": fields or {}, **extra}}


# The case fields a request names differently: the court or the reconsideration body is its ``forum``.
REQUEST_FIELD = {"court": "forum", "reconsideration_body": "forum"}
REQUEST_FIELDS = frozenset(
    {"number", "kind", "forum", "defendant", "instance", "filed_on", "received_on", "acceptance", "accepted_on",
     "concluded_on", "outcome"}
)  # fmt: skip


def case_invalid(errors: list[CaseError]) -> ApiError:
    """The case rules' refusal as a 400: each error on the first of its fields a request can send."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        names = [REQUEST_FIELD.get(f, f) for f in error.fields]
        fields.setdefault(next((n for n in names if n in REQUEST_FIELDS), names[0]), []).append(error.message)
    return invalid(fields)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, CaseInvalid):
        exc = case_invalid(exc.errors)
    elif isinstance(exc, StaleCase):
        latest = getattr(exc, "latest", None)
        current = latest.version if latest is not None else None
        exc = ApiError(
            status.HTTP_409_CONFLICT,
            "stale_version",
            "此案件已被他人修改，请取最新版本后重试" + (f"（当前版本 {current}）" if current else ""),
            "The case was changed by someone else since that version; fetch it again and retry",
            {"version": ["版本已过期" + (f"，当前版本为 {current}" if current else "")]},
            current_version=current,
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = forbidden(str(exc) or "您无权执行此操作", "You do not have permission to do this")
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        exc = ApiError(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "too_large",
            f"请求体超过 {limit // 1024 // 1024} MB",
            f"The request body is larger than {limit // 1024 // 1024} MB",
        )
    elif isinstance(exc, Http404):
        exc = not_found("所请求的对象", "The requested object")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        response.data = body(exc.code, exc.message, exc.message_en, exc.fields, **exc.extra)
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 1)
        response.data = body(
            "rate_limited",
            f"请求过于频繁，请 {wait} 秒后重试",
            f"Too many requests; retry in {wait} seconds",
            retry_after=wait,
        )
        response["Retry-After"] = str(wait)
    elif isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        response.data = body(
            "invalid", f"请求内容有误：{'、'.join(fields)}", f"Invalid input: {', '.join(fields)}", fields
        )
    elif isinstance(exc, exceptions.APIException):
        code, english = next(
            ((c, e) for cls, (c, e) in ENGLISH.items() if isinstance(exc, cls)), ("error", "Request refused")
        )
        if isinstance(exc, TokenRefused):
            # The token's own refusal (invalid, revoked, expired …) names its code and carries its English.
            code, english = str(getattr(exc.detail, "code", code)), exc.message_en
        response.data = body(code, " ".join(_flatten(exc.detail)), english)
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="fuyuan"'
    return response
