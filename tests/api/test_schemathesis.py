"""schemathesis against the served OpenAPI schema: every operation, valid and malformed input, with a valid token.

No call may end in a server error, and responses must match the schema; afterwards every case in the database is
complete (nothing half-written by a refused request). Bounded and deterministic: a fixed number of examples per
operation, derandomised, so the file runs in well under a minute on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fuyuan.api.auth import TokenRateThrottle
from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.core.models import Event
from tests.api.conftest import make_caller
from tests.factories import World, make_case

# The WSGI application the servers run; fuyuan.wsgi adds only the start-up key check, which reads the database when
# imported (tests/core/test_make_run.py tests it).
application = get_wsgi_application()


@pytest.fixture
def token(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # The WSGI handler closes "old" connections around each request; inside the test's transaction that would
    # close the test's own connection (Django's test client disconnects the same receivers).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api_token": "100000/min"})
    make_case(number="（2026）黔2701行初1号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])
    caller = make_caller(world, "都匀法院审判系统", "court", world.orgs["都匀法院"])
    try:
        yield caller.token
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 12


def test_no_operation_answers_with_a_server_error_or_off_schema(token: str) -> None:
    api_schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 6
    calls: list[int] = []

    for operation in operations:
        strategies = [
            *api_schema.get_strategies_from_examples(operation),
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]

        @given(case=st.one_of(strategies))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION * 2,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
            calls.append(response.status_code)
            _every_case_is_complete()

        call()

    # The run reached the workflows, not only the validation: some calls succeeded, some were refused.
    assert any(code < 300 for code in calls)
    assert any(code == 400 for code in calls)


def _every_case_is_complete() -> None:
    """What a refused request must never leave behind: a case missing what its kind requires, or without the
    event of its registration."""
    for case in Case.objects.select_related("defendant"):
        assert case.region_id == case.defendant.region_id
        assert (case.concluded_on is None) == (case.outcome == "")
        if case.kind == CaseKind.LITIGATION:
            assert case.court_id and case.instance and case.filed_on
        else:
            assert case.reconsideration_body_id and case.received_on
        if case.number != "（2026）黔2701行初1号":
            assert Event.objects.filter(object_id=case.pk, action="registered").exists()
