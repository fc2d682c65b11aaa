"""Reading the audit log: the audit administrator's search, and who may read it at all."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from fuyuan.audit.middleware import CASE_FILE_PAGES, OTHER_RECORD_PAGES
from fuyuan.audit.models import AuditRecord
from fuyuan.core.models import Role

# What an audit record's target can be, by model label (the ones the audit log writes itself).
TARGET_TYPES: dict[str, str] = {
    **{label: page for label, page in CASE_FILE_PAGES.values()},
    **{label: page for label, page in OTHER_RECORD_PAGES.values()},
    "core.user": "账号",
    "notifications.notification": "通知消息",
}


def require_audit_admin(user: Any) -> None:
    """等保 三员管理 (GB/T 22239-2019 8.1.4.3, 8.1.10.2): only the audit administrator reads the audit log; the
    system and security administrators, and superusers without that role, do not."""
    if getattr(user, "role", None) != Role.AUDIT_ADMIN or not user.is_active:
        raise PermissionDenied("审计日志仅供审计管理员查阅")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(filters: dict[str, Any]) -> QuerySet[AuditRecord]:
    """Records matching the (cleaned) search, newest first. Dates are local days, both ends included."""
    qs = AuditRecord.objects.all()
    if filters.get("username"):
        qs = qs.filter(username__icontains=filters["username"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("ip"):
        qs = qs.filter(ip__startswith=filters["ip"])
    if filters.get("target_type"):
        qs = qs.filter(target_type=filters["target_type"])
    if filters.get("target_id"):
        # The auditor knows a file by its number (the 争调 or case number: ``target_label``) more often than by its id.
        qs = qs.filter(Q(target_id=filters["target_id"]) | Q(target_label=filters["target_id"]))
    if filters.get("q"):
        qs = qs.filter(summary__icontains=filters["q"])
    return qs.order_by("-id")
