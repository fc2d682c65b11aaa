"""The assessment computed from the records: two counties by hand, a changed weight reordering them, the indicators
whose records are missing, a fake module indicator, the rules, and every value equal to its list of records."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from fuyuan.assessment import indicators, scoring
from fuyuan.assessment.indicators import Source
from fuyuan.assessment.models import Indicator, RuleKind
from fuyuan.assessment.workflow import update_indicator
from fuyuan.cases.queries import visible_to as cases_visible_to
from fuyuan.stats import figures as fig
from tests.assessment.conftest import YEAR, D, lawsuits, rectification_item, scheme_with, weight
from tests.factories import World

pytestmark = pytest.mark.django_db


def by_name(rows: list[scoring.Row]) -> dict[str, scoring.Row]:
    return {r.name: r for r in rows}


def test_two_counties_computed_by_hand_equal_the_platform_and_a_changed_weight_reorders_them(world: World) -> None:
    # given: 都匀市 lost 2 of 4 first-instance cases (50%), its head appeared at 3 of 4 hearings (75%);
    # 福泉市 lost 1 of 5 (20%), its head appeared at 2 of 5 (40%).
    o = world.orgs
    lawsuits(o["都匀自然资源局"], lost=2, won=2, appeared=3)
    lawsuits(o["福泉公安局"], lost=1, won=4, appeared=2)
    scheme = scheme_with(world, "loss_rate", "appearance_rate")
    # 败诉率 15 points, 30% → 0, 10% → full (lower is better); 出庭率 10 points, 60% → 0, 100% → full.
    assert (weight(scheme, "loss_rate"), weight(scheme, "appearance_rate")) == (15, 10)

    # when
    rows = by_name(scoring.compute(scheme).counties)

    # then, by hand: 都匀 0 + 10 × (75 − 60)/40 = 3.75 of 25 → 15.00; 福泉 15 × (30 − 20)/20 = 7.50 + 0 → 30.00.
    duyun, fuquan = rows["都匀市"], rows["福泉市"]
    assert [(c.numerator, c.denominator, c.value, c.points) for c in duyun.cells] == [
        (2, 4, Decimal("50.00"), Decimal("0.00")),
        (3, 4, Decimal("75.00"), Decimal("3.75")),
    ]
    assert [(c.numerator, c.denominator, c.value, c.points) for c in fuquan.cells] == [
        (1, 5, Decimal("20.00"), Decimal("7.50")),
        (2, 5, Decimal("40.00"), Decimal("0.00")),
    ]
    assert (duyun.score, duyun.rank, fuquan.score, fuquan.rank) == (Decimal("15.00"), 2, Decimal("30.00"), 1)

    # when the 依法治办 weighs the appearance rate 40: 都匀 0.375 × 40 = 15 of 55 → 27.27; 福泉 7.5 of 55 → 13.64.
    update_indicator(scheme.indicators.get(code="appearance_rate"), by=world.users["rol_pref"], weight="40")
    rows = by_name(scoring.compute(scheme).counties)
    assert (rows["都匀市"].score, rows["都匀市"].rank) == (Decimal("27.27"), 1)
    assert (rows["福泉市"].score, rows["福泉市"].rank) == (Decimal("13.64"), 2)


def test_the_rates_are_the_figures_modules_own(world: World) -> None:
    """The stats-based values are the figures module's numbers for the same cases (SPEC §4), county by county."""
    o = world.orgs
    lawsuits(o["都匀自然资源局"], lost=1, won=2, appeared=2)
    lawsuits(o["福泉公安局"], lost=2, won=1, appeared=1)
    scheme = scheme_with(world, "loss_rate", "appearance_rate")
    table = fig.table(cases_visible_to(world.users["rol_pref"]), D(YEAR, 1, 1), D(YEAR, 12, 31), by="county")
    expected = {r["key"]: (r["rates"]["loss_rate"], r["rates"]["appearance_rate"]) for r in table["rows"]}
    got = {r.name: tuple(float(c.value) for c in r.cells) for r in scoring.compute(scheme).counties}  # type: ignore[arg-type]
    assert got == expected


