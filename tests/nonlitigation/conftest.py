"""Non-litigation enforcement files for the tests: one decision of 都匀市自然资源局 served on 5 March 2026, whose
periods to seek reconsideration (60 days) and sue (6 months, to Saturday 5 September: Monday the 7th) have run."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.workflow import register_file
from tests.factories import World

D = datetime.date


def decision(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "decision_number": "都自然资罚〔2026〕12号",
        "decision_date": D(2026, 3, 2),
        "decision_summary": "限期拆除违法建筑并处罚款人民币二万元",
        "party_name": "张三",
        "party_id_number": "522701199001011234",
        "served_on": D(2026, 3, 5),
    }
    values.update(overrides)
    return values


@pytest.fixture
def registered(world: World, clock) -> EnforcementFile:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 25))
    return register_file(decision(), by=world.users["agency_duyun"])
