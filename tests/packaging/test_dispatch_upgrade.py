"""Package dispatches moved onto the due obligations (issue 13 item 15): the data migration starts each active
package's obligation at the first month not yet reminded, so no month is reminded twice after the upgrade."""

from importlib import import_module

import pytest
from django.apps import apps

from fuyuan.notifications.models import Notification
from fuyuan.obligations.models import Obligation
from fuyuan.packaging.models import CasePackage
from fuyuan.packaging.workflow import DISPATCH, sweep_packages
from tests.packaging.conftest import D, Packaging, at

pytestmark = pytest.mark.django_db
upgrade = import_module("fuyuan.packaging.migrations.0002_dispatch_obligations")


def test_a_month_reminded_before_the_upgrade_is_not_reminded_again_and_the_next_one_is(pk_world: Packaging) -> None:
    # given a package reminded for April by the sweep of before, with no obligation yet
    package = pk_world.package()
    Obligation.objects.filter(kind=DISPATCH).delete()
    CasePackage.objects.filter(pk=package.pk).update(dispatch_reminded_for=D(2026, 4, 1))

    upgrade.forwards(apps, None)

    assert sweep_packages(at(D(2026, 4, 20))).reminded == 0
    assert sweep_packages(at(D(2026, 5, 1))).reminded == 1
    keys = set(Notification.objects.filter(subject="【领导包案】按月调度").values_list("dedup_key", flat=True))
    assert keys == {f"package:{package.pk}:dispatch:2026-05"}