def test_indicators_whose_module_is_absent_say_their_records_are_missing(world: World, absent_module: str) -> None:
    lawsuits(world.orgs["都匀自然资源局"], lost=1, won=1, appeared=2)
    scheme = scheme_with(world, "loss_rate", absent_module, "law_report")
    result = scoring.compute(scheme)
    # The module is not installed: its indicator is missing for everyone, never a zero.
    assert absent_module in result.missing
    duyun = by_name(result.counties)["都匀市"]
    statuses = {c.indicator.code: (c.status, c.points) for c in duyun.cells}
    assert statuses[absent_module] == (scoring.MISSING, None)
    assert statuses["law_report"] == (scoring.MISSING, None)  # a manual item not entered yet
    assert sorted(duyun.missing) == sorted(["未接入指标", "述法"])
    # Only the indicator that scored counts: 50% lost → 0 of 15 → 0.00, out of 15 (not of 25).
    assert (duyun.points, duyun.full, duyun.score) == (Decimal(0), Decimal(15), Decimal("0.00"))


@pytest.fixture
def fake_coverage() -> Iterator[dict[int, tuple[int, int]]]:
    """A fake module indicator in the registry, answering what the test puts in its dict."""
    indicators.register(
        Source("fake_coverage", "执法证持证率（测试）", "module", "tests.assessment.test_scoring.fake_counts",
               records_url="tests.assessment.test_scoring.fake_url", weight=Decimal(10), floor=Decimal(80))
    )  # fmt: skip
    FAKE.clear()
    yield FAKE
    indicators.unregister("fake_coverage")


FAKE: dict[int, tuple[int, int]] = {}


def fake_counts(year: int) -> dict[int, tuple[int, int]]:
    return FAKE if year == YEAR else {}


def fake_url(year: int, organisations: list[int]) -> str:
    return f"/enforcement/officers/?year={year}&org={','.join(map(str, sorted(organisations)))}"


def test_a_module_indicator_sums_its_organisations_into_the_county(world: World, fake_coverage: dict) -> None:
    o = world.orgs
    fake_coverage[o["都匀自然资源局"].pk] = (9, 10)
    fake_coverage[o["都匀司法局"].pk] = (9, 10)
    fake_coverage[o["州人社局"].pk] = (3, 4)
    scheme = scheme_with(world)
    scheme.indicators.exclude(code="loss_rate").delete()
    Indicator.objects.create(scheme=scheme, code="fake_coverage", name="持证率", position=99, weight=10,
                             floor=80, target=100)  # fmt: skip
    result = scoring.compute(scheme)
    cell = by_name(result.counties)["都匀市"].cells[-1]
    # (9 + 9) / (10 + 10) = 90% → 10 × (90 − 80)/20 = 5 points; the link is the module's own list.
    assert (cell.numerator, cell.denominator, cell.value, cell.points) == (18, 20, Decimal("90.00"), Decimal("5.00"))
    assert cell.url == fake_url(YEAR, [o["都匀自然资源局"].pk, o["都匀司法局"].pk, o["都匀中心"].pk, o["都匀法院"].pk])
    department = by_name(result.departments)["黔南州人力资源和社会保障局"].cells[-1]
    assert (department.value, department.points) == (Decimal("75.00"), Decimal("0.00"))
    # 福泉 has no officers on record: nothing to count, not scored, not a zero.
    assert by_name(result.counties)["福泉市"].cells[-1].status == scoring.EMPTY


def test_the_enforcement_review_and_attendance_modules_answer_the_registry(world: World) -> None:
    scheme = scheme_with(
        world, "certificate_coverage", "major_decisions_in_order", "file_review_score", "attendance_compliance"
    )
    assert scoring.compute(scheme).missing == {}


