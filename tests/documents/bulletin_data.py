"""The cases behind the 通报 tests: 黔南州 in November 2026 (and a year earlier, for the year-on-year change).

In November 2026:
- 都匀市 (都匀市自然资源局): 4 first-instance cases concluded, 1 lost (25.00%); 4 hearings, the head at 3 (75.00%);
  3 reconsideration applications received and concluded, 1 corrected (33.33%);
- 福泉市 (福泉市公安局): 3 concluded, 2 lost (66.67%, above the 30% threshold); 2 hearings, the head at both;
- 黔南州本级 (州人社局): 1 concluded and lost (100.00%), no hearing;
- 安阳市 (another prefecture) loses 5 cases, and 都匀 loses one in October: neither is in the 通报.
In November 2025 都匀 lost 2 of 2 (100.00%), so the loss rate fell by 100.00 − 40.00 = 60.00 points.
"""

from __future__ import annotations

import datetime

from fuyuan.cases.choices import CaseKind, LitigationOutcome, ReconsiderationOutcome
from tests.factories import World, make_case

D = datetime.date
NOV = D(2026, 11, 10)


def _litigation(world: World, org: str, lost: int, won: int, day: datetime.date = NOV) -> None:
    for i in range(lost + won):
        outcome = LitigationOutcome.REVOKED if i < lost else LitigationOutcome.CLAIM_DISMISSED
        make_case(CaseKind.LITIGATION, defendant=world.orgs[org], concluded_on=day, outcome=outcome)


def _hearings(world: World, org: str, appeared: int, absent: int) -> None:
    for i in range(appeared + absent):
        make_case(CaseKind.LITIGATION, defendant=world.orgs[org], hearing_on=NOV, head_appeared=i < appeared)


def november_2026(world: World) -> None:
    _litigation(world, "都匀自然资源局", lost=1, won=3)
    _litigation(world, "福泉公安局", lost=2, won=1)
    _litigation(world, "州人社局", lost=1, won=0)
    _litigation(world, "安阳市场监管局", lost=5, won=0)
    _litigation(world, "都匀自然资源局", lost=1, won=0, day=D(2026, 10, 31))
    _litigation(world, "都匀自然资源局", lost=2, won=0, day=D(2025, 11, 10))
    _hearings(world, "都匀自然资源局", appeared=3, absent=1)
    _hearings(world, "福泉公安局", appeared=2, absent=0)
    for i in range(3):
        outcome = ReconsiderationOutcome.REVOKED if i == 0 else ReconsiderationOutcome.UPHELD
        make_case(
            CaseKind.RECONSIDERATION,
            defendant=world.orgs["都匀自然资源局"],
            received_on=NOV,
            concluded_on=NOV,
            outcome=outcome,
        )
