"""The notification outbox: one row per message per channel per recipient, sent by ``sender.send_due``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fuyuan.core.fields import BlindIndexField, EncryptedCharField
from fuyuan.core.models import User


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class NotificationState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    """One message to one recipient on one channel.

    ``dedup_key`` names the occasion (``hearing:42:reminder_t7``); the database refuses a second row with the
    same key for the same recipient and channel, so a reminder created twice, or by two workers at once, is
    one row and is sent once.
    """

    recipient = models.ForeignKey(
        User, verbose_name="接收人", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    email = models.EmailField("邮箱地址", blank=True, help_text="为空时使用接收人的邮箱")
    # The SMS target: stored encrypted like every phone number (个人信息保护法 第51条), decrypted only to send;
    # its blind index stands in for it in the once-per-address guard below.
    phone = EncryptedCharField("手机号码", max_length=20, blank=True)
    phone_index = BlindIndexField("手机号码盲索引", source="phone", kind="phone")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    dedup_key = models.CharField("去重键", max_length=200)
    state = models.CharField(
        "状态", max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.CharField("最近一次错误", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("下次发送时间", default=timezone.now)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "dedup_key"],
                condition=Q(recipient__isnull=False),
                name="notification_once_per_recipient",
            ),
            # A message to a bare address (no user) is deduplicated on the address instead.
            models.UniqueConstraint(
                fields=["channel", "email", "phone_index", "dedup_key"],
                condition=Q(recipient__isnull=True),
                name="notification_once_per_address",
            ),
        ]
        indexes = [
            # The sender selects due rows in one indexed range over the pending ones only.
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="notification_due"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class RowFailure(models.Model):
    """A row of a sweep step that raised: it is left alone until ``retry_at``, each failure waiting longer
    (``notifications.isolation``; the Healthchecks ``sendalerts`` lesson: move the row's time forward instead of
    failing on it every minute). Deleted when the row goes through."""

    step = models.CharField("步骤", max_length=60)
    row_id = models.BigIntegerField("记录编号")
    failures = models.PositiveIntegerField("连续失败次数", default=1)
    retry_at = models.DateTimeField("下次重试时间")
    last_error = models.CharField("最近一次错误", max_length=500, blank=True)
    failed_at = models.DateTimeField("最近一次失败时间")

    class Meta:
        verbose_name = "定时任务失败记录"
        verbose_name_plural = "定时任务失败记录"
        constraints = [models.UniqueConstraint(fields=["step", "row_id"], name="row_failure_once_per_row")]

    def __str__(self) -> str:
        return f"{self.step} #{self.row_id}（{self.failures} 次）"