def test_a_departments_module_value_links_to_the_records_its_module_counts() -> None:
    from fuyuan.attendance.indicators import attendance_compliance_url
    from fuyuan.enforcement.indicators import certificate_coverage_url, major_decisions_in_order_url
    from fuyuan.filereview.indicators import file_review_score_url

    assert certificate_coverage_url(2026, [7]) == "/enforcement/officers/?organisation=7&year=2026"
    assert major_decisions_in_order_url(2026, [7]) == "/enforcement/decisions/?organisation=7&year=2026"
    assert file_review_score_url(2026, [7]) == "/filereview/files/?organisation=7&year=2026"
    assert attendance_compliance_url(2026, [7]) == "/attendance/?organisation=7&year=2026"
    # a county's value sums its units: its link lists the records of them all
    assert certificate_coverage_url(2026, [7, 8]) == "/enforcement/officers/?organisation=7&organisation=8&year=2026"
    assert attendance_compliance_url(2026, []) == ""


def test_rules_score_linearly_reversed_and_by_target() -> None:
    linear = Indicator(code="x", weight=Decimal(10), rule=RuleKind.LINEAR, floor=Decimal(60), target=Decimal(100))
    assert [scoring.points(linear, Decimal(v)) for v in ("50", "60", "80", "100", "120")] == [
        Decimal("0.00"), Decimal("0.00"), Decimal("5.00"), Decimal("10.00"), Decimal("10.00"),
    ]  # fmt: skip
    lower = Indicator(code="x", weight=Decimal(15), rule=RuleKind.LINEAR, floor=Decimal(30), target=Decimal(10),
                      lower_is_better=True)  # fmt: skip
    assert [scoring.points(lower, Decimal(v)) for v in ("40", "30", "25", "10", "0")] == [
        Decimal("0.00"), Decimal("0.00"), Decimal("3.75"), Decimal("15.00"), Decimal("15.00"),
    ]  # fmt: skip
    met = Indicator(code="x", weight=Decimal(5), rule=RuleKind.MET, floor=Decimal(0), target=Decimal(100))
    assert [scoring.points(met, Decimal(v)) for v in ("99.99", "100")] == [Decimal("0.00"), Decimal("5.00")]


def test_rectification_on_time_counts_the_items_due_in_the_year(world: World) -> None:
    owner = world.orgs["都匀自然资源局"]
    rectification_item(world, owner, due=D(YEAR, 3, 1), on_time=True)
    rectification_item(world, owner, due=D(YEAR, 6, 1), on_time=False)
    rectification_item(world, owner, due=D(YEAR, 9, 1), on_time=None)
    rectification_item(world, owner, due=D(YEAR + 1, 1, 5), on_time=True)  # due next year: not counted
    scheme = scheme_with(world, "rectification_on_time")
    cell = by_name(scoring.compute(scheme).counties)["都匀市"].cells[0]
    assert (cell.numerator, cell.denominator, cell.value) == (1, 3, Decimal("33.33"))


def test_each_own_and_module_source_counts_only_the_schemes_region(world: World) -> None:
    """A prefecture's assessment reads its own region's records (``within``), not the whole province's."""
    duyun, anyang = world.orgs["都匀自然资源局"], world.orgs["安阳市场监管局"]
    rectification_item(world, duyun, due=D(YEAR, 3, 1), on_time=True)
    rectification_item(world, anyang, due=D(YEAR, 3, 1), on_time=False)
    qiannan_path, anyang_path = world.regions["黔南州"].path, world.regions["安阳市"].path
    count = indicators.resolve(indicators.SOURCES["rectification_on_time"].path)
    assert count(YEAR) == {duyun.pk: (1, 1), anyang.pk: (0, 1)}
    assert count(YEAR, within=qiannan_path) == {duyun.pk: (1, 1)}
    assert count(YEAR, within=anyang_path) == {anyang.pk: (0, 1)}
    for source in indicators.SOURCES.values():
        if source.kind in ("own", "module"):
            assert source.regional, source.code
            assert indicators.resolve(source.path)(YEAR, within=anyang_path) in ({}, {anyang.pk: (0, 1)})
