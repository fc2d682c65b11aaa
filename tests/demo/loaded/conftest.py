"""The demo ``make run`` loads into an empty database (``fuyuan demo``, 20,000 cases), generated once for every test of
this package: what it contains (``test_demo.py``), the stories its full size tells (``test_demo_full.py``) and each
role walking its pages (``test_demo_walk.py``). A demo takes a minute or more; its tests run on one worker under
``make test`` (tests/conftest.py, SHARED_SETUP), and ``make quick`` leaves them out. What depends on generating —
seeds, an empty or a populated database, the present moment — is in ``tests/demo/test_demo_generation.py``."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from tests.kept import kept_for_the_module

# A Monday: the demo's cases reach Sunday, its hearings fill the coming week, 通报 defaults to November.
NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 0))


def demo(*args: str) -> str:
    """``fuyuan demo`` with ``args``: what it printed."""
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="package")
def loaded_demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``fuyuan demo`` at ``NOW``, once for the package's tests (``kept_for_the_module``: each test sees it as if it
    had generated it itself), its files (reports, documents, compilations) in a temporary data folder; what it
    printed."""

    def generate() -> str:
        with time_machine.travel(NOW, tick=False):
            return demo()

    with (
        override_settings(DATA_DIR=tmp_path_factory.mktemp("demo")),
        kept_for_the_module(django_db_blocker, generate) as output,
    ):
        yield output
