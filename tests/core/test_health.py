"""``/health/`` answers monitoring without a login: 200 when the database works and is migrated, 503 otherwise."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from fuyuan.notifications.models import Channel, Notification, NotificationState
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_a_healthy_instance_answers_200_to_anyone_with_no_personal_data(world: World) -> None:
    response = Client().get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "database", "migrations", "worker", "time"}
    assert (body["status"], body["database"], body["migrations"]) == ("ok", "ok", "applied")
    assert body["worker"] == {"last_sweep": None, "age_seconds": None, "overdue_messages": 0}
    assert datetime.datetime.fromisoformat(body["time"]) <= timezone.now()
    assert "rol_pref" not in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_workers_last_sending_is_reported_with_its_age(world: World) -> None:
    sent_at = timezone.now() - datetime.timedelta(seconds=90)
    Notification.objects.create(
        recipient=world.users["rol_pref"],
        channel=Channel.EMAIL,
        subject="开庭提醒",
        dedup_key="health:1",
        state=NotificationState.SENT,
        sent_at=sent_at,
    )
    Notification.objects.create(
        recipient=world.users["rol_pref"],
        channel=Channel.EMAIL,
        subject="临期提醒",
        dedup_key="health:2",
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )

    worker = Client().get("/health/").json()["worker"]

    assert worker["last_sweep"] == sent_at.isoformat()
    assert 90 <= worker["age_seconds"] <= 100
    assert worker["overdue_messages"] == 1


def test_an_unapplied_migration_answers_503(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("cases.9999_new", False)])

    response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["migrations"] == "pending"


def test_a_database_that_does_not_answer_gives_503_not_a_server_error(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"


def test_a_logged_in_user_gets_the_same_answer(world: World) -> None:
    client = Client()
    assert client.login(username="rol_pref", password=PASSWORD)

    assert client.get("/health/").json()["status"] == "ok"


def test_a_head_request_is_answered_and_a_post_is_not_allowed(db: None) -> None:
    client = Client()

    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
