"""Every model change has its migration: a deployment that migrates gets exactly the schema the code expects."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_no_model_change_is_left_without_a_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits non-zero when a migration is missing
        pytest.fail(f"缺少迁移（请运行 fuyuan makemigrations）：\n{out.getvalue()} (exit {exit_.code})")
