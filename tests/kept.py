"""Records written once for a module's tests instead of once for each: a demo takes from seconds (600 cases) to a minute
or more (the full one), and a scoping matrix's world and records are read by a few hundred tests."""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import time_machine
from django.db import connection, transaction
from django.db.models import Model
from pytest_django import DjangoDbBlocker

from tests.conftest import TEST_TODAY, Clock, clock_start
from tests.factories import World, build_world, fresh

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker: DjangoDbBlocker, write: Callable[[], T]) -> Iterator[T]:
    """What ``write`` writes stays until the module's last test, then is rolled back; it yields what ``write``
    returned. Each test runs inside it in a transaction of its own (pytest-django's ``django_db``, a savepoint here),
    so nothing one test changes reaches the next: the tests see the same data as if each had written it itself.

    The foreign keys of what ``write`` wrote are checked once, here, as a commit would check them. Django checks them
    again at the end of each test (``SET CONSTRAINTS ALL IMMEDIATE`` on PostgreSQL), and PostgreSQL checks every
    check still pending in the transaction: had they been left pending, each test's check, undone with its
    savepoint, would have checked every row of the demo again (1.5 s a test for the full demo)."""
    with django_db_blocker.unblock():
        kept = transaction.atomic()
        kept.__enter__()
    try:
        with django_db_blocker.unblock():
            written = write()
            connection.check_constraints()
        yield written
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)


def on_the_test_day() -> contextlib.AbstractContextManager[Any]:
    """For a module fixture, what the autouse ``test_day`` fixture does for a test that does not take ``clock``: the
    day FUYUAN_TEST_TODAY names (``make test-week``), else the real time."""
    if os.environ.get(TEST_TODAY):
        return time_machine.travel(clock_start(), tick=True)
    return contextlib.nullcontext()


@dataclass
class KeptWorld:
    """The personas' world and a module's records, written once (``world_kept_for_the_module``); each test reads its
    own instances of them (``fresh_world``, ``records``)."""

    world: World
    keys: dict[str, int]  # the record's name in the module → its primary key

    def fresh_world(self) -> World:
        return fresh(self.world)

    def records(self, model: type[M]) -> dict[str, M]:
        by_pk = model._default_manager.in_bulk(self.keys.values())
        return {name: by_pk[pk] for name, pk in self.keys.items()}


@contextlib.contextmanager
def world_kept_for_the_module(
    django_db_blocker: DjangoDbBlocker, make: Callable[[World], dict[str, Model]], *, on: datetime.date | None = None
) -> Iterator[KeptWorld]:
    """The personas' world, built on the test day, and the records ``make`` writes in it (on the day ``on``, else on
    the test day), kept for the module's tests (``kept_for_the_module``). A test that reads them on the day ``on``
    sets its own clock there."""

    def write() -> KeptWorld:
        with on_the_test_day() if on is None else time_machine.travel(clock_start(), tick=True) as traveller:
            world = build_world()
            if on is not None:
                Clock(traveller)(on)
            return KeptWorld(world, {name: record.pk for name, record in make(world).items()})

    with kept_for_the_module(django_db_blocker, write) as kept:
        yield kept
