"""``fuyuan stats`` (SPEC §9): JSON keys exactly as the contract, a readable table, one-line errors."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fuyuan.cases.choices import AbsenceReason, CaseKind, LitigationOutcome
from tests.factories import World, make_case

D = datetime.date
LITIGATION_KEYS = ["filed", "concluded", "lost", "loss_rate", "hearings", "head_appeared", "appearance_rate"]
RECONSIDERATION_KEYS = [
    "received",
    "accepted",
    "rejected",
    "concluded",
    "corrected",
    "correction_rate",
    "mediated",
    "mediation_rate",
]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def cases(world: World) -> World:
    for org, outcome in [("都匀自然资源局", LitigationOutcome.REVOKED), ("福泉公安局", LitigationOutcome.WITHDRAWN)]:
        make_case(CaseKind.LITIGATION, defendant=world.orgs[org], concluded_on=D(2021, 4, 1), outcome=outcome)
    make_case(CaseKind.LITIGATION, defendant=world.orgs["安阳市场监管局"], court=world.orgs["安阳法院"])
    make_case(CaseKind.RECONSIDERATION, defendant=world.orgs["福泉公安局"])
    return world


def test_json_has_exactly_the_keys_of_the_contract(cases: World) -> None:
    data = json.loads(
        _run("--region", "黔南州", "--from", "2021-01-01", "--to", "2021-08-31", "--by", "county", "--format", "json")
    )

    assert list(data) == ["region", "from", "to", "total", "rows"]
    assert (data["region"], data["from"], data["to"]) == ("黔南州", "2021-01-01", "2021-08-31")
    assert list(data["total"]) == ["litigation", "reconsideration"]
    assert list(data["total"]["litigation"]) == LITIGATION_KEYS
    assert list(data["total"]["reconsideration"]) == RECONSIDERATION_KEYS
    assert data["total"]["litigation"]["loss_rate"] == 50.0
    assert [row["key"] for row in data["rows"]] == ["都匀市", "福泉市"]
    assert list(data["rows"][0]) == ["key", "litigation", "reconsideration"]


def test_without_region_or_grouping_everything_is_counted_and_rows_are_empty(cases: World) -> None:
    data = json.loads(_run("--from", "2021-01-01", "--to", "2021-08-31", "--format", "json"))

    assert data["region"] is None
    assert data["rows"] == []
    assert data["total"]["litigation"]["filed"] == 3
    assert data["total"]["reconsideration"]["correction_rate"] is None


def test_text_output_is_a_chinese_table_with_numerators_and_denominators(cases: World) -> None:
    text = _run("--region", "黔南州", "--from", "2021-01-01", "--to", "2021-08-31", "--by", "county")

    assert "败诉率 50.00%（1/2）" in text
    assert "被纠错率 —（0/0）" in text
    assert "县(市、区)：福泉市" in text


def _appearances(world: World) -> None:
    """Four first-instance hearings in 都匀: spoke, silent, lawful absence, absence without a reason."""
    org = world.orgs["都匀自然资源局"]
    on = D(2021, 4, 2)
    make_case(CaseKind.LITIGATION, defendant=org, hearing_on=on, head_appeared=True, head_spoke=True)
    make_case(CaseKind.LITIGATION, defendant=org, hearing_on=on, head_appeared=True, head_spoke=False)
    make_case(
        CaseKind.LITIGATION,
        defendant=org,
        hearing_on=on,
        head_appeared=False,
        head_absence_reason=AbsenceReason.FORCE_MAJEURE,
    )
    make_case(CaseKind.LITIGATION, defendant=org, hearing_on=on, head_appeared=False)


@pytest.mark.parametrize("by", [None, "county", "agency", "domain", "month"])
def test_json_keys_are_the_contract_whatever_the_grouping_and_the_appearance_data(cases: World, by: str | None) -> None:
    _appearances(cases)
    args = ["--from", "2021-01-01", "--to", "2021-08-31", "--format", "json"] + (["--by", by] if by else [])

    data = json.loads(_run(*args))

    contract = {"litigation": LITIGATION_KEYS, "reconsideration": RECONSIDERATION_KEYS}
    assert {section: list(keys) for section, keys in data["total"].items()} == contract
    assert data["total"]["litigation"]["appearance_rate"] == 50.0
    for row in data["rows"]:
        assert list(row) == ["key", "litigation", "reconsideration"]
        assert {section: list(row[section]) for section in contract} == contract
    assert (by is None) == (data["rows"] == [])


def test_text_output_adds_the_due_appearance_and_speaking_rates(cases: World) -> None:
    _appearances(cases)

    text = _run("--region", "黔南州", "--from", "2021-01-01", "--to", "2021-08-31", "--by", "county")

    assert "负责人出庭应诉率 50.00%（2/4）" in text
    assert "应出庭 3  应出尽出率 66.67%（2/3）" in text
    assert "出声 1  出声率 50.00%（1/2）" in text


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--region", "火星", "--from", "2021-01-01", "--to", "2021-08-31"], "未知的地区"),
        (["--from", "2021-02-30", "--to", "2021-08-31"], "日期“2021-02-30”无效"),
        (["--from", "2021-09-01", "--to", "2021-08-31"], "晚于截止日期"),
        (["--from", "2021-01-01", "--to", "2021-08-31", "--by", "week"], "未知的分组方式"),
    ],
)
def test_bad_arguments_exit_with_a_one_line_chinese_reason(cases: World, args: list[str], reason: str) -> None:
    with pytest.raises(CommandError, match=reason) as error:
        _run(*args)

    assert "\n" not in str(error.value)


def test_the_fuyuan_command_exits_non_zero_on_error(db: None) -> None:
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["fuyuan", "stats", "--from", "2021-13-01", "--to", "2021-12-31"]).execute()

    assert exit_info.value.code != 0
