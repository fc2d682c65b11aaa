"""The list's filters (shared with the export): each narrows to the cases a user asked for, and a bad value is
ignored with a notice rather than breaking the page."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from fuyuan.cases.choices import (
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
)
from fuyuan.cases.filters import apply_filters, filter_cases
from fuyuan.cases.models import Case
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def registry(world: World) -> dict[str, Case]:
    o = world.orgs
    return {
        "duyun_lost": make_case(
            number="（2021）黔2701行初10号",
            defendant=o["都匀自然资源局"],
            court=o["都匀法院"],
            plaintiffs="张三",
            cause=ActType.PENALTY,
            domain=Domain.NATURAL_RESOURCES,
            filed_on=D(2021, 2, 1),
            hearing_on=D(2021, 4, 1),
            concluded_on=D(2021, 6, 30),
            outcome=LitigationOutcome.REVOKED,
        ),
        "fuquan_open": make_case(
            number="（2021）黔2702行初11号",
            defendant=o["福泉公安局"],
            court=o["福泉法院"],
            plaintiffs="李四",
            third_parties="王五",
            cause=ActType.COERCION,
            domain=Domain.PUBLIC_SECURITY,
            filed_on=D(2021, 5, 10),
        ),
        "appeal": make_case(
            number="（2021）黔27行终12号",
            defendant=o["福泉公安局"],
            court=o["州中院"],
            instance=Instance.SECOND,
            filed_on=D(2021, 8, 1),
            concluded_on=D(2021, 9, 1),
            outcome=LitigationOutcome.CLAIM_DISMISSED,
        ),
        "recon_corrected": make_case(
            CaseKind.RECONSIDERATION,
            number="黔南复〔2021〕13号",
            defendant=o["州人社局"],
            reconsideration_body=o["州司法局"],
            plaintiffs="赵六",
            domain=Domain.LABOUR,
            received_on=D(2021, 3, 3),
            acceptance=Acceptance.ACCEPTED,
            concluded_on=D(2021, 5, 3),
            outcome=ReconsiderationOutcome.REVOKED,
        ),
        "anyang": make_case(number="（2021）豫05行初14号", defendant=o["安阳市场监管局"], court=o["安阳法院"]),
    }


def numbers(world: World, persona: str = "rol_pref", **params: str) -> set[str]:
    return set(filter_cases(world.users[persona], QueryDict(urlencode(params))).values_list("number", flat=True))


def names(registry: dict[str, Case], *keys: str) -> set[str]:
    return {registry[k].number for k in keys}


def test_without_parameters_the_filter_is_the_users_scope(world: World, registry: dict[str, Case]) -> None:
    assert numbers(world) == names(registry, "duyun_lost", "fuquan_open", "appeal", "recon_corrected")


def test_a_region_includes_its_subtree(world: World, registry: dict[str, Case]) -> None:
    assert numbers(world, region=str(world.regions["福泉市"].pk)) == names(registry, "fuquan_open", "appeal")
    assert numbers(world, region=str(world.regions["黔南州"].pk)) == numbers(world)


def test_a_region_outside_the_users_scope_is_ignored_with_a_notice(world: World, registry: dict[str, Case]) -> None:
    result = apply_filters(world.users["rol_duyun"], QueryDict(f"region={world.regions['安阳市'].pk}"))

    assert set(result.cases.values_list("number", flat=True)) == names(registry, "duyun_lost")
    assert result.notices == ["筛选条件“地区”的值无效，已忽略"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "reconsideration"}, ["recon_corrected"]),
        ({"instance": "second"}, ["appeal"]),
        ({"cause": "coercion"}, ["fuquan_open"]),
        ({"domain": "labour"}, ["recon_corrected"]),
        ({"status": "open"}, ["fuquan_open"]),
        ({"status": "concluded"}, ["duyun_lost", "appeal", "recon_corrected"]),
        ({"outcome": "loss"}, ["duyun_lost"]),
        ({"outcome": "correction"}, ["recon_corrected"]),
        ({"outcome": "litigation:claim_dismissed"}, ["appeal"]),
        ({"outcome": "reconsideration:revoked"}, ["recon_corrected"]),
        ({"date_field": "filed_on", "date_from": "2021-05-01", "date_to": "2021-08-01"}, ["fuquan_open", "appeal"]),
        ({"date_field": "hearing_on", "date_from": "2021-04-01"}, ["duyun_lost"]),
        ({"date_field": "received_on", "date_to": "2021-03-03"}, ["recon_corrected"]),
        ({"date_field": "concluded_on", "date_from": "2021-06-01", "date_to": "2021-06-30"}, ["duyun_lost"]),
        ({"q": "黔27行终"}, ["appeal"]),
        ({"q": "李四"}, ["fuquan_open"]),
        ({"q": "王五"}, ["fuquan_open"]),
        ({"q": "公安局"}, ["fuquan_open", "appeal"]),
    ],
)
def test_each_filter_narrows_to_the_matching_cases(
    world: World, registry: dict[str, Case], params: dict[str, str], expected: list[str]
) -> None:
    assert numbers(world, **params) == names(registry, *expected)


def test_the_defendant_filter_offers_visible_agencies_but_no_court_or_centre_and_narrows(
    world: World, registry: dict[str, Case]
) -> None:
    agency = world.orgs["福泉公安局"]
    result = apply_filters(world.users["rol_duyun"], QueryDict(""))

    offered = set(result.form.fields["defendant"].queryset)  # type: ignore[attr-defined]
    assert offered == {world.orgs["都匀自然资源局"], world.orgs["都匀司法局"]}
    assert numbers(world, defendant=str(agency.pk)) == names(registry, "fuquan_open", "appeal")


def test_the_county_filter_holds_exactly_the_cases_placed_in_that_county_not_a_subtree(
    world: World, registry: dict[str, Case]
) -> None:
    prefecture = world.regions["黔南州"]
    assert numbers(world, county=str(prefecture.pk)) == names(registry, "recon_corrected")
    assert numbers(world, region=str(prefecture.pk)) == names(
        registry, "duyun_lost", "fuquan_open", "appeal", "recon_corrected"
    )


def test_the_default_date_filter_reads_filing_for_litigation_and_receipt_for_reconsideration(
    world: World, registry: dict[str, Case]
) -> None:
    assert numbers(world, date_from="2021-03-01", date_to="2021-05-31") == names(
        registry, "fuquan_open", "recon_corrected"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "criminal"},
        {"date_from": "2021-13-45"},
        {"region": "not-a-number"},
        {"outcome": "litigation:exploded"},
        {"defendant": "999999"},
    ],
)
def test_an_invalid_value_is_ignored_and_reported(
    world: World, registry: dict[str, Case], params: dict[str, str]
) -> None:
    result = apply_filters(world.users["rol_pref"], QueryDict(urlencode(params)))

    assert result.cases.count() == 4
    assert len(result.notices) == 1
    assert "无效，已忽略" in result.notices[0]


def test_an_unknown_figure_is_ignored_with_a_notice(world: World, registry: dict[str, Case]) -> None:
    result = apply_filters(world.users["rol_pref"], QueryDict("figure=nonsense&from=2021-01-01&to=2021-12-31"))

    assert result.figure is None
    assert result.cases.count() == 4
    assert len(result.notices) == 1


def test_a_figure_with_a_malformed_window_is_ignored_with_a_notice(world: World, registry: dict[str, Case]) -> None:
    result = apply_filters(world.users["rol_pref"], QueryDict("figure=litigation.lost&from=2021-01-01&to=yesterday"))

    assert result.figure is None
    assert result.notices == ["统计口径的起止日期无效，已忽略统计口径"]
