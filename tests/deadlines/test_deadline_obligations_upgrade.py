"""Case deadlines moved onto the due obligations (issue 13 item 15), the upgrade run for real: the deadline's own 临期
column is read into its obligation and then dropped, so nobody is told twice after the upgrade; migrating back
puts the reminders sent back onto the deadlines."""

from __future__ import annotations

import datetime

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.reminders import remind_deadlines
from fuyuan.deadlines.workflow import OBLIGATION
from fuyuan.obligations.models import Obligation, ObligationState
from tests.deadlines.test_deadline_obligations import at, defence, served_case
from tests.factories import World

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date
BEFORE = [("deadlines", "0003_accountability_and_rectification_rules")]


def migrate(targets: list[tuple[str, str]] | None = None) -> Apps:
    """The database migrated to ``targets`` (the latest when None); the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps


def test_a_deadline_warned_before_the_upgrade_is_not_warned_again_and_an_overdue_one_not_chased_again(
    world: World,
) -> None:
    # given, before the upgrade, a defence due 17 March reminded on 14 March, and another already marked 逾期
    warned = served_case(world, D(2026, 3, 2), "（2026）黔2701行初1号")
    overdue = served_case(world, D(2026, 3, 1), "（2026）黔2701行初2号")
    apps = migrate(BEFORE)
    try:
        old = apps.get_model("deadlines", "Deadline")
        old.objects.filter(pk=defence(warned).pk).update(warned_at=at(D(2026, 3, 14)))
        old.objects.filter(pk=defence(overdue).pk).update(state=DeadlineState.OVERDUE, warned_at=at(D(2026, 3, 13)))
        assert not Obligation.objects.filter(kind=OBLIGATION).exists()  # taken back onto the deadlines
    finally:
        migrate()

    # then each has its obligation with what was sent
    ob = Obligation.objects.get(kind=OBLIGATION, subject_id=defence(warned).pk)
    assert (ob.state, ob.warned_at, ob.chased_at) == (ObligationState.OPEN, at(D(2026, 3, 14)), None)
    assert ob.next_check_at == timezone.make_aware(datetime.datetime(2026, 3, 18))
    late = Obligation.objects.get(kind=OBLIGATION, subject_id=defence(overdue).pk)
    assert late.chased_at is not None and late.next_check_at is None
    # and the sweep after the upgrade reminds neither again and chases only the one not yet chased
    assert remind_deadlines(at(D(2026, 3, 15))).warned == 0
    assert remind_deadlines(at(D(2026, 3, 18))).overdue == 1
    assert Deadline.objects.get(pk=defence(warned).pk).state == DeadlineState.OVERDUE
