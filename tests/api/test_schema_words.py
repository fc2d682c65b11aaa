"""The OpenAPI schema is the deployment's (``core.deployment``): its examples and help texts name no place of the
seeds (都匀市, 黔南州, the court code 黔2701 …), and its example agency is the deployment's own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.seeds import seed_places_in

pytestmark = pytest.mark.django_db


def served_schema() -> dict[str, Any]:
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def case_example(schema: dict[str, Any]) -> dict[str, Any]:
    body = schema["paths"]["/api/v1/cases/"]["put"]["requestBody"]["content"]["application/json"]
    return body["examples"]["一审行政诉讼案件"]["value"]


@pytest.mark.parametrize("deployment", ["", "云岭州"], ids=["unnamed", "named"])
def test_the_schema_names_no_place_of_the_seeds(settings, deployment: str) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_DEPLOYMENT_NAME = deployment

    text = json.dumps(served_schema(), ensure_ascii=False)

    assert seed_places_in(text) == []


def test_the_schemas_example_agency_is_the_deployments_own(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_DEPLOYMENT_NAME = "云岭州"
    assert case_example(served_schema())["defendant"] == "云岭州自然资源局"

    settings.FUYUAN_DEPLOYMENT_NAME = ""
    assert case_example(served_schema())["defendant"] == "××县自然资源局"


def test_the_schemas_example_case_number_is_neutral() -> None:
    schema = served_schema()

    assert case_example(schema)["number"] == "（2026）×××行初15号"
    assert (
        "如（2026）×××行初15号"
        in schema["components"]["schemas"]["CaseInRequest"]["properties"]["number"]["description"]
    )
