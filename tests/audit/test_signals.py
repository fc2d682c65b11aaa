"""Log-ins, failed log-ins, log-outs and lock-outs are audited with who, when and from where
(GB/T 22239-2019 8.1.4.3 b))."""

import json

import pytest
from django.apps import apps
from django.utils import timezone

from fuyuan.audit.models import AuditKind, AuditRecord
from tests.factories import PASSWORD, World, log_in_through_page

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130"


def _only(kind: str) -> AuditRecord:
    records = list(AuditRecord.objects.filter(kind=kind))
    assert len(records) == 1, records
    return records[0]


def test_a_log_in_is_recorded_with_who_when_and_from_where(client, world: World) -> None:
    before = timezone.now()
    client.post(
        "/login/", {"username": "court_duyun", "password": PASSWORD}, REMOTE_ADDR="10.8.0.7", HTTP_USER_AGENT=BROWSER
    )

    rec = _only(AuditKind.LOGIN)
    assert rec.actor == world.users["court_duyun"]
    assert (rec.username, rec.role, rec.ip, rec.user_agent) == ("court_duyun", "court_liaison", "10.8.0.7", BROWSER)
    assert before <= rec.at <= timezone.now()
    assert "登录" in rec.summary


def test_a_failed_log_in_records_the_username_tried_and_never_the_password(client, world: World) -> None:
    client.post("/login/", {"username": "court_duyun", "password": "Wrong-secret-123"}, REMOTE_ADDR="10.8.0.9")

    rec = _only(AuditKind.LOGIN_FAILED)
    assert (rec.username, rec.ip, rec.actor) == ("court_duyun", "10.8.0.9", None)
    assert "court_duyun" in rec.summary
    stored = json.dumps([rec.summary, rec.detail, rec.target_label], ensure_ascii=False)
    assert "Wrong-secret-123" not in stored
    assert not AuditRecord.objects.filter(kind=AuditKind.LOGIN).exists()


def test_a_failed_log_in_with_an_unknown_username_is_recorded_too(client, world: World) -> None:
    client.post("/login/", {"username": "nobody-here", "password": "x"})

    assert _only(AuditKind.LOGIN_FAILED).username == "nobody-here"


def test_a_log_out_is_recorded(client, world: World) -> None:
    log_in_through_page(client, "agency_duyun")

    client.post("/logout/")

    rec = _only(AuditKind.LOGOUT)
    assert rec.username == "agency_duyun"
    assert rec.actor == world.users["agency_duyun"]


@pytest.mark.skipif(not apps.is_installed("axes"), reason="django-axes is the identity part's lock-out")
def test_a_lock_out_is_recorded_with_the_username_locked(client, world: World, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "agency_fuquan", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")

    rec = _only(AuditKind.LOCKED_OUT)
    assert (rec.username, rec.ip) == ("agency_fuquan", "10.9.9.9")
    assert "锁定" in rec.summary


def test_the_address_comes_from_a_trusted_proxy_only(client, world: World, settings) -> None:
    settings.FUYUAN_AUDIT_TRUSTED_PROXIES = ["10.0.0.1"]
    client.post("/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    client.post("/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")

    failed = AuditRecord.objects.filter(kind=AuditKind.LOGIN_FAILED).order_by("id")
    assert list(failed.values_list("ip", flat=True)) == ["1.2.3.4", "10.0.0.2"]
