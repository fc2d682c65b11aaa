"""The security audit log (等保 level 3, GB/T 22239-2019 8.1.4.3 安全审计): who did what, when, from where.

Records are append-only through every door: the model and its queryset refuse to change or delete one, and
database triggers (migration 0002, ``fuyuan.audit.maintenance``) refuse UPDATE, DELETE and TRUNCATE from any SQL.
Each record carries the hash of the one before it, so a record changed or removed behind the application's back
(by someone holding the database itself) breaks the chain (``fuyuan.audit.chain.verify_chain``). No admin page.
网络安全法 第21条 requires keeping them for at least six months (``FUYUAN_AUDIT_RETENTION_DAYS``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditKind(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    LOCKED_OUT = "locked_out", "账号锁定"
    READ = "read", "查阅"
    EXPORT = "export", "导出"
    CHANGE = "change", "修改"
    PERMISSION = "permission", "权限变更"
    UNMASK = "unmask", "查看敏感信息"
    SECURITY = "security", "安全策略"
    API = "api", "接口调用"


class AppendOnlyQuerySet(models.QuerySet["AuditRecord"]):
    """Closes the ORM's bulk doors: a queryset can neither change nor delete records, nor insert past the chain."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计记录只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录不能删除")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError("审计记录只能追加，不能修改")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditRecord]:
        raise PermissionError("审计记录只能通过 fuyuan.audit.log.record 逐条追加")

    def update_or_create(self, *args: Any, **kwargs: Any) -> tuple[AuditRecord, bool]:
        raise PermissionError("审计记录只能追加，不能修改")


class AuditRecord(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类别", max_length=20, choices=AuditKind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    # Snapshots: the record still says who it was if the account is renamed or deactivated.
    username = models.CharField("账号", max_length=150, blank=True, db_index=True)
    role = models.CharField("角色", max_length=32, blank=True)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    target_type = models.CharField("对象类型", max_length=50, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    summary = models.CharField("摘要", max_length=500)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Never: ``fuyuan.audit.log.record`` appends (its one INSERT links the record into the chain)."""
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改")
        raise PermissionError("审计记录只能通过 fuyuan.audit.log.record 逐条追加")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录不能删除")


class AuditHead(models.Model):
    """One row (pk 1): the hash of the last record and the number of records. ``record`` reads it FOR UPDATE in its
    INSERT, which orders concurrent writers into one chain; a database trigger (migration 0002) advances it on every insert, so
    the head cannot disagree with the records whoever inserts. ``last_verified_*`` keep the audit administrator's
    last on-demand chain check."""

    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)
    last_verified_at = models.DateTimeField("最近校验时间", null=True, blank=True)
    last_verified_ok = models.BooleanField("最近校验结果", null=True)
    last_verified_message = models.CharField("最近校验结论", max_length=500, blank=True)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"{self.count} 条，末条 {self.last_hash[:12]}"
