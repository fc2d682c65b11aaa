"""The risk-notice figures: each count, the loss share, by agency and by month, and that the notices behind each
number are exactly those counted."""

from __future__ import annotations

import pytest

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.workflow import update_case
from fuyuan.consultation import figures as fig
from fuyuan.consultation.choices import Answer
from fuyuan.consultation.queries import visible_to
from fuyuan.consultation.workflow import answer_notice
from fuyuan.core.models import Role
from tests.consultation.conftest import D, notice_on, pending_case
from tests.factories import World, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    """In November, four notices to 都匀市自然资源局: corrected and withdrawn (resolved), settled and still pending,
    defended and lost, unanswered and overdue; in December one to 福泉市公安局, defended and dismissed."""
    o, u = world.orgs, world.users
    court_fuquan = make_user("court_fuquan", Role.COURT_LIAISON, org=o["福泉法院"])
    court, agency = u["court_duyun"], u["agency_duyun"]

    def case_with(answer: str | None, outcome: str | None, *, fuquan: bool = False) -> None:
        if fuquan:
            c = pending_case(world, court=o["福泉法院"], defendant=o["福泉公安局"])
            n = notice_on(c, world, by=court_fuquan)
        else:
            c = pending_case(world)
            n = notice_on(c, world)
        if answer:
            answer_notice(n, answer=answer, text="答复", by=u["agency_fuquan"] if fuquan else agency)
        if outcome:
            update_case(c, {"concluded_on": clock.today, "outcome": outcome}, by=court_fuquan if fuquan else court)

    clock(D(2026, 11, 10))
    case_with(Answer.CORRECT, LitigationOutcome.WITHDRAWN_AFTER_CHANGE)
    case_with(Answer.SETTLE, None)
    case_with(Answer.DEFEND, LitigationOutcome.REVOKED)
    case_with(None, None)
    clock(D(2026, 12, 2))
    case_with(Answer.DEFEND, LitigationOutcome.CLAIM_DISMISSED, fuquan=True)


def test_the_figures_count_answers_resolutions_and_the_share_followed_by_a_loss(world: World, sent: None) -> None:
    notices = visible_to(world.users["rol_pref"])
    result = fig.compute(notices, D(2026, 11, 1), D(2026, 12, 31), "agency", D(2026, 12, 2))
    assert result.total.counts == {
        "sent": 5, "answered": 4, "correct": 1, "settle": 1, "defend": 2, "overdue": 1,
        "resolved": 1, "concluded": 3, "lost": 1,
    }  # fmt: skip
    assert result.total.loss_share == 33.33
    duyun, fuquan = result.rows
    assert (duyun.label, duyun.counts["sent"], duyun.counts["resolved"], duyun.loss_share) == (
        "都匀市自然资源局",
        4,
        1,
        50.0,
    )
    assert (fuquan.label, fuquan.counts["lost"], fuquan.loss_share) == ("福泉市公安局", 0, 0.0)


def test_by_month_each_row_has_its_month_s_notices(world: World, sent: None) -> None:
    notices = visible_to(world.users["rol_pref"])
    result = fig.compute(notices, D(2026, 11, 1), D(2026, 12, 31), "month", D(2026, 12, 2))
    assert [(r.key, r.label, r.counts["sent"]) for r in result.rows] == [
        ("2026-11", "2026年11月", 4),
        ("2026-12", "2026年12月", 1),
    ]


@pytest.mark.parametrize(
    "figure", ["sent", "answered", "correct", "settle", "defend", "overdue", "resolved", "concluded", "lost"]
)
def test_the_notices_behind_each_number_are_those_counted(world: World, sent: None, figure: str) -> None:
    notices = visible_to(world.users["rol_pref"])
    window = (D(2026, 11, 1), D(2026, 12, 31))
    result = fig.compute(notices, *window, "agency", D(2026, 12, 2))
    assert fig.notices_behind(notices, figure, *window, D(2026, 12, 2)).count() == result.total.counts[figure]
    for row in result.rows:
        behind = fig.notices_behind(notices, figure, *window, D(2026, 12, 2), agency=row.key)
        assert behind.count() == row.counts[figure]


def test_an_agency_sees_only_its_own_figures(world: World, sent: None) -> None:
    result = fig.compute(
        visible_to(world.users["agency_fuquan"]), D(2026, 11, 1), D(2026, 12, 31), "agency", D(2026, 12, 2)
    )
    assert result.total.counts["sent"] == 1


def test_a_month_s_number_opens_that_month_s_notices(world: World, sent: None) -> None:
    notices = visible_to(world.users["rol_pref"])
    window = (D(2026, 11, 1), D(2026, 12, 31))
    assert fig.notices_behind(notices, "sent", *window, D(2026, 12, 2), month="2026-11").count() == 4
    assert fig.notices_behind(notices, "lost", *window, D(2026, 12, 2), month="2026-12").count() == 0
