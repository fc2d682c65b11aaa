"""``/health/``: is this instance able to serve? For load balancers and monitoring; public, no personal data.

200 when the database answers and every migration is applied, 503 otherwise. The worker's last sign of life
(the newest notification it attempted to send) is reported but does not decide the status: the web pages work
without the worker, and an idle worker sends nothing for hours.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_status() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def migrations_status() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "pending" if pending else "applied"


# A message due this long ago and still pending means no worker is sending (the sweep runs every minute).
OVERDUE_AFTER = datetime.timedelta(minutes=10)


def worker_status(now: datetime.datetime) -> dict[str, Any]:
    """When the worker last sent a message, and how many due messages wait for it (both from indexed reads: a
    load balancer may ask every few seconds)."""
    from fuyuan.notifications.models import Notification, NotificationState

    last = Notification.objects.exclude(sent_at=None).order_by("-pk").values_list("sent_at", flat=True).first()
    overdue = Notification.objects.filter(
        state=NotificationState.PENDING, next_attempt_at__lt=now - OVERDUE_AFTER
    ).count()
    return {
        "last_sweep": last.isoformat() if last else None,
        "age_seconds": round((now - last).total_seconds()) if last else None,
        "overdue_messages": overdue,
    }


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    body: dict[str, Any] = {"status": "ok", "database": database_status()}
    if body["database"] == "ok":
        try:
            body["migrations"] = migrations_status()
            body["worker"] = worker_status(now)
        except Exception:
            body["database"] = "error"
    body.setdefault("migrations", "unknown")
    body.setdefault("worker", {"last_sweep": None, "age_seconds": None})
    body["time"] = now.isoformat()
    if body["database"] != "ok" or body["migrations"] != "applied":
        body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
