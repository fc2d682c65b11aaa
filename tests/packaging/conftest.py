import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import Role, User
from fuyuan.packaging.models import CasePackage
from fuyuan.packaging.workflow import create_package
from tests.factories import World, make_case, make_user

D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


START = at(D(2026, 3, 2))


@dataclass
class Packaging:
    world: World
    leader_duyun: User
    leader_fuquan: User
    duyun_cases: list[Case]
    fuquan_case: Case

    def user(self, name: str) -> User:
        return self.world.users[name]

    def package(self, **kw: object) -> CasePackage:
        """都匀市's two cases packaged to 都匀市's leader by the 都匀 依法治办 on 2 March 2026, due 30 June."""
        kw.setdefault("kind", "resolve")
        kw.setdefault("leader", self.leader_duyun)
        kw.setdefault("cases", self.duyun_cases)
        kw.setdefault("goal", "组织专班协商化解，促成原告撤诉")
        kw.setdefault("due_on", D(2026, 6, 30))
        kw.setdefault("by", self.user("rol_duyun"))
        kw.setdefault("now", START)
        return create_package(**kw)  # type: ignore[arg-type]


@pytest.fixture
def pk_world(world: World) -> Packaging:
    leader_duyun = make_user("leader_duyun", Role.LEADER, region=world.regions["都匀市"])
    leader_duyun.full_name = "都匀市李副市长"
    leader_duyun.save()
    leader_fuquan = make_user("leader_fuquan", Role.LEADER, region=world.regions["福泉市"])
    world.users["leader_pref"].full_name = "州王副州长"
    world.users["leader_pref"].save()
    duyun = [
        make_case(
            number=f"（2026）黔2701行初{n}号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"]
        )
        for n in (11, 12)
    ]
    fuquan = make_case(number="（2026）黔2702行初7号", defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"])
    return Packaging(world, leader_duyun, leader_fuquan, duyun, fuquan)
