"""Structured logs: one JSON object a line with the request's id and user, and nothing personal from the request."""

from __future__ import annotations

import copy
import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The project's logging configuration in JSON form, its console writing into a buffer instead of stderr."""
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    logging.config.dictConfig(config)
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    console.setStream(buffer)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def parsed(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def request_lines(buffer: io.StringIO) -> list[dict]:
    return [line for line in parsed(buffer) if line["logger"] == "fuyuan.request"]


def test_each_request_writes_one_json_line_with_who_what_and_how_long(world: World, log_lines: io.StringIO) -> None:
    client = Client()
    assert client.login(username="rol_pref", password=PASSWORD)

    response = client.get(reverse("cases:list"))

    [line] = request_lines(log_lines)
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/cases/"
    assert line["status"] == 200
    assert line["user_id"] == world.users["rol_pref"].pk
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].startswith("20") and "T" in line["time"]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32


def test_a_well_formed_incoming_request_id_is_kept_and_a_malformed_one_replaced(
    db: None, log_lines: io.StringIO
) -> None:
    client = Client()

    kept = client.get("/login/", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})
    replaced = client.get("/login/", headers={"X-Request-ID": "x\nFAKE log line"})

    assert kept["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert replaced["X-Request-ID"] != "x\nFAKE log line"
    assert [line["request_id"] for line in request_lines(log_lines)] == ["lb-7f3a9c2e-0001", replaced["X-Request-ID"]]


def test_query_strings_and_posted_values_never_reach_the_log(world: World, log_lines: io.StringIO) -> None:
    client = Client()
    client.post("/login/", {"username": "rol_pref", "password": "wrong-secret-密码"})
    assert client.login(username="rol_pref", password=PASSWORD)

    client.get(reverse("cases:list"), {"q": "张三 520101199001011234"})
    client.get("/no-such-page/", {"phone": "13800138000"})

    text = log_lines.getvalue()
    assert "520101199001011234" not in text and "张三" not in text
    assert "13800138000" not in text
    assert "wrong-secret" not in text
    assert [line["path"] for line in request_lines(log_lines)] == ["/login/", "/cases/", "/no-such-page/"]
    # Django's own line for the 404 is there, tied to the request by its id.
    [not_found] = [line for line in parsed(log_lines) if line["logger"] == "django.request"]
    assert not_found["request_id"] == request_lines(log_lines)[-1]["request_id"]


def test_an_anonymous_request_is_logged_without_a_user_and_a_missing_page_as_a_warning(
    db: None, log_lines: io.StringIO
) -> None:
    Client().get("/login/")
    client = Client()
    client.get("/static/no-such-file.css")

    first, second = request_lines(log_lines)
    assert first["user_id"] is None and first["status"] == 200
    assert second["status"] == 404 and second["level"] == "WARNING"


def test_other_log_lines_written_during_a_request_carry_its_request_id(world: World, log_lines: io.StringIO) -> None:
    from fuyuan.core import logs

    token = logs.request_id_var.set("abcdef0123456789")
    try:
        logging.getLogger("fuyuan.worker").warning("定时任务执行失败")
    finally:
        logs.request_id_var.reset(token)

    [line] = [line for line in parsed(log_lines) if line["logger"] == "fuyuan.worker"]
    assert line["request_id"] == "abcdef0123456789"
    assert line["message"] == "定时任务执行失败"


def test_the_text_format_is_one_readable_line(db: None) -> None:
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "text"
    logging.config.dictConfig(config)
    try:
        [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
        buffer = io.StringIO()
        console.setStream(buffer)
        Client().get("/login/")
    finally:
        logging.config.dictConfig(settings.LOGGING)

    [line] = [x for x in buffer.getvalue().splitlines() if "fuyuan.request" in x]
    assert "INFO fuyuan.request [" in line and "GET /login/ 200" in line
