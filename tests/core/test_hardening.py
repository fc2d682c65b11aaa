"""Deployment hardening (issue 7 §7): Django's deployment checklist is clean in the production environment, the
cookies and security headers are what a prefecture's deployment needs, development on http://127.0.0.1 keeps
working, and the error pages speak Chinese without showing a stack trace."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from tests.factories import World

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "fuyuan" / "settings.py"
PRODUCTION = {
    "FUYUAN_DEBUG": "0",
    "FUYUAN_SECRET_KEY": "k3P9x-Qm2vR7tL0wZ8nB4cF6hJ1sD5gA9eY3uI7oP2qW6rT0yU4iO8pL1kJ5hG3f",
    "FUYUAN_ALLOWED_HOSTS": "fuyuan.example.gov.cn",
    "FUYUAN_HTTPS": "1",
    # the personal-data keys, kept apart from SECRET_KEY in production (fuyuan.core.crypto)
    "FUYUAN_FIELD_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "FUYUAN_INDEX_KEY": "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
}
HARDENING = (
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "ALLOWED_HOSTS",
    "SILENCED_SYSTEM_CHECKS",
    "CSRF_TRUSTED_ORIGINS",
)
ENVIRONMENT = (
    *PRODUCTION,
    "FUYUAN_HSTS_SECONDS",
    "FUYUAN_HSTS_PRELOAD",
    "FUYUAN_BEHIND_PROXY",
    "FUYUAN_CSRF_TRUSTED_ORIGINS",
)


def settings_under(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """fuyuan/settings.py evaluated afresh in the environment ``env`` (and nothing else of ours)."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(SETTINGS))
    return {name: values[name] for name in (*HARDENING, "SECURE_PROXY_SSL_HEADER") if name in values}


