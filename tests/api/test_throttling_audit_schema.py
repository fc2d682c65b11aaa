"""Rate limits per token, the audit record of every call, and the served OpenAPI schema."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from rest_framework.settings import api_settings

from fuyuan.api.models import ApiToken
from fuyuan.audit.models import AuditKind, AuditRecord
from tests.api.conftest import Caller, litigation
from tests.factories import World

CASES = "/api/v1/cases/"


@pytest.fixture
def three_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    from fuyuan.api.auth import TokenRateThrottle

    monkeypatch.setattr(
        TokenRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "api_token": "3/min"}
    )


def test_the_default_rate_is_120_a_minute_per_token() -> None:
    assert api_settings.DEFAULT_THROTTLE_RATES["api_token"] == "120/min"


def test_calls_beyond_the_rate_get_429_with_retry_after_and_a_bilingual_body(
    three_a_minute: None, duyun_court: Caller
) -> None:
    statuses = [duyun_court.get(CASES).status_code for _ in range(3)]
    refused = duyun_court.get(CASES)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert "请求过于频繁" in error["message"]
    assert "Too many requests" in error["message_en"]


def test_the_limit_is_per_token_so_another_system_is_not_slowed(
    three_a_minute: None, duyun_court: Caller, fuquan_court: Caller
) -> None:
    for _ in range(4):
        duyun_court.get(CASES)

    assert fuquan_court.get(CASES).status_code == 200


def test_every_call_is_audited_with_system_method_path_status_and_case_number(duyun_court: Caller) -> None:
    before = AuditRecord.objects.filter(kind=AuditKind.API).count()

    duyun_court.put(CASES, litigation())
    duyun_court.put(CASES, litigation(outcome="不存在"))

    records = list(AuditRecord.objects.filter(kind=AuditKind.API).order_by("id"))[before:]
    assert [r.detail["status"] for r in records] == [201, 400]
    first = records[0]
    assert first.detail["system"] == "都匀法院审判系统"
    assert first.detail["method"] == "PUT"
    assert first.detail["path"] == CASES
    assert first.detail["number"] == "（2026）黔2701行初15号"
    assert first.username == duyun_court.system.account.username
    assert "都匀法院审判系统 PUT /api/v1/cases/ → 201" in first.summary
    assert (first.target_type, first.target_label) == ("cases.case", "（2026）黔2701行初15号")
    assert records[1].target_type == ""  # refused: no case was touched


def test_a_refused_call_without_a_token_is_audited_too(db: None) -> None:
    Client().get(CASES)

    record = AuditRecord.objects.filter(kind=AuditKind.API).latest("id")
    assert record.detail["status"] == 401
    assert record.summary.startswith("未认证调用")


def test_the_openapi_schema_is_served_as_yaml_and_json_without_a_token(db: None) -> None:
    as_yaml = Client().get("/api/schema/")
    as_json = Client().get("/api/schema/?format=json")

    assert as_yaml.status_code == as_json.status_code == 200
    schema = as_json.json()
    assert schema["openapi"].startswith("3.")
    assert yaml.safe_load(as_yaml.content)["paths"].keys() == schema["paths"].keys()
    assert {
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/hearings/",
        "/api/v1/outcomes/",
        "/api/v1/figures/",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    figures = schema["paths"]["/api/v1/figures/"]["get"]
    assert {p["name"] for p in figures["parameters"]} == {"region", "from", "to", "by"}
    assert schema["paths"]["/api/v1/cases/"]["put"]["summary"] == "推送案件（按案号登记或更新）"


def test_the_docs_page_lists_every_endpoint_in_chinese(db: None) -> None:
    page = Client().get("/api/docs/")

    assert page.status_code == 200
    text = page.content.decode()
    for summary in ("推送案件（按案号登记或更新）", "推送开庭通知", "推送结案情况", "统计数据", "查看一件案件"):
        assert summary in text


def test_no_token_begins_with_a_dash_which_the_revoke_command_would_read_as_an_option() -> None:
    from fuyuan.api.models import TOKEN_LENGTH, new_secret

    secrets = [new_secret() for _ in range(2000)]  # with the URL-safe alphabet, about 60 would begin with - or _

    assert all(len(s) == TOKEN_LENGTH and s.isascii() and s.isalnum() for s in secrets)
    assert len(set(secrets)) == len(secrets)


def test_the_token_command_creates_a_token_shown_once_and_revokes_it(world: World, duyun_court: Caller) -> None:
    out = io.StringIO()
    call_command("api_token", "create", "--system", "都匀法院审判系统", "--days", "30", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    caller = Caller(Client(), duyun_court.system, secret)
    assert caller.get(CASES).status_code == 200

    call_command("api_token", "revoke", secret[:8], stdout=io.StringIO())

    assert caller.get(CASES).status_code == 401
    assert ApiToken.objects.get(prefix=secret[:8]).revoked_at is not None
    assert AuditRecord.objects.filter(kind=AuditKind.PERMISSION, summary__contains="吊销").exists()


def test_the_token_command_names_an_unknown_system(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未知的外部系统“无此系统”"):
        call_command("api_token", "create", "--system", "无此系统")
