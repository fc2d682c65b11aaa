"""Two systems pushing the same new 案号 at the same moment make one case, and the list's query count does not grow
with the number of cases."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from fuyuan.cases.models import Case
from tests.api.conftest import Caller, litigation
from tests.factories import World, make_case


@pytest.mark.django_db(transaction=True)
def test_the_same_new_case_pushed_twice_at_once_is_one_case(world: World, duyun_court: Caller) -> None:
    if connection.vendor == "sqlite":
        # The in-memory test database is shared-cache SQLite, whose table locks fail a second writer at once; the
        # file database the product runs on queues writers (IMMEDIATE transactions, settings.py).
        pytest.skip("concurrent writers need PostgreSQL or a file database")
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def push() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(duyun_court.put("/api/v1/cases/", litigation()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(statuses) == [200, 201]
    assert Case.objects.filter(number="（2026）黔2701行初15号").count() == 1


def test_listing_cases_takes_the_same_queries_for_3_or_30_cases(
    world: World, duyun_court: Caller, django_assert_max_num_queries: Any
) -> None:
    o = world.orgs
    for _ in range(3):
        make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"])
    duyun_court.get("/api/v1/cases/")  # warm: the token's last use is written once a minute at most

    with django_assert_max_num_queries(12) as few:
        assert len(duyun_court.get("/api/v1/cases/").json()["results"]) == 3
    for _ in range(27):
        make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(duyun_court.get("/api/v1/cases/").json()["results"]) == 30
