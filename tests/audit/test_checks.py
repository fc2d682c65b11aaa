"""网络安全法 第21条: network logs are kept at least six months; a shorter setting is a configuration error."""

import pytest
from django.core.checks import run_checks


def test_a_retention_shorter_than_six_months_is_an_error(settings) -> None:
    settings.FUYUAN_AUDIT_RETENTION_DAYS = 90

    errors = [e for e in run_checks() if e.id == "fuyuan.audit.E001"]

    assert len(errors) == 1
    assert "90" in errors[0].msg and "六个月" in errors[0].msg


def test_six_months_or_more_passes(settings) -> None:
    settings.FUYUAN_AUDIT_RETENTION_DAYS = 183

    assert not [e for e in run_checks() if e.id == "fuyuan.audit.E001"]


@pytest.mark.django_db
def test_the_append_only_triggers_are_found_in_place() -> None:
    assert not [e for e in run_checks(databases=["default"]) if e.id == "fuyuan.audit.E002"]


@pytest.mark.django_db
def test_a_missing_trigger_is_a_database_error() -> None:
    from django.db import connection

    name = "audit_record_no_update" if connection.vendor == "sqlite" else "audit_record_append_only"
    drop = f"DROP TRIGGER {name}" + ("" if connection.vendor == "sqlite" else " ON audit_auditrecord")
    with connection.cursor() as cursor:
        cursor.execute(drop)  # rolled back with the test's transaction

    [error] = [e for e in run_checks(databases=["default"]) if e.id == "fuyuan.audit.E002"]
    assert name in error.msg
