"""The replica router (issue 19, ``fuyuan.core.replica``): figure reads go to the ``replica`` alias, while the page after
a save reads the person's own write from the primary.

The replica here is a second database standing in for one (a second PostgreSQL database, on SQLite a second file)
with the primary's schema, and the rows the test copies into it (``replicate``): a replica that has not caught up
with the last save. What a page shows then says which database it read.
"""

from __future__ import annotations

import copy
import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fuyuan.core.models import Organisation, Region, User
from fuyuan.core.replica import PIN_COOKIE, REPLICA
from tests.cases.test_workflow import logged_in
from tests.factories import World


def copy_schema_sqlite(primary: Any, path: Path) -> None:
    primary.ensure_connection()
    with primary.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )
        statements = [row[0] for row in cursor.fetchall()]
    with sqlite3.connect(path) as replica:
        for sql in statements:
            replica.execute(sql)


def postgres_url(settings_dict: dict[str, Any], name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


@pytest.fixture(scope="module")
def replica(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The ``replica`` alias, on a database with the primary's tables and no rows, for this module's tests."""
    with django_db_blocker.unblock():
        primary = connections["default"]
        settings_dict = copy.deepcopy(primary.settings_dict)
        if primary.vendor == "sqlite":
            path = tmp_path_factory.mktemp("replica") / "replica.sqlite3"
            copy_schema_sqlite(primary, path)
            settings_dict["NAME"] = str(path)
        else:
            name = f"{settings_dict['NAME']}_replica"
            server = postgres_url(settings_dict, "postgres")
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
            dump = subprocess.run(
                ["pg_dump", "--schema-only", "--no-owner", postgres_url(settings_dict, settings_dict["NAME"])],
                capture_output=True,
                check=True,
            )
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", postgres_url(settings_dict, name)],
                input=dump.stdout,
                capture_output=True,
                check=True,
                env={**os.environ, "PGOPTIONS": ""},
            )
            settings_dict["NAME"] = name
        connections.settings[REPLICA] = settings_dict
        try:
            yield REPLICA
        finally:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
            if primary.vendor == "postgresql":
                with psycopg.connect(server, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def replicate(*models: Any) -> None:
    """The replica catches up with these tables (what replication would have copied by now)."""
    for model in models:
        model.objects.using(REPLICA).bulk_create(model.objects.using("default").order_by("pk"))


def reads_of_cases(queries: CaptureQueriesContext) -> int:
    return sum('"cases_case"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(databases=["default", REPLICA])
def test_figures_read_from_the_replica_and_the_page_after_a_save_reads_its_own_write(replica: str, world: World):
    client = logged_in("court_duyun")
    # given: the replica has the people and places but not yet the case saved below; the figures page reads it
    replicate(Region, Organisation, User)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[replica]) as on_replica,
    ):
        page = client.get(reverse("stats:figures"), {"date_from": "2021-01-01", "date_to": "2021-12-31"})
    assert page.status_code == 200
    assert reads_of_cases(on_replica) > 0 and reads_of_cases(primary) == 0
    assert filed_in_total(page) == 0
    with CaptureQueriesContext(connections[replica]) as on_replica:
        export = b"".join(client.get(reverse("cases:export")).streaming_content)
    assert export.startswith(b"PK") and reads_of_cases(on_replica) > 0  # the ledger export streams from it too

    # when: the court liaison registers a case
    saved = client.post(
        reverse("cases:create", args=["litigation"]),
        {
            "number": "（2021）黔2701行初77号",
            "instance": "first",
            "court": str(world.orgs["都匀法院"].pk),
            "defendant": str(world.orgs["都匀自然资源局"].pk),
            "filed_on": "2021-03-01",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved.cookies[PIN_COOKIE]["max-age"] == 10

    # then: for a moment their pages read the primary, which has the case
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[replica]) as on_replica,
    ):
        page = client.get(reverse("stats:figures"), {"date_from": "2021-01-01", "date_to": "2021-12-31"})
    assert reads_of_cases(primary) > 0 and len(on_replica.captured_queries) == 0
    assert filed_in_total(page) == 1


def filed_in_total(page: Any) -> int:
    """The 合计 row's 一审立案 on the figures page."""
    total = page.content.decode().split('<th scope="row">合计</th>', 1)[1]
    found = re.search(r'figure=litigation\.filed&amp;from=2021-01-01&amp;to=2021-12-31">(\d+)</a>', total)
    assert found
    return int(found.group(1))
