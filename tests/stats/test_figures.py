"""The figures of SPEC §4/§9, counted over cases built with the factories."""

from __future__ import annotations

import datetime

import pytest

from fuyuan.cases.choices import (
    AbsenceReason,
    Acceptance,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
)
from fuyuan.cases.models import Case
from fuyuan.core.models import RegionLevel
from fuyuan.stats import figures
from fuyuan.stats.figures import FIGURE_KEYS, MEASURES, cases_behind, compute, rate, year_on_year
from tests.factories import World, make_case, make_org, make_region

D = datetime.date
FROM, TO = D(2021, 1, 1), D(2021, 8, 31)
LIT, REC = CaseKind.LITIGATION, CaseKind.RECONSIDERATION


def _lit(world: World, org: str = "都匀自然资源局", **kw: object) -> Case:
    return make_case(LIT, defendant=world.orgs[org], **kw)


def _rec(world: World, org: str = "都匀自然资源局", **kw: object) -> Case:
    return make_case(REC, defendant=world.orgs[org], **kw)


def _sample(world: World) -> None:
    """A small mix across counties, kinds, dates and outcomes."""
    _lit(world, filed_on=D(2020, 11, 1), concluded_on=D(2021, 1, 1), outcome=LitigationOutcome.REVOKED)
    _lit(world, filed_on=D(2021, 2, 1), concluded_on=D(2021, 8, 31), outcome=LitigationOutcome.WITHDRAWN)
    _lit(world, "福泉公安局", filed_on=D(2021, 3, 1), hearing_on=D(2021, 4, 2), head_appeared=True)
    _lit(world, "福泉公安局", filed_on=D(2021, 3, 5), hearing_on=D(2021, 5, 2), head_appeared=False)
    _lit(world, "州人社局", filed_on=D(2020, 9, 1), concluded_on=D(2020, 12, 31), outcome=LitigationOutcome.VARIED)
    _lit(world, instance=Instance.SECOND, filed_on=D(2021, 3, 1), concluded_on=D(2021, 4, 1), outcome="revoked")
    _rec(world, received_on=D(2020, 12, 1), concluded_on=D(2021, 2, 1), outcome=ReconsiderationOutcome.REVOKED)
    _rec(world, received_on=D(2021, 3, 1), concluded_on=D(2021, 5, 1), outcome=ReconsiderationOutcome.SETTLED)
    _rec(world, "福泉公安局", received_on=D(2021, 4, 1), acceptance=Acceptance.REJECTED)
    _rec(world, "福泉公安局", received_on=D(2021, 6, 1), acceptance=Acceptance.PENDING, domain=Domain.PUBLIC_SECURITY)
    _lit(world, "安阳市场监管局", court=world.orgs["安阳法院"], filed_on=D(2021, 3, 1))


def test_each_measure_is_counted_by_its_own_date_within_an_inclusive_window(world: World) -> None:
    _sample(world)

    total = compute(Case.objects.all(), FROM, TO)["total"]

    assert total["litigation"] == {
        "filed": 4,
        "concluded": 2,
        "lost": 1,
        "loss_rate": 50.0,
        "hearings": 2,
        "head_appeared": 1,
        "appearance_rate": 50.0,
    }
    assert total["reconsideration"] == {
        "received": 3,
        "accepted": 1,
        "rejected": 1,
        "concluded": 2,
        "corrected": 1,
        "correction_rate": 50.0,
        "mediated": 1,
        "mediation_rate": 50.0,
    }


def test_a_window_one_day_short_at_either_end_drops_the_cases_on_its_edges(world: World) -> None:
    _sample(world)

    total = compute(Case.objects.all(), D(2021, 1, 2), D(2021, 8, 30))["total"]

    assert total["litigation"]["concluded"] == 0
    assert total["litigation"]["loss_rate"] is None


def test_second_instance_cases_are_never_counted(world: World) -> None:
    _lit(world, instance=Instance.SECOND, filed_on=D(2021, 3, 1), hearing_on=D(2021, 3, 9), head_appeared=True)

    total = compute(Case.objects.all(), FROM, TO)["total"]["litigation"]

    assert (total["filed"], total["hearings"], total["head_appeared"]) == (0, 0, 0)


def test_a_region_includes_its_subtree_and_nothing_else(world: World) -> None:
    _sample(world)
    pref = world.regions["黔南州"]

    inside = compute(Case.objects.filter(region__path__startswith=pref.path), FROM, TO)["total"]
    duyun = world.regions["都匀市"]
    county = compute(Case.objects.filter(region__path__startswith=duyun.path), FROM, TO)["total"]

    assert inside["litigation"]["filed"] == 3
    assert county["litigation"]["filed"] == 1
    assert county["reconsideration"]["received"] == 1


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(110, 506, 21.74), (14, 169, 8.28), (76, 169, 44.97), (275, 363, 75.76), (1, 8, 12.5), (1, 200, 0.5)],
)
def test_rates_are_percentages_rounded_half_up_to_two_decimals(numerator: int, denominator: int, shown: float) -> None:
    assert rate(numerator, denominator) == shown


