"""Malformed payloads (wrong types, huge strings, bad dates, unknown labels, junk bytes) are refused with 400 and
the error body naming a field, and nothing is written: no case, no hearing, no event."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from fuyuan.hearings.models import Hearing
from tests.api.conftest import Caller, litigation

# Fields where no value of ``junk`` is valid (free text such as 原告 accepts any short text, so it is left out).
CASE_FIELDS = ["number", "kind", "defendant", "instance", "cause", "domain", "filed_on", "concluded_on", "outcome",
               "amount", "version"]  # fmt: skip

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.text(min_size=6000, max_size=6001),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "明天", "2026年2月30日", "撤销撤销", "一审 ", "\x00",
                     "\ud800", "9" * 40]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


def _settings() -> Any:
    return settings(
        max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )


def _assert_refused(response: Any) -> None:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] in {"invalid", "malformed_body"}
    assert error["message"] and error["message_en"]
    if error["code"] == "invalid":
        assert error["fields"]


def _written() -> tuple[int, int, int]:
    return Case.objects.count(), Hearing.objects.count(), Event.objects.count()


@pytest.fixture
def nothing_written() -> Any:
    before = _written()

    def check() -> None:
        assert _written() == before

    return check


def test_a_case_with_one_malformed_field_is_refused_naming_it(duyun_court: Caller) -> None:
    @_settings()
    @given(field=st.sampled_from(CASE_FIELDS), value=junk)
    def push(field: str, value: Any) -> None:
        body = litigation(concluded_on="2026-06-30", outcome="撤销")
        body[field] = value
        if field == "outcome" and value in ("撤销", "驳回诉讼请求"):
            return
        try:
            payload = json.dumps(body, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
        except UnicodeEncodeError:
            return
        before = _written()
        response = duyun_court.put("/api/v1/cases/", payload)
        if response.status_code in (200, 201):
            # Junk that is valid after all (any short text is a possible 案号): the case is then complete.
            assert response.json()["case"]["outcome"] == "撤销"
            return
        _assert_refused(response)
        if response.json()["error"]["code"] == "invalid":
            assert set(response.json()["error"]["fields"]) <= {*CASE_FIELDS, "forum", "non_field_errors"}
        assert _written() == before

    push()


def test_any_json_value_as_a_body_is_refused_without_a_server_error(duyun_court: Caller, nothing_written: Any) -> None:
    bodies = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
        max_leaves=8,
    )

    @_settings()
    @given(body=bodies, path=st.sampled_from(["/api/v1/cases/", "/api/v1/hearings/", "/api/v1/outcomes/"]))
    def push(body: Any, path: str) -> None:
        response = duyun_court.put(path, json.dumps(body, ensure_ascii=False))
        assert response.status_code in {400, 404}, response.content
        assert response.json()["error"]["message"]
        nothing_written()

    push()


def test_junk_bytes_are_a_400_with_the_error_body(duyun_court: Caller, nothing_written: Any) -> None:
    @_settings()
    @given(raw=st.binary(max_size=200))
    def push(raw: bytes) -> None:
        response = duyun_court.put("/api/v1/cases/", raw)
        assert response.status_code == 400, response.content
        assert response.json()["error"]["code"] in {"malformed_body", "invalid"}
        nothing_written()

    push()


def test_malformed_query_parameters_are_a_400_naming_them(duyun_court: Caller) -> None:
    @_settings()
    @given(
        params=st.dictionaries(
            st.sampled_from(["number", "kind", "concluded", "updated_since", "limit", "offset"]),
            st.text(max_size=30)
            | st.sampled_from(
                [
                    "-1",
                    "0",
                    "99999999999999999999",
                    "\x00",
                    "2026-02-30T00:00",
                    "0001-01-01T00:00",
                    "9999-12-31T23:59-12:00",
                ]
            ),
            min_size=1,
        )
    )
    def read(params: dict[str, str]) -> None:
        response = duyun_court.get("/api/v1/cases/", params)
        assert response.status_code in {200, 400}, response.content
        if response.status_code == 400:
            assert set(response.json()["error"]["fields"]) <= set(params)

    read()


def test_json_nested_beyond_parsing_is_a_400_and_a_huge_body_a_413(duyun_court: Caller, nothing_written: Any) -> None:
    deep = duyun_court.put("/api/v1/cases/", "[" * 100_000 + "]" * 100_000)
    huge = duyun_court.put("/api/v1/cases/", json.dumps(litigation(note="案" * 4_000_000), ensure_ascii=False))

    assert deep.status_code == 400
    assert deep.json()["error"]["code"] == "malformed_body"
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "too_large"
    nothing_written()