def test_the_deployment_checklist_has_no_warning_in_the_production_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUYUAN_", "DJANGO_"))}
    env.update(PRODUCTION, FUYUAN_DATA_DIR=str(tmp_path))
    fuyuan = Path(sys.executable).with_name("fuyuan")

    result = subprocess.run(
        [str(fuyuan), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checklist_warns_when_https_is_not_turned_on(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUYUAN_", "DJANGO_"))}
    env.update(PRODUCTION, FUYUAN_DATA_DIR=str(tmp_path), FUYUAN_HTTPS="0")

    result = subprocess.run(
        [str(Path(sys.executable).with_name("fuyuan")), "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_production_marks_the_cookies_secure_and_asks_browsers_for_https_for_a_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = settings_under(monkeypatch, **PRODUCTION)

    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_HSTS_PRELOAD"] is False and "security.W021" in s["SILENCED_SYSTEM_CHECKS"]
    assert "SECURE_PROXY_SSL_HEADER" not in s  # X-Forwarded-Proto is trusted only when asked for


def test_make_run_on_plain_http_has_debug_off_and_sets_no_secure_flag_and_no_redirect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = settings_under(monkeypatch)

    assert s["DEBUG"] is False
    assert settings_under(monkeypatch, FUYUAN_DEBUG="1")["DEBUG"] is True  # make dev
    assert not (s["SESSION_COOKIE_SECURE"] or s["CSRF_COOKIE_SECURE"] or s["SECURE_SSL_REDIRECT"])
    assert s["SECURE_HSTS_SECONDS"] == 0


def test_the_proxy_header_and_hsts_preload_are_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_under(monkeypatch, **PRODUCTION, FUYUAN_BEHIND_PROXY="1", FUYUAN_HSTS_PRELOAD="1")

    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["SECURE_HSTS_PRELOAD"] is True and "security.W021" not in s["SILENCED_SYSTEM_CHECKS"]


def production_client(monkeypatch: pytest.MonkeyPatch, **extra: str) -> tuple[Client, dict[str, Any]]:
    s = settings_under(monkeypatch, **PRODUCTION, **extra)
    s.pop("SILENCED_SYSTEM_CHECKS")
    return Client(enforce_csrf_checks=True, HTTP_HOST="fuyuan.example.gov.cn"), s


def test_in_production_plain_http_is_redirected_and_https_answers_with_hsts_and_secure_cookies(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, s = production_client(monkeypatch)
    with override_settings(**s):
        redirected = client.get("/login/")
        page = client.get("/login/", secure=True)

    assert redirected.status_code == 301 and redirected["Location"] == "https://fuyuan.example.gov.cn/login/"
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = page.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_in_production_a_health_probe_over_plain_http_is_answered_not_redirected(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, s = production_client(monkeypatch)
    with override_settings(**s):
        probe = client.get("/health/")

    assert probe.status_code in (200, 503) and probe["Content-Type"].startswith("application/json")


def test_behind_the_proxy_its_https_header_is_believed(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client, s = production_client(monkeypatch, FUYUAN_BEHIND_PROXY="1")
    with override_settings(**s):
        page = client.get("/login/", headers={"X-Forwarded-Proto": "https"})

    assert page.status_code == 200


def test_in_production_a_post_from_another_site_is_refused_even_with_a_token(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, s = production_client(monkeypatch)
    with override_settings(**s):
        client.get("/login/", secure=True)
        token = client.cookies["csrftoken"].value
        data = {"username": "agency_duyun", "password": "Fuyuan-test-2026", "csrfmiddlewaretoken": token}
        foreign = client.post("/login/", data, secure=True, headers={"Origin": "https://evil.example.com"})
        own = client.post("/login/", data, secure=True, headers={"Origin": "https://fuyuan.example.gov.cn"})

    assert foreign.status_code == 403 and "请求未被接受" in foreign.content.decode()
    assert own.status_code == 302


def test_a_proxy_renaming_the_host_is_handled_by_trusting_the_public_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_under(monkeypatch, **PRODUCTION, FUYUAN_CSRF_TRUSTED_ORIGINS="https://fuyuan.example.gov.cn")

    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://fuyuan.example.gov.cn"]
    assert settings_under(monkeypatch, **PRODUCTION)["CSRF_TRUSTED_ORIGINS"] == []


def test_the_session_cookie_is_http_only_and_same_site_lax(world: World) -> None:
    client = Client()

    client.post("/login/", {"username": "agency_duyun", "password": "Fuyuan-test-2026"})

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_every_page_forbids_framing_sniffing_and_leaking_its_address(world: World) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])

    response = client.get("/cases/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# Error pages, through a URLconf that adds views failing in each way in front of the site's own.
def _bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("crafted input")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("销账本仅供依法治办、领导、发出建议的单位和被建议单位查看")


def _crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: SELECT * FROM core_user")


urlpatterns = [
    path("boom/400/", _bad_request),
    path("boom/403/", _forbidden),
    path("boom/500/", _crash),
    path("", include("fuyuan.urls")),
]

ERROR_PAGES = [
    ("/boom/400/", 400, "请求有误"),
    ("/boom/403/", 403, "无权访问"),
    ("/no-such-page/", 404, "页面不存在"),
    ("/boom/500/", 500, "系统出错"),
]


@pytest.mark.urls("tests.core.test_hardening")
@pytest.mark.parametrize(("url", "status", "heading"), ERROR_PAGES)
def test_error_pages_speak_chinese_and_show_no_stack_trace(
    world: World, settings, url: str, status: int, heading: str
) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(world.users["agency_duyun"])

    response = client.get(url)

    assert response.status_code == status
    text = response.content.decode()
    assert heading in text and "首页" in text
    for leak in ("Traceback", "secret internals", "SELECT", "crafted input", 'File "', "settings.py"):
        assert leak not in text


@pytest.mark.urls("tests.core.test_hardening")
def test_the_forbidden_page_says_why_in_the_words_of_the_refusal(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    client = Client()
    client.force_login(world.users["agency_duyun"])

    response = client.get("/boom/403/")

    assert "销账本仅供依法治办、领导、发出建议的单位和被建议单位查看" in response.content.decode()


def test_the_500_page_renders_in_the_sites_layout_without_a_database_or_a_request_context() -> None:
    # No database access is allowed in this test: a page that queried would fail it.
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/boom/500/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错（500）" in page and "府院联动" in page and 'data-testid="error-page"' in page
    assert "/static/fuyuan/site.css" in page and "/static/vendor/bootstrap.min.css" in page
