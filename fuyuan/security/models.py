"""What the identity part remembers about a person's passwords (GB/T 22239-2019 8.1.4.1 a))."""

from django.conf import settings
from django.db import models


class PasswordHistory(models.Model):
    """One row per password a person has had: its hash, and when it was set.

    The newest row says when the current password was set (its age, for expiry); the last
    ``FUYUAN_PASSWORD_HISTORY`` rows are the passwords that may not be used again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码哈希", max_length=128)
    set_at = models.DateTimeField("设置时间", db_index=True)
    # Set when an administrator reset the password: the person must choose their own at the next log-in.
    change_required = models.BooleanField("须在登录后修改", default=False)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d %H:%M}"
