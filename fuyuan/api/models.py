"""External systems (court, agency, reconsideration body, rule-of-law office systems) and their API tokens.

A system acts as one ``core.User`` service account, so what it may read and change is exactly that user's scope
(``cases.queries.visible_to``) and the workflows' own permission checks: the API adds no scoping of its own.

A token is shown once, at creation; only its sha256 digest is stored, with its first characters (``prefix``) kept
so that an administrator can tell tokens apart (GB/T 22239-2019 8.1.4.1 d): authentication data kept
confidential; 8.1.4.2 d): remote management over an authenticated channel).
"""

from __future__ import annotations

import hashlib
import secrets
import string

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_LENGTH = 40
PREFIX_LENGTH = 8


class SystemKind(models.TextChoices):
    COURT = "court", "法院系统"
    AGENCY = "agency", "行政机关系统"
    RECONSIDERATION_BODY = "reconsideration_body", "复议机构系统"
    RULE_OF_LAW_OFFICE = "rule_of_law_office", "依法治办系统"


class ExternalSystem(models.Model):
    name = models.CharField("系统名称", max_length=100, unique=True)
    kind = models.CharField("系统类别", max_length=32, choices=SystemKind.choices)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="服务账号",
        on_delete=models.PROTECT,
        related_name="external_system",
        help_text="接口以该账号的身份和权限范围读写数据",
    )
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "外部系统"
        verbose_name_plural = "外部系统"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Letters and digits only: a secret (and so its prefix, which ``fuyuan api-token revoke PREFIX`` takes) never begins
# with "-", which the command line would read as an option.
SECRET_ALPHABET = string.ascii_letters + string.digits


def new_secret() -> str:
    """40 letters and digits (about 238 bits of randomness)."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(TOKEN_LENGTH))


class ApiToken(models.Model):
    system = models.ForeignKey(ExternalSystem, verbose_name="外部系统", on_delete=models.PROTECT, related_name="tokens")
    prefix = models.CharField("令牌前缀", max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField("令牌摘要(SHA-256)", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.system} {self.prefix}…"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired and self.system.is_active

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.is_expired:
            return "已过期"
        return "有效"
