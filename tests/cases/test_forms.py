"""The case forms validate in Chinese and name the field that is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from fuyuan.cases.forms import LitigationForm, ReconsiderationForm
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


def litigation(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "number": "（2022）黔2701行初1号",
        "instance": "first",
        "court": world.orgs["都匀法院"].pk,
        "defendant": world.orgs["都匀自然资源局"].pk,
        "filed_on": "2022-03-01",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def reconsideration(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "number": "黔南复〔2022〕1号",
        "reconsideration_body": world.orgs["州司法局"].pk,
        "defendant": world.orgs["州人社局"].pk,
        "received_on": "2022-03-01",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_complete_litigation_form_is_valid(world: World) -> None:
    form = LitigationForm(litigation(world), user=world.users["rol_pref"])

    assert form.is_valid(), form.errors


def test_an_empty_litigation_form_asks_for_each_required_field_by_name(world: World) -> None:
    form = LitigationForm({}, user=world.users["rol_pref"])

    assert not form.is_valid()
    assert form.errors == {
        "number": ["请填写案号"],
        "instance": ["请填写审级"],
        "court": ["请填写法院"],
        "defendant": ["请填写被告"],
        "filed_on": ["请填写立案日期"],
    }


def test_an_empty_reconsideration_form_asks_for_each_required_field_by_name(world: World) -> None:
    form = ReconsiderationForm({}, user=world.users["rol_pref"])

    assert not form.is_valid()
    assert form.errors == {
        "number": ["请填写案号"],
        "reconsideration_body": ["请填写复议机构"],
        "defendant": ["请填写被申请人"],
        "received_on": ["请填写收案日期"],
    }


def test_a_number_already_registered_is_refused_with_the_number(world: World) -> None:
    make_case(number="（2022）黔2701行初1号", defendant=world.orgs["都匀自然资源局"])

    form = LitigationForm(litigation(world), user=world.users["rol_pref"])

    assert form.errors["number"] == ["案号已存在：（2022）黔2701行初1号"]


def test_an_outcome_of_the_other_kind_is_refused(world: World) -> None:
    form = LitigationForm(litigation(world, concluded_on="2022-06-01", outcome="upheld"), user=world.users["rol_pref"])

    assert form.errors["outcome"] == ["结案方式“upheld”不属于本类案件的结案方式"]


def test_the_outcome_list_holds_only_the_kinds_outcomes(world: World) -> None:
    form = ReconsiderationForm(user=world.users["rol_pref"])

    labels = [label for _, label in form.fields["outcome"].choices]  # type: ignore[attr-defined]
    assert "维持" in labels
    assert "驳回诉讼请求" not in labels


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"concluded_on": "2022-06-01"}, "outcome", "填写了结案日期但缺少结案方式"),
        ({"outcome": "revoked"}, "concluded_on", "填写了结案方式但缺少结案日期"),
        (
            {"concluded_on": "2022-02-01", "outcome": "revoked"},
            "concluded_on",
            "结案日期（2022-02-01）不能早于立案日期（2022-03-01）",
        ),
        ({"hearing_on": "2022-02-28"}, "hearing_on", "开庭日期（2022-02-28）不能早于立案日期（2022-03-01）"),
        ({"filed_on": "2022-02-30"}, "filed_on", "立案日期不是有效的日期"),
    ],
)
def test_dates_and_outcome_are_checked_with_messages_naming_the_field(
    world: World, overrides: dict[str, str], field: str, message: str
) -> None:
    form = LitigationForm(litigation(world, **overrides), user=world.users["rol_pref"])

    assert form.errors[field] == [message]


def test_a_reconsideration_concluded_before_it_was_received_is_refused(world: World) -> None:
    form = ReconsiderationForm(
        reconsideration(world, concluded_on="2022-02-01", outcome="upheld"), user=world.users["rol_pref"]
    )

    assert form.errors["concluded_on"] == ["结案日期（2022-02-01）不能早于收案日期（2022-03-01）"]


def test_a_defendant_outside_the_users_region_cannot_be_chosen(world: World) -> None:
    form = LitigationForm(litigation(world, defendant=world.orgs["福泉公安局"].pk), user=world.users["rol_duyun"])

    assert form.errors["defendant"] == ["所选被告不在您可选择的范围内"]


def test_a_court_liaisons_court_is_fixed_to_their_own(world: World) -> None:
    form = LitigationForm(litigation(world, court=world.orgs["州中院"].pk), user=world.users["court_duyun"])

    assert form.is_valid(), form.errors
    assert form.cleaned_data["court"] == world.orgs["都匀法院"]


def test_a_reconsideration_bodys_own_body_is_fixed(world: World) -> None:
    form = ReconsiderationForm(
        reconsideration(world, reconsideration_body=world.orgs["都匀司法局"].pk), user=world.users["recon_pref"]
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["reconsideration_body"] == world.orgs["州司法局"]


def test_the_predecessor_is_found_by_its_number_among_visible_cases(world: World) -> None:
    recon = make_case("reconsideration", number="黔南复〔2021〕9号", defendant=world.orgs["都匀自然资源局"])
    elsewhere = make_case(number="（2021）豫05行初9号", defendant=world.orgs["安阳市场监管局"])
    user = world.users["rol_pref"]

    found = LitigationForm(litigation(world, predecessor_number=recon.number), user=user)
    hidden = LitigationForm(litigation(world, predecessor_number=elsewhere.number), user=user)

    assert found.is_valid(), found.errors
    assert found.case_values()["predecessor"] == recon
    assert hidden.errors["predecessor_number"] == [f"未找到案号为“{elsewhere.number}”的案件"]


def test_only_the_fields_in_error_are_marked_red(world: World) -> None:
    form = LitigationForm(litigation(world, hearing_on="2022-02-28"), user=world.users["rol_pref"])
    form.is_valid()

    html = form.as_p()
    fresh = LitigationForm(user=world.users["rol_pref"]).as_p()

    assert html.count("is-invalid") == 1
    assert "is-invalid" not in fresh