def test_a_rate_with_nothing_to_divide_by_is_null(db: None) -> None:
    total = compute(Case.objects.all(), FROM, TO)["total"]

    assert rate(0, 0) is None
    assert [total["litigation"]["loss_rate"], total["litigation"]["appearance_rate"]] == [None, None]
    assert [total["reconsideration"]["correction_rate"], total["reconsideration"]["mediation_rate"]] == [None, None]


def test_rows_by_county_are_in_tree_order_and_add_up_to_the_total(world: World) -> None:
    _sample(world)
    _lit(world, "州人社局", filed_on=D(2021, 6, 1))

    result = compute(Case.objects.all(), FROM, TO, by="county")

    assert [row["key"] for row in result["rows"]] == ["黔南州", "都匀市", "福泉市", "安阳市"]
    fuquan = result["rows"][2]
    assert fuquan["litigation"]["hearings"] == 2
    assert fuquan["reconsideration"]["rejected"] == 1
    assert sum(row["litigation"]["filed"] for row in result["rows"]) == result["total"]["litigation"]["filed"]


def test_rows_by_agency_and_by_domain_name_the_agency_and_the_domain(world: World) -> None:
    _sample(world)

    agencies = compute(Case.objects.all(), FROM, TO, by="agency")["rows"]
    domains = compute(Case.objects.all(), FROM, TO, by="domain")["rows"]

    assert {row["key"] for row in agencies} == {"都匀市自然资源局", "福泉市公安局", "安阳市市场监督管理局"}
    assert {row["key"]: row["reconsideration"]["received"] for row in domains} == {"公安": 1, "未填写": 2}


def test_rows_by_month_count_each_measure_in_the_month_of_its_own_date(world: World) -> None:
    _lit(world, filed_on=D(2021, 1, 15), concluded_on=D(2021, 3, 2), outcome=LitigationOutcome.REVOKED)

    rows = compute(Case.objects.all(), FROM, TO, by="month")["rows"]

    assert [row["key"] for row in rows] == ["2021-01", "2021-03"]
    assert (rows[0]["litigation"]["filed"], rows[0]["litigation"]["concluded"]) == (1, 0)
    assert (rows[1]["litigation"]["filed"], rows[1]["litigation"]["lost"]) == (0, 1)


def test_the_cases_behind_every_measure_are_as_many_as_the_figure(world: World) -> None:
    _sample(world)
    counts = figures.table(Case.objects.all(), FROM, TO)["counts"]

    for name in MEASURES:
        assert cases_behind(Case.objects.all(), name, FROM, TO).count() == counts[name], name
    assert set(counts) == set(MEASURES)


def test_an_unknown_measure_is_refused(db: None) -> None:
    with pytest.raises(KeyError):
        cases_behind(Case.objects.all(), "litigation.nonsense", FROM, TO)


def test_the_number_of_queries_does_not_grow_with_cases_or_keys(
    world: World, django_assert_max_num_queries: object
) -> None:
    _sample(world)
    for n in range(5):
        _lit(world, "州人社局", filed_on=D(2021, 2, n + 1), domain=Domain.choices[n][0])

    with django_assert_max_num_queries(6):  # type: ignore[operator]
        compute(Case.objects.all(), FROM, TO, by="county")
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        compute(Case.objects.all(), FROM, TO, by="month")


def test_year_on_year_gives_the_change_of_each_rate_in_percentage_points(world: World) -> None:
    _lit(world, filed_on=D(2020, 1, 5), concluded_on=D(2020, 3, 1), outcome=LitigationOutcome.REVOKED)
    _lit(world, filed_on=D(2021, 1, 5), concluded_on=D(2021, 3, 1), outcome=LitigationOutcome.REVOKED)
    _lit(world, filed_on=D(2021, 1, 6), concluded_on=D(2021, 3, 2), outcome=LitigationOutcome.CLAIM_DISMISSED)
    _lit(world, filed_on=D(2021, 1, 7), concluded_on=D(2021, 3, 3), outcome=LitigationOutcome.CLAIM_DISMISSED)

    yoy = year_on_year(Case.objects.all(), FROM, TO)

    assert (yoy["from"], yoy["to"]) == (D(2020, 1, 1), D(2020, 8, 31))
    assert yoy["total"]["litigation"]["loss_rate"] == 100.0
    assert yoy["change"]["loss_rate"] == -66.67
    assert yoy["change"]["correction_rate"] is None


def test_county_rows_follow_the_tree_even_when_ids_gain_a_digit(world: World) -> None:
    pref = world.regions["黔南州"]
    names = [f"第{i}县" for i in range(12)]
    for name in names:
        county = make_region(name, RegionLevel.COUNTY, pref)
        make_case(LIT, defendant=make_org(f"{name}公安局", county), filed_on=D(2021, 2, 1))

    rows = compute(Case.objects.all(), FROM, TO, by="county")["rows"]

    assert [row["key"] for row in rows] == names


