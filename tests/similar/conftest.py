"""Cases with 案情摘要 for the 类案检索 tests: three demolitions (two at 都匀市自然资源局, one at 福泉市公安局), an
information case, a traffic penalty, and a demolition in another prefecture (安阳)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fuyuan.cases.choices import ActType, Domain, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.similar import index
from tests.factories import World, make_case

DEMOLITION = "县自然资源局认定原告房屋为违法建筑，作出责令限期拆除决定后未经催告即组织强制拆除，原告请求确认强制拆除行为违法并赔偿损失。"
DEMOLITION_2 = "镇政府以违法建筑为由强制拆除原告养殖棚，未送达限期拆除决定，原告起诉请求确认违法并赔偿。"
DEMOLITION_3 = "原告房屋被认定为违章建筑，自然资源局强制拆除前未告知陈述申辩权利，原告请求赔偿损失。"
INFO = "原告向被告申请公开征地补偿安置方案的政府信息，被告逾期未答复，原告请求判令被告履行信息公开职责。"
TRAFFIC = (
    "交警大队以醉酒驾驶为由吊销原告机动车驾驶证，原告认为酒精检测程序违法，请求撤销处罚决定。联系电话13912345678。"
)


@pytest.fixture(autouse=True)
def fresh_ranking() -> Any:
    index.forget()
    yield
    index.forget()


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    return make_similar_cases(world)


def make_similar_cases(world: World) -> dict[str, Case]:
    o = world.orgs
    nr, police = o["都匀自然资源局"], o["福泉公安局"]
    demolition = dict(cause=ActType.COERCION, domain=Domain.LAND_EXPROPRIATION)
    return {
        "asked": make_case(defendant=nr, summary=DEMOLITION, number="（2021）黔2701行初1号", **demolition),
        "twin": make_case(
            defendant=nr, summary=DEMOLITION_2, number="（2021）黔2701行初2号", court=o["都匀法院"],
            concluded_on=datetime.date(2021, 6, 1), outcome=LitigationOutcome.CONFIRMED_ILLEGAL, **demolition,
        ),
        "cousin": make_case(defendant=police, summary=DEMOLITION_3, number="（2021）黔2702行初3号", **demolition),
        "info": make_case(
            defendant=nr, summary=INFO, number="（2021）黔2701行初4号", cause=ActType.INFORMATION,
            concluded_on=datetime.date(2021, 5, 1), outcome=LitigationOutcome.CLAIM_DISMISSED,
        ),
        "traffic": make_case(defendant=police, summary=TRAFFIC, number="（2021）黔2702行初5号", cause=ActType.PENALTY),
        "anyang": make_case(
            defendant=o["安阳市场监管局"], summary=DEMOLITION, number="（2021）豫05行初6号", court=o["安阳法院"],
            **demolition,
        ),
    }  # fmt: skip
