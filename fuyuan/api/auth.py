"""Token authentication and the per-token rate limit of the API.

A request carries ``Authorization: Bearer <token>``; the token's sha256 digest is looked up (the token itself is
never stored). A missing, unknown, revoked or expired token, or one of a disabled system, is refused with 401
(GB/T 22239-2019 8.1.4.1 a): every user identified and authenticated).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from fuyuan.api.models import ApiToken, digest

# last_used_at is written at most this often per token: a busy system does not write a row per call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenRefused(exceptions.AuthenticationFailed):
    """An authentication failure with the English text kept apart for the error body."""

    def __init__(self, message: str, message_en: str, code: str) -> None:
        super().__init__(message, code)
        self.message_en = message_en


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise TokenRefused(
                "Authorization 请求头格式应为“Bearer 令牌”",
                "Authorization header must be 'Bearer <token>'",
                "bad_header",
            )
        try:
            secret = header[1].decode()
        except UnicodeDecodeError:
            raise TokenRefused("令牌含有无效字符", "The token contains invalid characters", "bad_token") from None
        token = ApiToken.objects.select_related("system__account").filter(digest=digest(secret)).first()
        if token is None:
            raise TokenRefused("令牌无效", "Invalid token", "invalid_token")
        if token.revoked_at is not None:
            raise TokenRefused("令牌已吊销", "The token has been revoked", "token_revoked")
        if token.is_expired:
            raise TokenRefused("令牌已过期", "The token has expired", "token_expired")
        account = token.system.account
        if not token.system.is_active or not account.is_active:
            raise TokenRefused("该外部系统已停用", "The external system is disabled", "system_disabled")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return account, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="fuyuan"'


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (setting ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_token"]``)."""

    scope = "api_token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"token-{token.pk}"}
