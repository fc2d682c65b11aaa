"""``fuyuan risk`` against SPEC §9: keys, order, levels, the as-of day (nothing after it is used), a region with too
little history, and errors."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fuyuan.cases.models import Case
from tests.factories import World
from tests.risk.conftest import AS_OF, D, concluded_history, pending

pytestmark = pytest.mark.django_db


def _risk(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("risk", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_the_json_lists_every_pending_case_highest_first_with_the_contracts_keys(world: World) -> None:
    # given a history and pending cases, one filed after the day and one concluded the day before
    concluded_history(world)
    high = [pending(world, "都匀自然资源局") for _ in range(2)]
    low = pending(world, "福泉公安局")
    later = pending(world, "都匀自然资源局", filed_on=D(2026, 11, 25))

    # when
    result = _risk("--region", "黔南州", "--as-of", AS_OF.isoformat())

    # then
    assert set(result) == {"as_of", "cases", "backtest"}
    assert result["as_of"] == "2026-11-20"
    assert set(result["backtest"]) == {"cases", "auc", "brier"}
    assert result["backtest"]["cases"] > 0 and 0 <= result["backtest"]["brier"] <= 1
    numbers = [c["number"] for c in result["cases"]]
    assert sorted(numbers) == sorted([c.number for c in high] + [low.number])
    assert later.number not in numbers
    scores = [c["score"] for c in result["cases"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    for c in result["cases"]:
        assert set(c) == {"number", "level", "score", "reasons"}
        assert c["level"] in {"red", "orange", "yellow", "green"}
        assert c["reasons"] and all(isinstance(r, str) for r in c["reasons"])
    top, bottom = result["cases"][0], result["cases"][-1]
    assert top["number"] in {c.number for c in high} and top["level"] == "red"
    assert bottom["number"] == low.number and bottom["level"] == "green"
    assert any("行政征收（推高风险）" in r or "都匀市自然资源局此前一审结案" in r for r in top["reasons"])
    assert any("降低风险" in r for r in bottom["reasons"])


def test_nothing_after_the_as_of_day_changes_the_scores(world: World) -> None:
    # given the scores on a day
    concluded_history(world)
    case = pending(world, "都匀自然资源局")
    before = _risk("--region", "黔南州", "--as-of", AS_OF.isoformat())

    # when the case concludes after that day, later cases conclude the other way, and a hearing after the day is held
    Case.objects.filter(pk=case.pk).update(concluded_on=D(2026, 11, 28), outcome="claim_dismissed")
    for i in range(12):
        pending(world, "都匀自然资源局", filed_on=D(2026, 11, 21), concluded_on=D(2026, 11, 22 + i % 5),
                outcome="claim_dismissed")  # fmt: skip
    pending(world, "都匀自然资源局", filed_on=D(2026, 11, 1), hearing_on=D(2026, 11, 26), head_appeared=False)

    # then the same day's answer is the same for the cases pending then (the new one filed before the day included)
    after = _risk("--region", "黔南州", "--as-of", AS_OF.isoformat())
    same = {c["number"]: c for c in after["cases"]}
    for c in before["cases"]:
        assert same[c["number"]]["score"] == c["score"] and same[c["number"]]["reasons"] == c["reasons"]
    assert after["backtest"] == before["backtest"]
    assert case.number in same  # concluded after the day: still pending on it


def test_a_region_with_too_little_history_says_so_and_scores_nothing(world: World) -> None:
    concluded_history(world, n=10)
    pending(world, "都匀自然资源局")

    result = _risk("--region", "黔南州", "--as-of", AS_OF.isoformat())

    assert result["cases"] == []
    assert result["backtest"] == {"cases": 0, "auc": None, "brier": None}
    assert "历史数据不足" in result["insufficient_history"] and "至少30件" in result["insufficient_history"]

    text = io.StringIO()
    call_command("risk", "--region", "黔南州", "--as-of", AS_OF.isoformat(), stdout=text)
    assert "历史数据不足，不作评分" in text.getvalue()


def test_another_regions_history_is_not_learnt_from(world: World) -> None:
    concluded_history(world)
    pending(world, "都匀自然资源局")

    assert _risk("--region", "安阳市", "--as-of", AS_OF.isoformat())["cases"] == []
    assert len(_risk("--region", "都匀市", "--as-of", AS_OF.isoformat())["backtest"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--region", "无此地"], "未知的地区“无此地”"), (["--as-of", "2026-02-30"], "--as-of 不是有效日期")],
)
def test_bad_input_exits_with_a_one_line_reason(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("risk", *args)


def test_the_text_format_lists_levels_and_the_backtest(world: World) -> None:
    concluded_history(world)
    case = pending(world, "都匀自然资源局")
    out = io.StringIO()
    call_command("risk", "--region", "黔南州", "--as-of", datetime.date(2026, 11, 20).isoformat(), stdout=out)
    text = out.getvalue()
    assert case.number in text and "红色" in text and "回测（时间切分" in text
