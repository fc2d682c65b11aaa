"""Demos generated once for a module's tests: a demo takes from seconds (600 cases) to a minute or more (the full
one)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import time_machine
from django.db import transaction
from pytest_django import DjangoDbBlocker

from tests.conftest import TEST_TODAY, clock_start


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """What a module fixture writes inside this stays until the module's last test, then is rolled back. Each test runs
    inside it in a transaction of its own (pytest-django's ``django_db``, a savepoint here), so nothing one test
    changes reaches the next: the tests see the same data as if each had written it itself."""
    with django_db_blocker.unblock():
        kept = transaction.atomic()
        kept.__enter__()
    try:
        yield
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