def test_a_withdrawal_after_the_agency_changed_its_act_is_counted_apart_and_is_not_a_loss(world: World) -> None:
    _lit(world, filed_on=D(2021, 1, 5), concluded_on=D(2021, 3, 1), outcome=LitigationOutcome.WITHDRAWN_AFTER_CHANGE)
    _lit(world, filed_on=D(2021, 1, 6), concluded_on=D(2021, 3, 2), outcome=LitigationOutcome.WITHDRAWN)

    result = figures.table(Case.objects.all(), FROM, TO)

    assert result["counts"]["litigation.withdrawn_after_change"] == 1
    assert result["total"]["litigation"]["lost"] == 0
    assert "withdrawn_after_change" not in result["total"]["litigation"]  # the SPEC §9 keys stay as they are


def _appearances(world: World) -> None:
    """Seven first-instance hearings in the window (SPEC §4 负责人出庭应诉率, 应出尽出率, 出声率), and two that never
    count: a second-instance hearing and one a day after the window."""
    reason = AbsenceReason.IRREPLACEABLE_DUTY
    on = D(2021, 4, 2)
    _lit(world, hearing_on=on, head_appeared=True, head_spoke=True)
    _lit(world, "福泉公安局", hearing_on=on, head_appeared=True, head_spoke=True)
    _lit(world, hearing_on=on, head_appeared=True, head_spoke=False)  # appeared but silent
    _lit(world, hearing_on=on, head_appeared=True)  # speaking not recorded: neither spoken nor silent
    _lit(world, hearing_on=on, head_appeared=True, head_spoke=True, head_absence_reason=reason)  # came after all
    _lit(world, "福泉公安局", hearing_on=on, head_appeared=False, head_absence_reason=reason)  # lawful absence
    _lit(world, "福泉公安局", hearing_on=on, head_appeared=False)  # absent without a reason
    _lit(world, instance=Instance.SECOND, hearing_on=on, head_appeared=True, head_spoke=True)
    _lit(world, hearing_on=D(2021, 9, 1), head_appeared=True, head_spoke=True)


def test_a_lawful_absence_is_not_due_and_a_silent_head_has_not_spoken(world: World) -> None:
    _appearances(world)

    result = figures.table(Case.objects.all(), FROM, TO)

    counts = result["counts"]
    assert (counts["litigation.hearings"], counts["litigation.head_due"]) == (7, 6)
    assert (counts["litigation.head_appeared"], counts["litigation.head_spoke"]) == (5, 3)
    assert result["rates"]["appearance_rate"] == 71.43  # 5 / 7
    assert result["rates"]["due_appearance_rate"] == 83.33  # 5 / 6: the lawful absence is not due
    assert counts["litigation.head_speech_recorded"] == 4
    assert result["rates"]["speaking_rate"] == 75.0  # 3 / 4: the unrecorded one counts neither way


def test_the_new_rates_are_given_per_row_and_the_rows_stay_within_the_contract(world: World) -> None:
    _appearances(world)

    rows = figures.table(Case.objects.all(), FROM, TO, by="county")["rows"]
    computed = compute(Case.objects.all(), FROM, TO, by="county")

    by_key = {row["key"]: row["rates"] for row in rows}
    assert by_key["都匀市"]["due_appearance_rate"] == 100.0  # 4 due, 4 appeared
    assert by_key["都匀市"]["speaking_rate"] == 66.67  # 2 of the 3 on record spoke
    assert by_key["福泉市"]["due_appearance_rate"] == 50.0  # 2 due (one lawful absence), 1 appeared
    assert by_key["福泉市"]["speaking_rate"] == 100.0
    for figs in [computed["total"], *computed["rows"]]:
        assert {section: tuple(values) for section, values in figs.items() if section != "key"} == FIGURE_KEYS


def test_the_cases_behind_the_new_measures_are_as_many_as_the_figure(world: World) -> None:
    _appearances(world)
    counts = figures.table(Case.objects.all(), FROM, TO)["counts"]

    for name in ("litigation.head_due", "litigation.head_spoke"):
        behind = cases_behind(Case.objects.all(), name, FROM, TO)
        assert behind.count() == counts[name], name
    assert (
        not cases_behind(Case.objects.all(), "litigation.head_due", FROM, TO)
        .filter(head_absence_reason=AbsenceReason.IRREPLACEABLE_DUTY, head_appeared=False)
        .exists()
    )


def test_year_on_year_covers_the_rates_outside_the_contract(world: World) -> None:
    _lit(world, filed_on=D(2020, 1, 5), hearing_on=D(2020, 3, 1), head_appeared=True, head_spoke=False)
    _lit(world, filed_on=D(2021, 1, 5), hearing_on=D(2021, 3, 1), head_appeared=True, head_spoke=True)

    yoy = year_on_year(Case.objects.all(), FROM, TO)

    assert yoy["rates"]["speaking_rate"] == 0.0
    assert yoy["change"]["speaking_rate"] == 100.0
    assert yoy["change"]["due_appearance_rate"] == 0.0
