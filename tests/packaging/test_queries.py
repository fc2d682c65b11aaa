"""Who sees which packages (SPEC §2), as a matrix of personas × packages."""

import pytest

from fuyuan.core.models import Role
from fuyuan.packaging.queries import visible_to
from tests.factories import make_user
from tests.packaging.conftest import Packaging

pytestmark = pytest.mark.django_db

# persona → (sees the 都匀 包案化解, sees the 州 包案督促)
MATRIX = {
    "rol_pref": (True, True),
    "rol_duyun": (True, False),
    "rol_fuquan": (False, False),
    "leader_pref": (True, True),
    "leader_duyun": (True, False),
    "leader_fuquan": (False, False),
    "leader_anyang": (False, False),
    "rol_anyang": (False, False),
    "court_duyun": (False, False),
    "agency_duyun": (False, False),
    "recon_pref": (False, False),
    "centre": (False, False),
    "coordinator": (False, False),
    "discipline": (False, False),
    "sysadmin": (False, False),
    "secadmin": (False, False),
    "auditadmin": (False, False),
}


@pytest.mark.parametrize(("name", "expected"), MATRIX.items())
def test_scoping_matrix(pk_world: Packaging, name: str, expected: tuple[bool, bool]) -> None:
    w = pk_world.world
    county = pk_world.package()
    prefecture = pk_world.package(
        kind="supervise", leader=w.users["leader_pref"], cases=[pk_world.fuquan_case], by=w.users["rol_pref"]
    )
    extra = {
        "leader_duyun": pk_world.leader_duyun,
        "leader_fuquan": pk_world.leader_fuquan,
        "rol_fuquan": lambda: make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=w.regions["福泉市"]),
        "leader_anyang": lambda: make_user("leader_anyang", Role.LEADER, region=w.regions["安阳市"]),
        "rol_anyang": lambda: make_user("rol_anyang", Role.RULE_OF_LAW_OFFICE, region=w.regions["安阳市"]),
    }
    user = w.users.get(name) or extra[name]
    user = user() if callable(user) else user

    seen = set(visible_to(user).values_list("pk", flat=True))

    assert (county.pk in seen, prefecture.pk in seen) == expected


def test_a_county_leader_sees_only_their_own_packages_not_a_colleagues(pk_world: Packaging) -> None:
    colleague = make_user("leader_duyun2", Role.LEADER, region=pk_world.world.regions["都匀市"])
    mine = pk_world.package()
    theirs = pk_world.package(leader=colleague)

    assert list(visible_to(pk_world.leader_duyun)) == [mine]
    assert list(visible_to(colleague)) == [theirs]


def test_an_inactive_user_sees_nothing(pk_world: Packaging) -> None:
    pk_world.package()
    office = pk_world.user("rol_pref")
    office.is_active = False
    office.save()
    assert not visible_to(office).exists()
