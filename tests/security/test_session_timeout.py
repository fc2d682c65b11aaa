"""Session timeout (GB/T 22239-2019 8.1.4.1 b) 登录连接超时自动退出): idle for FUYUAN_SESSION_IDLE_MINUTES, at most
SESSION_COOKIE_AGE (12 h) after the log-in; a page's own polls do not keep a session alive."""

import time

import pytest
from django.conf import settings
from django.test import override_settings

from fuyuan.security.session import LOGIN_AT, SEEN
from tests.factories import log_in_through_page

pytestmark = pytest.mark.django_db

POLL = {"HTTP_X_FUYUAN_POLL": "1", "HTTP_HX_REQUEST": "true"}


def set_clock(client, **values: int) -> None:
    session = client.session
    for key, seconds_ago in values.items():
        session[{"seen": SEEN, "login_at": LOGIN_AT}[key]] = int(time.time()) - seconds_ago
    session.save()


def test_after_thirty_idle_minutes_the_next_page_goes_to_the_login_page_with_the_reason(client, world):
    log_in_through_page(client, "agency_duyun")
    set_clock(client, seen=31 * 60)

    page = client.get("/cases/", follow=True)

    assert page.redirect_chain[-1][0] == "/login/?next=/cases/"
    assert "登录已超时，请重新登录" in page.content.decode()
    assert client.get("/cases/").status_code == 302


def test_activity_within_thirty_minutes_keeps_the_session(client, world):
    log_in_through_page(client, "agency_duyun")
    set_clock(client, seen=29 * 60)
    assert client.get("/cases/").status_code == 200
    assert int(time.time()) - client.session[SEEN] < 5


@override_settings(FUYUAN_SESSION_IDLE_MINUTES=5)
def test_the_idle_time_is_a_setting(client, world):
    log_in_through_page(client, "agency_duyun")
    set_clock(client, seen=6 * 60)
    assert client.get("/cases/").status_code == 302


def test_a_poll_does_not_count_as_activity(client, world):
    log_in_through_page(client, "agency_duyun")
    set_clock(client, seen=20 * 60)
    before = client.session[SEEN]

    assert client.get("/notifications/", **POLL).status_code == 200

    assert client.session[SEEN] == before


def test_a_session_kept_open_only_by_polls_ends_and_htmx_is_sent_to_the_login_page(client, world):
    log_in_through_page(client, "agency_duyun")
    set_clock(client, seen=31 * 60)

    response = client.get("/notifications/", **POLL)

    assert response["HX-Redirect"] == "/login/"
    assert "登录已超时，请重新登录" in client.get("/login/").content.decode()


def test_a_session_ends_twelve_hours_after_the_log_in_however_active(client, world):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    log_in_through_page(client, "agency_duyun")
    set_clock(client, login_at=12 * 60 * 60 + 1, seen=10)

    page = client.get("/cases/", follow=True)

    assert page.redirect_chain[-1][0].startswith("/login/")
    assert "登录已超过 12 小时，请重新登录" in page.content.decode()


def test_the_session_key_changes_at_log_in(client, world):
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key

    log_in_through_page(client, "agency_duyun")

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_the_session_policy_costs_no_database_query_on_an_ordinary_page(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in_through_page(client, "agency_duyun")
    client.get("/deadlines/calculator/")  # warm up
    with CaptureQueriesContext(connection) as with_policy:
        assert client.get("/deadlines/calculator/").status_code == 200
    without = [m for m in settings.MIDDLEWARE if m != "fuyuan.security.middleware.SecurityPolicyMiddleware"]
    with override_settings(MIDDLEWARE=without), CaptureQueriesContext(connection) as without_policy:
        assert client.get("/deadlines/calculator/").status_code == 200

    assert len(with_policy) == len(without_policy)
