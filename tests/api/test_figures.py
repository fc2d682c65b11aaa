"""The figures endpoint returns exactly ``fuyuan stats --format json`` for the same arguments (SPEC §9)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command

from fuyuan.cases.models import Case
from tests.api.conftest import Caller
from tests.factories import World, make_case

FIGURES = "/api/v1/figures/"


@pytest.fixture
def cases(world: World) -> list[Case]:
    o = world.orgs
    d = datetime.date
    return [
        make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"], filed_on=d(2026, 1, 5)),
        make_case(
            defendant=o["都匀自然资源局"], court=o["都匀法院"], filed_on=d(2026, 2, 5),
            concluded_on=d(2026, 4, 1), outcome="revoked", hearing_on=d(2026, 3, 1), head_appeared=True,
        ),
        make_case(defendant=o["福泉公安局"], court=o["福泉法院"], filed_on=d(2026, 3, 5),
                  concluded_on=d(2026, 5, 1), outcome="claim_dismissed"),
        make_case("reconsideration", defendant=o["福泉公安局"], received_on=d(2026, 2, 1),
                  concluded_on=d(2026, 3, 1), outcome="settled"),
        make_case(defendant=o["安阳市场监管局"], court=o["安阳法院"], filed_on=d(2026, 1, 9)),
    ]  # fmt: skip


def _stats(*args: str) -> dict:
    out = io.StringIO()
    call_command("stats", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("by", [None, "county", "agency", "domain", "month"])
def test_figures_equal_the_stats_command_for_the_same_region_and_window(
    cases: list[Case], pref_office: Caller, by: str | None
) -> None:
    params = {"region": "黔南州", "from": "2026-01-01", "to": "2026-12-31", **({"by": by} if by else {})}
    args = ["--region", "黔南州", "--from", "2026-01-01", "--to", "2026-12-31", *(["--by", by] if by else [])]

    response = pref_office.get(FIGURES, params)

    assert response.status_code == 200
    assert response.json() == _stats(*args)
    assert response.json()["total"]["litigation"]["filed"] == 3


def test_figures_without_a_region_count_only_the_callers_cases(cases: list[Case], duyun_court: Caller) -> None:
    body = duyun_court.get(FIGURES, {"from": "2026-01-01", "to": "2026-12-31"}).json()

    assert body["region"] is None
    assert body["total"]["litigation"]["filed"] == 2
    assert body["total"]["litigation"]["loss_rate"] == 100.0
    assert body["total"]["reconsideration"]["received"] == 0


def test_a_county_office_asking_for_the_prefecture_is_refused(cases: list[Case], duyun_office: Caller) -> None:
    response = duyun_office.get(FIGURES, {"region": "黔南州", "from": "2026-01-01", "to": "2026-12-31"})

    assert response.status_code == 403
    assert "超出您的管辖范围" in response.json()["error"]["message"]


def test_a_window_ending_before_it_starts_is_refused_naming_from(pref_office: Caller) -> None:
    response = pref_office.get(FIGURES, {"from": "2026-12-31", "to": "2026-01-01"})

    assert response.status_code == 400
    assert "晚于截止日期" in response.json()["error"]["fields"]["from"][0]


def test_missing_dates_and_an_unknown_grouping_are_each_named(pref_office: Caller) -> None:
    response = pref_office.get(FIGURES, {"by": "centre"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"from", "to", "by"}
