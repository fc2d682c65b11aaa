"""The shared setting of the loss-risk tests: in the shared world (tests/factories.py), a history of concluded
first-instance cases in 黔南州 where 都匀市自然资源局's 行政征收 suits are mostly lost and 福泉市公安局's 行政处罚 suits
mostly not, and a few pending cases of each. The clock stands on 2026-12-02 (tests/conftest.py)."""

from __future__ import annotations

import datetime
from typing import Any

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from tests.factories import World, make_case

D = datetime.date
AS_OF = D(2026, 11, 20)
HISTORY_START = D(2025, 1, 6)


def concluded_history(world: World, n: int = 40, *, start: datetime.date = HISTORY_START) -> list[Case]:
    """``n`` concluded cases, alternating the two agencies, one every ten days from ``start``: 都匀 (行政征收) lost
    7 times in 10, 福泉 (行政处罚) once in 10."""
    o = world.orgs
    made = []
    for i in range(n):
        duyun = i % 2 == 0
        k = i // 2
        lost = (k % 10 < 7) if duyun else (k % 10 == 0)
        filed = start + datetime.timedelta(days=10 * i)
        made.append(
            make_case(
                CaseKind.LITIGATION,
                defendant=o["都匀自然资源局" if duyun else "福泉公安局"],
                court=o["都匀法院" if duyun else "福泉法院"],
                cause="levy" if duyun else "penalty",
                domain="land_expropriation" if duyun else "public_security",
                filed_on=filed,
                concluded_on=filed + datetime.timedelta(days=60),
                outcome="revoked" if lost else "claim_dismissed",
            )
        )
    return made


def pending(world: World, agency: str, **kw: Any) -> Case:
    o = world.orgs
    duyun = agency == "都匀自然资源局"
    kw.setdefault("filed_on", D(2026, 11, 2))
    kw.setdefault("cause", "levy" if duyun else "penalty")
    kw.setdefault("domain", "land_expropriation" if duyun else "public_security")
    return make_case(CaseKind.LITIGATION, defendant=o[agency], court=o["都匀法院" if duyun else "福泉法院"], **kw)
